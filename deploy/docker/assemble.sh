#!/bin/sh
# The files of Fjord's container image, assembled from a built checkout: the Dockerfile runs this
# in its build stage, and test/e2e/container-image.test.ts runs it on the host to start the
# image's command line from exactly these files.
#
#   deploy/docker/assemble.sh SRC DEST
#
# SRC has had `npm ci` and `npm run build`. DEST gets package.json, package-lock.json, the
# production dependencies (what `npm ci --omit=dev` installs, native addons as built in SRC), the
# compiled server (dist/ without the tests) and the browser UI build (dist/ui) when there is one.
set -eu
src=$1
dest=$2
mkdir -p "$dest/dist"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
cp -R "$src/node_modules" "$dest/node_modules"
(cd "$dest" && npm prune --omit=dev --offline --no-audit --no-fund --loglevel=error >&2)
for part in fjord.js fjord.js.map schemas platform pipeline consumers query; do
  cp -R "$src/dist/$part" "$dest/dist/"
done
# The browser UI (built by `npm run build` into dist/ui), served by Fjord's HTTP server.
if [ -d "$src/dist/ui" ]; then cp -R "$src/dist/ui" "$dest/dist/ui"; fi
chmod 755 "$dest/dist/fjord.js"
