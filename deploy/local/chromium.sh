#!/usr/bin/env bash
# Chromium for the browser tests (test/browser/, driven by playwright-core): Debian's `chromium`
# package, installed system-wide with apt-get (as root, or through sudo).
#
#   deploy/local/chromium.sh install   install it when no chromium is on the PATH
#   deploy/local/chromium.sh path      print the executable the tests use
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

install_chromium() {
  if command -v chromium >/dev/null; then say "chromium: $(chromium --version 2>/dev/null || echo installed)"; return 0; fi
  command -v apt-get >/dev/null || die "apt-get is not available: install Chromium yourself and set CHROMIUM_PATH"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  say "chromium: installing Debian's chromium package"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
}

case "${1:-}" in
  install) install_chromium ;;
  path) install_chromium; command -v chromium ;;
  *) die "usage: $0 install|path" ;;
esac
