# syntax=docker/dockerfile:1
# PostgreSQL 15, Patroni and pgBackRest from Debian's packages, plus dbagent:
#   docker build -f deploy/docker/postgres.Dockerfile -t shipshape/postgres:dev .
# The package list is postgres.packages; the test cluster builds the same
# list and the same dbagent without Docker (test/cluster/images.sh).
# Debian's layout: binaries in /usr/lib/postgresql/15/bin; user postgres =
# uid/gid 10002, created before the packages so that they own their files
# by it (Debian's own would be 999, which can collide with a host user;
# the StatefulSet runs as 10002). No cluster is created here:
# Patroni initialises or clones one on the data volume.

ARG GO_IMAGE=golang:1.27.3

FROM ${GO_IMAGE} AS build
ARG VERSION=dev
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath \
      -ldflags "-s -w -X github.com/shipshape-dev/shipshape/internal/platform/version.Version=${VERSION}" \
      -o /out/dbagent ./cmd/dbagent

FROM debian:bookworm-slim
RUN groupadd --system --gid 10002 postgres \
 && useradd --system --uid 10002 --gid 10002 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /etc/postgresql-common/createcluster.d \
 && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/shipshape.conf
COPY deploy/docker/postgres.packages /tmp/postgres.packages
RUN apt-get update \
 && grep -v '^#' /tmp/postgres.packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/postgres.packages
COPY --from=build /out/dbagent /usr/local/bin/dbagent
USER 10002:10002
ENV PGDATA=/var/lib/postgresql/data/pgdata
EXPOSE 5432 8008 9187
CMD ["/usr/bin/patroni", "/etc/patroni"]
