# Shared by the cluster scripts: pinned versions, paths and progress output.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are for the scripts that source this file

K8S_VERSION=v1.37.2
ETCD_VERSION=v3.7.3
COREDNS_VERSION=v1.15.0
# the plugins build.sh compiles in: what addons/coredns.yaml's Corefile uses
COREDNS_PLUGINS="errors health ready kubernetes forward cache loop loadbalance"
LOCAL_PATH_VERSION=v0.0.30
KUBE_ROUTER_VERSION=v2.1.0
# The CSI sidecars and the snapshot controller around the test cluster's
# storage driver (internal/btrfscsi, test/cluster/storage).
CSI_DRIVER=btrfs.csi.shipshape.dev
CSI_PROVISIONER_VERSION=v6.4.0
CSI_SNAPSHOTTER_VERSION=v8.7.0
# build.sh builds them all in one module, into one cache entry named by
# everything that decides its binaries (the recipe's revision first).
CLUSTER_BUILD=cluster-$(printf '%s\n' 3 "$K8S_VERSION" "$ETCD_VERSION" "$COREDNS_VERSION" "$COREDNS_PLUGINS" \
	"$LOCAL_PATH_VERSION" "$KUBE_ROUTER_VERSION" "$CSI_PROVISIONER_VERSION" "$CSI_SNAPSHOTTER_VERSION" | cksum | cut -d' ' -f1)
# The VolumeSnapshot CRDs the test overlay's snapshot CronJob needs; the
# same module version test/manifests validates against (CRDSources).
SNAPSHOT_CRD_MODULE=github.com/kubernetes-csi/external-snapshotter/client/v8@$CSI_SNAPSHOTTER_VERSION

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER_SRC=$REPO/test/cluster
ADDONS_DRIVER=$REPO/deploy/addons/addons.sh

# selected_addons prints the add-ons a test cluster runs, one per line:
# always those whose addon.env says ALWAYS=true (needed by test/cluster
# itself), and then by SHIPSHAPE_ADDONS: unset, those that say DEFAULT=true
# (observability, releases, GitOps, the edge: what CI runs); "all", every folder of
# deploy/addons; "minimal", no more; else the names it lists (comma- or
# space-separated).
selected_addons() {
	local want=${SHIPSHAPE_ADDONS-default} f name
	local -A seen=()
	for f in "$REPO"/deploy/addons/*/addon.env; do
		name=${f%/addon.env} name=${name##*/}
		if [[ $want == all ]] || grep -qx 'ALWAYS=true' "$f" ||
			{ [[ $want == default ]] && grep -qx 'DEFAULT=true' "$f"; }; then
			seen[$name]=1
			echo "$name"
		fi
	done
	[[ $want == all || $want == default || $want == minimal ]] && return
	for name in ${want//,/ }; do
		[[ -f $REPO/deploy/addons/$name/addon.env ]] || die "SHIPSHAPE_ADDONS: no add-on $name in deploy/addons"
		[[ -n ${seen[$name]:-} ]] || echo "$name"
		seen[$name]=1
	done
}
# late_addon NAME: whether the add-on's addon.env says LATE=true: no test
# but its own needs it, so test.sh builds it while the first tests run (a
# new machine's CPU is idle for much of them) and deploys it after them.
late_addon() { grep -qx 'LATE=true' "$REPO/deploy/addons/$1/addon.env"; }
# Built binaries and images are cached by version outside the repository;
# the running cluster's state lives in its own directory and is removed by
# cluster-down.
CACHE=${SHIPSHAPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape}
BUILD=$CACHE/cluster-build
STATE=${SHIPSHAPE_CLUSTER_STATE:-/var/lib/shipshape-cluster}
# up.sh refuses to start with less free space than this (GiB) under STATE
MIN_FREE_GIB=${SHIPSHAPE_MIN_FREE_GIB:-12}
# the number of nodes (see NODE_BRIDGE below): up.sh records it in the state
# directory, for every later command of that cluster
NODES=${SHIPSHAPE_NODES:-$(cat "$STATE/node-count" 2>/dev/null || echo 1)}
BIN=$STATE/bin
PKI=$STATE/pki
LOGS=$STATE/logs
RUN=$STATE/run

