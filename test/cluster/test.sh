#!/usr/bin/env bash
# test-cluster: cluster-up, cluster-deploy, the Go tests against the
# cluster (go test -tags cluster: test/cluster, and the tests of the
# add-ons it runs, lib.sh's selected_addons), then cluster-down, also
# when something failed. KEEP_CLUSTER=1 leaves the cluster running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

finish() {
	local rc=$?
	if [[ ${KEEP_CLUSTER:-} == 1 ]]; then
		echo "cluster kept (KEEP_CLUSTER=1): KUBECONFIG=$KUBECONFIG; make cluster-down removes it"
	else
		"$CLUSTER_SRC/down.sh" || rc=1
	fi
	phase "test-cluster finished (exit $rc)"
	exit $rc
}
trap finish EXIT

source "$REPO/scripts/web-lib.sh"
web_ensure_chromium
"$CLUSTER_SRC/up.sh"
"$CLUSTER_SRC/deploy.sh"
BUSYBOX_IMAGE=$(cat "$STATE/images/busybox.ref")
# the release registry and its CA, password and deployed digests
SHIPSHAPE_CLUSTER_STATE=$STATE SHIPSHAPE_REGISTRY=$REGISTRY
# the edge's client network (lib.sh, EDGE_*)
SHIPSHAPE_EDGE_NETNS=$EDGE_NETNS SHIPSHAPE_EDGE_LINK=$EDGE_LINK
SHIPSHAPE_EDGE_CLIENT_IP=$EDGE_CLIENT_IP SHIPSHAPE_EDGE_CLIENT2_IP=$EDGE_CLIENT2_IP
SHIPSHAPE_EDGE_DNS=$EDGE_DNS SHIPSHAPE_EDGE_ZONE=$EDGE_ZONE
export BUSYBOX_IMAGE SHIPSHAPE_CLUSTER_STATE SHIPSHAPE_REGISTRY SHIPSHAPE_EDGE_NETNS SHIPSHAPE_EDGE_LINK SHIPSHAPE_EDGE_CLIENT_IP SHIPSHAPE_EDGE_CLIENT2_IP \
	SHIPSHAPE_EDGE_DNS SHIPSHAPE_EDGE_ZONE
cd "$REPO"
suites=(./test/cluster/)
# An add-on without a test of its own (the log and trace stores) is
# proven by the test of the one that uses it (otel-collector's).
while read -r addon; do
	compgen -G "deploy/addons/$addon/*_test.go" >/dev/null && suites+=("./deploy/addons/$addon/")
done < <(selected_addons)
go test -tags cluster -p 1 -count=1 -timeout 30m -json "${suites[@]}" | static_go_run ./cmd/testreport
