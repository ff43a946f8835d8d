# syntax=docker/dockerfile:1
# medialake: one image for the API, the workers and one-off commands
# (`docker run IMAGE status`). ffmpeg and ffprobe come with the npm packages
# @ffmpeg-installer/* and @ffprobe-installer/*; the CLI runs the TypeScript
# sources through tsx, a production dependency (bin/medialake.js).

FROM node:20.20-bookworm-slim AS dependencies
WORKDIR /app
# Compilers for the native addons (better-sqlite3, hnswlib-node) when no prebuilt binary fits.
# Unpinned: Debian's security updates replace a pinned version, and this stage is thrown away.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts off, so npm's prepare (the web UI's build, which needs the dev tools) does not run here;
# then the addons the project allows scripts for are built as npm ci would.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 hnswlib-node @ffmpeg-installer/linux-x64 @ffprobe-installer/linux-x64 \
 && npm cache clean --force

# The web UI (web/), built with the dev tools; only its output reaches the image.
FROM node:20.20-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# The UI's imports of the server's types are type-only, erased by the build: web/ is all it reads.
COPY web ./web
RUN npx vite build web

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production \
    MEDIALAKE_DATA=/data \
    MEDIALAKE_HOST=0.0.0.0 \
    MEDIALAKE_PORT=8080
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY schemas ./schemas
COPY log ./log
COPY storage ./storage
COPY producers ./producers
COPY processors ./processors
COPY projections ./projections
COPY api ./api
COPY app ./app
COPY cli ./cli
COPY --from=web /app/web/dist ./web/dist
# The data directory holds what stays embedded at scale (docs/deploy.md); a volume in docker-compose.yml.
RUN mkdir -p /data && chown 1000:1000 /data
# Declared a volume so that ECS on Fargate gives the task volume mounted here (infra/compute.ts: the API
# task's two containers share it) this directory's owner; a plain bind mount would be root's, unwritable for 1000.
VOLUME /data
# The node image's unprivileged user, by number so the host resolves it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.MEDIALAKE_PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--initial-old-space-size=128", "bin/medialake.js"]
CMD ["serve"]
