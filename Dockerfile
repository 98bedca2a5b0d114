# syntax=docker/dockerfile:1
# renkei: Temporal worker (default command) and HTTP API (`node dist/api/main.js`), one image.
#
#   docker build -t renkei .            (docker-compose.yml builds it for the `worker` and `api` services)
#
# Debian bookworm-slim, not Alpine: @temporalio/core-bridge ships a native .node binary built for glibc.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- production dependencies only (what the runtime image gets) ---------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- build: all dependencies (typescript is a devDependency), then tsc -> dist/ --------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && node --import tsx console/build.ts

# --- runtime ---------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist
# the operator console's static files, beside the compiled console/serve.js that serves them at /console/
COPY --from=build /app/console/dist ./dist/console/dist
# tsc does not copy the SQL migrations; the code reads them relative to its own location (dist/db/...), so they are
# in both places.
COPY db/migrations ./db/migrations
COPY db/migrations ./dist/db/migrations
# Files stay owned by root (read-only for the app); the process runs as the image's unprivileged `node` user.
USER node
# The worker loads the workflow bundle `npm run build` made (dist/workflow-bundle.js): no webpack at start. Unset,
# it would bundle dist/workflows/index.js at each start (seconds, and webpack's memory).
ENV WORKER_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
# The api service overrides this with: node dist/api/main.js
# V8's heap capped at 1 GiB: garbage is collected before the RSS climbs (npm run bench:open-workflows, README)
CMD ["node", "--max-old-space-size=1024", "dist/workers/main.js"]
