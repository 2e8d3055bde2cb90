#!/usr/bin/env bash
# test-cluster: cluster-up, cluster-deploy, the Go tests against the
# cluster (go test -tags cluster: test/cluster, and the tests of the
# add-ons it runs, lib.sh's selected_addons), then cluster-down, also
# when something failed. KEEP_CLUSTER=1 leaves the cluster running.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The late add-ons' build (below), stopped if the run ends before it does.
late_build=$RUN/late-addons-build
stop_late_build() {
	if [[ -f $late_build.pid ]]; then
		kill -- "-$(cat "$late_build.pid")" 2>/dev/null || true
		rm -f "$late_build.pid"
	fi
}

finish() {
	local rc=$?
	stop_late_build
	finish_run test-cluster "$rc"
}
trap finish EXIT

source "$REPO/scripts/web-lib.sh"
web_ensure_chromium
"$CLUSTER_SRC/up.sh"
SHIPSHAPE_LATE_ADDONS=later "$CLUSTER_SRC/deploy.sh"
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
# First test/cluster and the add-ons deployed with the apps; meanwhile the
# add-ons marked LATE=true (lib.sh: late_addon) are built at the lowest
# priority (on a new machine; a warm one finds them cached), then deployed
# and tested. An add-on without a test of its own (the log and trace
# stores) is proven by the test of the one that uses it (otel-collector's).
suites=(./test/cluster/) late=() late_suites=()
while read -r addon; do
	tested=false
	compgen -G "deploy/addons/$addon/*_test.go" >/dev/null && tested=true
	if late_addon "$addon"; then
		late+=("$addon")
		if $tested; then late_suites+=("./deploy/addons/$addon/"); fi
	elif $tested; then
		suites+=("./deploy/addons/$addon/")
	fi
done < <(selected_addons)
cluster_tests() { go test -tags cluster -p 1 -count=1 -timeout 30m -json "$@"; }
# The build runs in a session of its own, niced as a whole where the kernel
# groups sessions (as .ci/run runs its warm-up); finish stops it.
{
	if ((${#late[@]})); then
		# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
		setsid nice -n 19 bash -c '{ echo 19 >/proc/self/autogroup; } 2>/dev/null || true
			exec "$0" build "$@"' "$ADDONS_DRIVER" "${late[@]}" >"$late_build.log" 2>&1 &
		echo $! >"$late_build.pid"
	fi
	# its failures are counted by the report; the late add-ons' tests run anyway
	cluster_tests "${suites[@]}" || true
	if ((${#late[@]})); then
		build_ok=true
		wait "$(cat "$late_build.pid")" || build_ok=false
		rm -f "$late_build.pid"
		cat "$late_build.log" >&2
		$build_ok || die "building the late add-ons ${late[*]} failed (above)"
		"$CLUSTER_SRC/addons-deploy.sh" "${late[@]}" >&2
		((${#late_suites[@]} == 0)) || cluster_tests "${late_suites[@]}"
	fi
} | static_go_run ./cmd/testreport