# The node: one address on the loopback device, so nothing binds to the
# machine's real interfaces, and one node name.
NODE_IP=10.250.0.1
NODE_NAME=shipshape-node
SERVICE_CIDR=10.96.0.0/16
POD_CIDR=10.244.0.0/24
# More nodes (NODES: SHIPSHAPE_NODES, 1 unless set; the three-node suite runs 3):
# node 1 is the host itself, beside the control plane; node I of 2..N runs
# its containerd, kubelet, kube-proxy and kube-router in a network
# namespace of its own (node.sh), its address on a bridge that joins the
# nodes (NODE_BRIDGE, NODE_NET). Each node has a /24 of POD_NET and a zone
# (topology.kubernetes.io/zone a, b, c, ...); kube-router routes between
# the nodes' pod networks (BGP over the bridge).
NODE_BRIDGE=shipshape0
NODE_NET=10.250.0.0/24
POD_NET=10.244.0.0/16
node_name() { if (($1 == 1)); then echo "$NODE_NAME"; else echo "$NODE_NAME-$1"; fi; }
node_ip() { echo "${NODE_NET%.0/*}.$1"; }
node_pod_cidr() { echo "${POD_NET%.0.0/*}.$(($1 - 1)).0/24"; }
node_zone() { local zones=(a b c d e f g h); echo "${zones[$1 - 1]}"; }
node_netns() { echo "shipshape-node-$1"; }
# node_state I: where node I keeps its containerd, kubelet and CNI state
# (node 1's is the cluster's own directory, as before there were more).
node_state() { if (($1 == 1)); then echo "$STATE"; else echo "$STATE/nodes/$1"; fi; }
# render_node I TEMPLATE: a node's configuration (node/*) for node I. With
# more nodes than one, kube-router masquerades what leaves the pods'
# networks (its pod egress), not the bridge plugin: the bridge's would
# hide a pod's address from pods on other nodes, and their policies.
render_node() {
	local masq=true cluster_cidr=$POD_CIDR
	if ((NODES > 1)); then masq=false cluster_cidr=$POD_NET; fi
	sed -e "s|@STATE@|$STATE|g" -e "s|@NODE_STATE@|$(node_state "$1")|g" -e "s|@NODE_IP@|$(node_ip "$1")|g" \
		-e "s|@NODE_NAME@|$(node_name "$1")|g" -e "s|@POD_CIDR@|$(node_pod_cidr "$1")|g" \
		-e "s|@CLUSTER_CIDR@|$cluster_cidr|g" -e "s|@IP_MASQ@|$masq|g" -e "s|@DNS_IP@|$DNS_IP|g" \
		-e "s|@PAUSE_IMAGE@|shipshape.local/pause:1|g" "$2"
}
# kube_router_args I: kube-router's flags on node I: it enforces
# NetworkPolicy; with more nodes it also routes between their pod networks
# (BGP among the nodes over the bridge, no tunnel: they share one subnet).
kube_router_args() {
	# (a node that joins later is learnt on the routes' periodic sync)
	local router=false sync=5m
	if ((NODES > 1)); then router=true sync=30s; fi
	printf '%s\n' --kubeconfig="$STATE/kube-router.kubeconfig" --hostname-override="$(node_name "$1")" \
		--run-firewall=true --run-router="$router" --enable-overlay=false --enable-pod-egress="$router" \
		--run-service-proxy=false --enable-cni=false --health-port=0 --metrics-port=0 \
		--routes-sync-period="$sync"
}
# register_node I: the Node object of node I, made before its kubelet
# registers (which then takes it over), with its pod network in
# spec.podCIDR: node/cni.conflist's ranges are fixed per node, so the
# controller-manager does not allocate them. Every node is registered
# before any kube-router starts: each reads all the nodes' pod networks
# when it starts, and again only on its periodic sync.
register_node() {
	kubectl get node "$(node_name "$1")" >/dev/null 2>&1 && return
	kubectl create -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: $(node_name "$1")
  labels:
    kubernetes.io/hostname: $(node_name "$1")
    topology.kubernetes.io/zone: $(node_zone "$1")
spec:
  podCIDR: $(node_pod_cidr "$1")
  podCIDRs: [$(node_pod_cidr "$1")]
NODE
}
# import_system_images SOCKET: the images a node needs before anything
# could pull (images.sh system lists them) into the containerd at SOCKET,
# and busybox tagged by its digest, which it prints: the tests' pods name
# busybox by digest (where image signatures are checked, in the apps'
# namespace, only a digest is admitted).
import_system_images() {
	local ctr=(ctr -a "$1" -n k8s.io) archive tag digest
	while IFS= read -r archive; do
		"${ctr[@]}" images import --no-unpack=false "$archive" >/dev/null
	done <"$STATE/images/system-images"
	tag=$(cat "$STATE/images/busybox.tag")
	digest=$("${ctr[@]}" images ls "name==$tag" | awk 'NR == 2 { print $3 }')
	[[ $digest == sha256:* ]] || die "images: no digest for the imported busybox"
	"${ctr[@]}" images tag --force "$tag" "${tag%:*}@$digest" >/dev/null
	echo "${tag%:*}@$digest"
}
# node_daemon I NAME: the name (for start, stop and $RUN) of node I's daemon
# NAME: node 1's keep their plain names.
node_daemon() { if (($1 == 1)); then echo "$2"; else echo "node$1-$2"; fi; }
# worker_nodes: the numbers of the nodes node.sh started (2..N), from the
# state directory, so that down.sh needs no SHIPSHAPE_NODES.
worker_nodes() {
	local d
	for d in "$STATE"/nodes/*/; do
		[[ -d $d ]] && basename "$d"
	done | sort -n
}
# node_socket I: node I's containerd socket (node/containerd.toml)
node_socket() { echo "$(node_state "$1")/containerd/containerd.sock"; }
# node_sockets: every node's containerd socket, node 1's first: where an
# image that is never pulled (imagePullPolicy: Never) must be imported.
node_sockets() {
	local i
	for i in 1 $(worker_nodes); do node_socket "$i"; done
}
DNS_IP=10.96.0.10
# The edge: the link a client outside the cluster arrives on (host.sh). A
# network namespace stands for the clients' network, joined to the host by
# a veth pair: EDGE_LINK on the host, eth0 inside. MetalLB's pool
# (test/cluster/addons/metallb.yaml) is on the same /24, so a client
# finds a LoadBalancer address by ARP, which only MetalLB's speaker answers.
EDGE_NETNS=shipshape-edge
EDGE_LINK=edge0
EDGE_HOST_IP=10.251.0.1
EDGE_CLIENT_IP=10.251.0.2
# a second client on the same network (the per-client limits' tests)
EDGE_CLIENT2_IP=10.251.0.3
# The edge network's DNS server (dns/dns.sh: BIND on the host's end of the
# link), authoritative for the zone of the test overlay's hosts.
EDGE_DNS=$EDGE_HOST_IP:53
EDGE_ZONE=shipshape.test
# The release registry the apps are pulled from by digest (up.sh runs it on
# the node address: TLS with a CA of its own, one account whose password
# pki.sh generates; never in git).
REGISTRY=$NODE_IP:5443
REGISTRY_USER=shipshape-release
# The S3 the PostgreSQL members keep their backup repository in (cmd/s3store
# on the node address, where the cloud's S3 would be; TLS with a CA of its
# own from pki.sh). Pods reach it by this name: a headless Service without
# selector whose EndpointSlice names the node address (test/cluster/overlay).
S3_STORE=$NODE_IP:9443
S3_NAME=backup-repository.shipshape.svc.cluster.local

export KUBECONFIG=$STATE/admin.kubeconfig
export PATH=$BIN:$PATH
REPO_ROOT=$REPO . "$REPO/scripts/go-toolchain.sh"

T0=${T0:-$(date +%s.%N)}
export T0
# phase prints a line with the seconds since the command started.
phase() { awk -v now="$(date +%s.%N)" -v t0="$T0" -v msg="$*" 'BEGIN { printf "[%6.1fs] %s\n", now - t0, msg }'; }
die() { echo "cluster: $*" >&2; exit 1; }

# waitfor retries a command every half second until it succeeds or the
# number of seconds given runs out.
waitfor() {
	local what=$1 secs=$2
	shift 2
	local end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS >= end)); then
			echo "cluster: timed out after ${secs}s waiting for $what" >&2
			return 1
		fi
		sleep 0.5
	done
}

# The host's daemons (up.sh, storage/storage.sh), each by the PID it
# recorded in $RUN.
running() { [[ -f $RUN/$1.pid ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# start NAME COMMAND...: runs a daemon in its own session, logging to
# $LOGS/NAME.log, unless it already runs.
start() {
	local name=$1
	shift
	running "$name" && return
	setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/$name.pid"
}

# stop NAME: TERM, up to 20 s to exit, then KILL.
stop() {
	local name=$1 pid
	[[ -f $RUN/$name.pid ]] || return 0
	pid=$(cat "$RUN/$name.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		local end=$((SECONDS + 20))
		while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
		kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
	fi
	rm -f "$RUN/$name.pid"
}

# remove_containers SOCKET: kills and deletes every container of the
# containerd at SOCKET, if it answers (cluster-down, node.sh down).
remove_containers() {
	[[ -S $1 ]] && ctr -a "$1" version >/dev/null 2>&1 || return 0
	local ctr=(ctr -a "$1" -n k8s.io) id
	for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do "${ctr[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
	for id in $("${ctr[@]}" containers ls -q 2>/dev/null); do
		"${ctr[@]}" tasks delete -f "$id" >/dev/null 2>&1 || true
		"${ctr[@]}" containers rm "$id" >/dev/null 2>&1 || true
	done
}
# unmount_under DIR: every mount below DIR, deepest first.
unmount_under() {
	findmnt -rn -o TARGET | { grep "^$1/" || true; } | sort -r | while read -r m; do umount -l "$m"; done
}
# detach_loop_devices FILE: the loop devices backed by FILE.
detach_loop_devices() {
	[[ -f $1 ]] || return 0
	losetup -j "$1" -n -O NAME | while read -r dev; do losetup -d "$dev"; done
}
# remove_cgroups DIR...: empty cgroup trees (the pods' under the cgroupfs
# driver), deepest first.
remove_cgroups() {
	local root
	for root in "$@"; do
		[[ ! -d $root ]] || find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
	done
}

# finish_run NAME RC: the end of a test run (test.sh, test-nodes.sh):
# cluster-down unless KEEP_CLUSTER=1, then exit with RC, or 1 when
# cluster-down failed.
finish_run() {
	local rc=$2
	if [[ ${KEEP_CLUSTER:-} == 1 ]]; then
		echo "cluster kept (KEEP_CLUSTER=1): KUBECONFIG=$KUBECONFIG; make cluster-down removes it"
	else
		"$CLUSTER_SRC/down.sh" || rc=1
	fi
	phase "$1 finished (exit $rc)"
	exit "$rc"
}

# static_go_build ARGS...: `go build` in the checkout as the images need
# its binaries, static and -trimpath (internal/gobuild: make build and
# the tests' child processes build the same way, so one compile of the
# project's graph serves them all; test/consistency holds them together).
# static_go_run: `go run` the same way, the program run without
# CGO_ENABLED=0 in its environment (a build setting; Makefile's GO_RUN).
static_go_build() { (cd "$REPO" && CGO_ENABLED=0 go build -trimpath "$@"); }
static_go_run() { (cd "$REPO" && CGO_ENABLED=0 go run -trimpath -exec 'env -u CGO_ENABLED' "$@"); }

# tool NAME ARGS...: a tool pinned in tools/go.mod (kustomize, cosign,
# syft), run from the checkout.
tool() { (cd "$REPO" && go tool -modfile=tools/go.mod "$@"); }

# registry_credentials FILE: the release registry's account as a docker
# config.json (mode 0600): what cosign reads from $DOCKER_CONFIG, and the
# apps' pull Secret (.dockerconfigjson).
registry_credentials() {
	local password auth
	password=$(cat "$PKI/registry.password")
	auth=$(printf '%s:%s' "$REGISTRY_USER" "$password" | base64 -w0)
	(umask 077 && printf '{"auths":{"%s":{"username":"%s","password":"%s","auth":"%s"}}}\n' \
		"$REGISTRY" "$REGISTRY_USER" "$password" "$auth" >"$1")
}

# static_base_args prints, one per line, the imagepack arguments of the
# files every static image carries, as distroless does: the users, the CA
# bundle and a world-writable /tmp. It writes passwd and group into the
# directory given; callers read the lines into an array.
static_base_args() {
	local etc=$1
	mkdir -p "$etc"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$etc/passwd"
	printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$etc/group"
	printf '%s\n' -file "$etc/passwd=/etc/passwd:0644" -file "$etc/group=/etc/group:0644" \
		-file "/etc/ssl/certs/ca-certificates.crt=/etc/ssl/certs/ca-certificates.crt:0644" -dir "/tmp:1777:0:0"
}
