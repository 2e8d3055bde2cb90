#!/usr/bin/env bash
# test-nodes: the three-node suite (test/nodes): a cluster of
# SHIPSHAPE_NODES nodes (3 unless set; node.sh), the shop deployed on it
# as production runs it (test/nodes/overlay, with only the add-ons every
# test cluster has), the suite's tests, then cluster-down, also when
# something failed. KEEP_CLUSTER=1 leaves the cluster running.
set -euo pipefail
SHIPSHAPE_NODES=${SHIPSHAPE_NODES:-3}
export SHIPSHAPE_NODES
. "$(dirname "$0")/lib.sh"
((NODES >= 3)) || die "the three-node suite needs SHIPSHAPE_NODES of 3 or more, not $NODES"

trap 'finish_run test-nodes $?' EXIT

"$CLUSTER_SRC/up.sh"
SHIPSHAPE_ADDONS=minimal SHIPSHAPE_OVERLAY=$REPO/test/nodes/overlay "$CLUSTER_SRC/deploy.sh"
BUSYBOX_IMAGE=$(cat "$STATE/images/busybox.ref")
export BUSYBOX_IMAGE
cd "$REPO"
go test -tags cluster -p 1 -count=1 -timeout 20m -json ./test/nodes/ | static_go_run ./cmd/testreport
