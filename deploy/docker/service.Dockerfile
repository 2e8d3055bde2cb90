# syntax=docker/dockerfile:1
# One image per Go service: docker build -f deploy/docker/service.Dockerfile
#   --build-arg SERVICE=catalog -t shipshape/catalog:dev .
# The build context is the repository root; service.Dockerfile.dockerignore
# (read by BuildKit next to this file) keeps local state out of it.

ARG GO_IMAGE=golang:1.27.3

FROM ${GO_IMAGE} AS build
ARG SERVICE
ARG VERSION=dev
# The image's Go is the toolchain go.mod asks for: never download another.
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<identity|catalog|cart|orders>" >&2; exit 1; }; \
    go build -trimpath \
      -ldflags "-s -w -X github.com/shipshape-dev/shipshape/internal/platform/version.Version=${VERSION}" \
      -o /out/service ./cmd/${SERVICE}

# Static binary on distroless: no shell, no package manager, CA certificates
# and tzdata only; "nonroot" is uid/gid 65532, set numerically so Kubernetes
# runAsNonRoot can verify it.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/service /service
USER 65532:65532
EXPOSE 8080 9090 9091
ENTRYPOINT ["/service"]
CMD ["serve"]
