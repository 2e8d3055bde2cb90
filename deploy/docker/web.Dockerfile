# syntax=docker/dockerfile:1
# The storefront: docker build -f deploy/docker/web.Dockerfile -t shipshape/web:dev .
# Next.js standalone output (web/scripts/finish-standalone.mjs adds start.js:
# JSON logs, the access log and the SIGTERM drain) on Node's slim image.
# The test cluster packs the same standalone directory and the same Node
# version into its image (test/cluster/images.sh).

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV NEXT_TELEMETRY_DISABLED=1
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
# Reproducible output (web/scripts/build-keys.mjs): the build is named by
# the commit and Next's generated keys are derived from the release's build
# secret, when the build is given them:
#   docker build --build-arg SHIPSHAPE_BUILD_ID=$(git rev-parse HEAD) \
#     --secret id=web_build_secret,src=web-build.secret ...
ARG SHIPSHAPE_BUILD_ID=
RUN --mount=type=secret,id=web_build_secret,required=false \
    if [ -s /run/secrets/web_build_secret ]; then export SHIPSHAPE_BUILD_SECRET_FILE=/run/secrets/web_build_secret; fi \
 && npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=build /src/web/.next/standalone/ /app/
# Our own user "web", uid/gid 10001: 10000 and above collides with no host
# user (the base image's "node", 1000, could). The only writable path:
# Next's cache (an emptyDir in Kubernetes).
RUN groupadd --gid 10001 web && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin web \
 && rm -rf /app/.next/cache && mkdir -p /app/.next/cache && chown 10001:10001 /app/.next/cache
# set numerically for runAsNonRoot
USER 10001:10001
EXPOSE 3000
CMD ["node", "start.js"]
