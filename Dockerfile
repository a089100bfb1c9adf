# Mirante's image: the server (TypeScript run by tsx, a runtime dependency) with the web app and the
# WebChat widget built in. `docker build -t mirante .`; compose.yaml runs two of these behind a proxy.

# --- build: every dependency, then the web app and the widget (vite) -------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies only, run as the unprivileged `node` user --------------------
FROM node:20-bookworm-slim AS runtime
ENV PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    WEB_DIR=/app/dist/web \
    WIDGET_DIR=/app/dist/widget \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
# the server's sources only: the web app and the widget are served from their builds
COPY src ./src
RUN rm -rf src/web src/widget
COPY --from=build /app/dist ./dist
# PGlite's folder and the generated secret key when there is no DATABASE_URL: keep it on a volume
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# the server itself, not `npm start` (which builds when sources changed, and adds a process between
# the container's SIGTERM and the server's graceful shutdown)
CMD ["node", "--import", "tsx", "src/server/main.ts"]
