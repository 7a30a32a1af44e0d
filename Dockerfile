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

# --- build: install everything, compile the TypeScript project references, then drop what only tests
#     use: dev dependencies (root and every workspace's, e.g. jest, testcontainers), the test-only
#     workspace libs/testing, and the test folders. The last line fails the build if a test tool slipped in.
FROM node:24-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY --from=manifests /app/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && rm -rf libs/testing node_modules/@pitlane/testing libs/*/test services/*/test e2e bench \
 && find . -name '*.tsbuildinfo' -delete \
 && for tool in testcontainers jest ts-jest typescript eslint; do test ! -e "node_modules/$tool" || { echo "dev tool $tool in the production image" >&2; exit 1; }; done

# --- runtime
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/ ./
USER node
EXPOSE 8080 3001 3002 3003 3004
# Overridden per service in docker-compose.yml.
CMD ["node", "services/gateway/dist/main.js"]
