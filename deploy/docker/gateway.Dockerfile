# syntax=docker/dockerfile:1
# shipshape's API gateway (cmd/gateway: KrakenD CE's engine and components,
# docs/adr/0017-gateway-binary.md):
#   docker build -f deploy/docker/gateway.Dockerfile -t shipshape/gateway:dev .
# It runs a rendered krakend.json (gateway-config render) mounted at
# /etc/krakend/krakend.json, where the official KrakenD image reads it too.
# The build context is the repository root; gateway.Dockerfile.dockerignore
# keeps local state out of it.

ARG GO_IMAGE=golang:1.27.3

FROM ${GO_IMAGE} AS build
ARG VERSION=dev
# The image's Go is the toolchain go.mod asks for: never download another.
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath \
      -ldflags "-s -w -X github.com/shipshape-dev/shipshape/internal/platform/version.Version=${VERSION}" \
      -o /out/gateway ./cmd/gateway

# As the services' image: a static binary on distroless, uid/gid 65532.
# 8080 serves the API (the configuration's port), 9091 metrics and liveness
# (-metrics :9091, given by the Deployment).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gateway /gateway
USER 65532:65532
WORKDIR /etc/krakend
EXPOSE 8080 9091
ENTRYPOINT ["/gateway"]
CMD ["run", "-c", "/etc/krakend/krakend.json"]
