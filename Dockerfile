# syntax=docker/dockerfile:1
#
# flipt-rs container image: both tiers in one image.
#   docker build -t flipt-rs .
#   docker run -p 8080:8080 -p 9000:9000 flipt-rs              # standalone (SQLite in /var/opt/flipt)
#   docker run -p 8081:8081 -p 9001:9001 -e FLIPT_DB_URL=... flipt-rs flipt-read
# Same paths and ports as Flipt's image: configuration in /etc/flipt/config/ (default.yml is
# discovered), data in /var/opt/flipt, logs in /var/log/flipt, non-root user `flipt`.
# No HEALTHCHECK: docker-compose and Kubernetes probe /health and /health/ready themselves.

ARG RUST_VERSION=1
ARG DEBIAN_RELEASE=bookworm

# ---------------------------------------------------------------------------------------------
# Dashboard: the Vite build that cargo's build script runs outside containers.
# ---------------------------------------------------------------------------------------------
FROM node:22-${DEBIAN_RELEASE}-slim AS ui
WORKDIR /ui
COPY write-tier/ui/package.json write-tier/ui/package-lock.json ./
RUN npm ci
COPY write-tier/ui/ ./
RUN npm run build

# ---------------------------------------------------------------------------------------------
# Build: the README's quick-start build (cargo build --release), for both binaries, embedding
# the dashboard built above (UI_PREBUILT=1: no Node.js needed in this stage).
# ---------------------------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS builder
WORKDIR /src
COPY . .
COPY --from=ui /ui/dist write-tier/ui/dist
ENV UI_PREBUILT=1
# The cache mounts keep the registry and target/ between builds; the binaries are copied out
# in the same step because a cache mount is not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p flipt-write -p flipt-read \
 && install -D -m 0755 target/release/flipt-write /out/flipt-write \
 && install -D -m 0755 target/release/flipt-read /out/flipt-read

# ---------------------------------------------------------------------------------------------
# Runtime
# ---------------------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS runtime
LABEL org.opencontainers.image.title="flipt-rs" \
      org.opencontainers.image.description="Flipt v1 compatible feature flags: write tier (flipt-write) and read tier (flipt-read)" \
      org.opencontainers.image.licenses="Apache-2.0"

# ca-certificates for TLS to databases and Redis; curl for the compose health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 flipt \
 && useradd --system --uid 10001 --gid flipt --home-dir /home/flipt --create-home \
        --shell /usr/sbin/nologin flipt \
 && mkdir -p /etc/flipt/config /var/opt/flipt /var/log/flipt \
 && chown -R flipt:flipt /etc/flipt /var/opt/flipt /var/log/flipt

COPY --from=builder /out/flipt-write /out/flipt-read /usr/local/bin/

# flipt-write: HTTP 8080, gRPC 9000. flipt-read: HTTP 8081, gRPC 9001.
EXPOSE 8080 9000 8081 9001
WORKDIR /home/flipt
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

CMD ["flipt-write"]
