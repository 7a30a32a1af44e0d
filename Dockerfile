# syntax=docker/dockerfile:1
# One image for all five Pitlane services; docker-compose.yml picks the service with its command:
#   node services/<gateway|bookings|inventory|billing|webhooks>/dist/main.js

# --- manifests: only the package.json files (root + workspaces) and the lockfile, so the
#     `npm ci` layer below is reused until a dependency changes, whatever the workspace layout.
FROM node:24-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -path ./package-lock.json -delete \
 && find . -mindepth 1 -type d -empty -delete

# --- build: install everything, compile the TypeScript project references, drop dev dependencies.
FROM node:24-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && find . -name '*.tsbuildinfo' -delete

# --- runtime
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/ ./
USER node
EXPOSE 8080 3001 3002 3003 3004
# Overridden per service in docker-compose.yml.
CMD ["node", "services/gateway/dist/main.js"]
