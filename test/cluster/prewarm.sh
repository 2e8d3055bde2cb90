#!/usr/bin/env bash
# Compiles into the Go build cache what the cluster stage builds from this
# checkout with its own flags (static, -trimpath): the images' binaries,
# the host's registry, S3 store and volume driver (registryctl, s3store,
# btrfs-csi) and the compliance-report add-on. .ci/run runs it niced after build.sh, beside
# `make test`, whose last quarter leaves a CPU partly idle; test-cluster
# then links instead of compiling. make test compiles the graph with -race
# and, for its child processes and `make build`, with these same flags, so
# this mostly adds dbagent, pause and compliance-report. Nothing is written
# but the build cache: the binaries are discarded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# -ldflags only changes the link, so it is left out.
static_go_build ./cmd/identity ./cmd/catalog ./cmd/cart ./cmd/orders ./cmd/gateway ./cmd/dbagent ./cmd/pause ./cmd/compliance-report \
	./cmd/registryctl ./cmd/s3store ./cmd/btrfs-csi
