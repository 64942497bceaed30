# Fjord's container image: `fjord` as the entrypoint, running as the non-root user fjord (uid
# 10001), state under /var/fjord (a volume). Build: docker build -t fjord .
#
# The build stage installs every dependency (native addons built against Node 20's headers),
# compiles the server (and, with `npm run build`, the browser UI into dist/ui), and assembles the
# runtime files with deploy/docker/assemble.sh: the production dependencies, dist/ without the
# tests, and dist/ui when it exists.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /src
# The sources (.dockerignore keeps out what the build does not read); `npm run build` compiles the
# server and, where the checkout has the browser UI's sources, builds the UI into dist/ui.
COPY . .
RUN npm ci --no-audit --no-fund && npm run build
RUN sh deploy/docker/assemble.sh /src /out

FROM node:20-bookworm-slim
ENV NODE_ENV=production
RUN groupadd --system --gid 10001 fjord \
 && useradd --system --uid 10001 --gid fjord --home-dir /var/fjord --shell /usr/sbin/nologin fjord \
 && mkdir -p /var/fjord /etc/fjord \
 && chown fjord:fjord /var/fjord
COPY --from=build /out /app
COPY deploy/docker/local-config.yaml /etc/fjord/local-config.yaml
RUN ln -s /app/dist/fjord.js /usr/local/bin/fjord
USER fjord
WORKDIR /var/fjord
VOLUME /var/fjord
EXPOSE 3100
ENTRYPOINT ["fjord"]
CMD ["-config.file=/etc/fjord/local-config.yaml"]
