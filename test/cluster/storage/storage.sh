#!/usr/bin/env bash
# The test cluster's storage, as a cloud gives it: volumes with snapshots.
# A btrfs file system in a sparse file on a loop device is the node's disk
# pool; internal/btrfscsi (cmd/btrfs-csi) makes volumes and atomic
# snapshots in it as a CSI driver, registered with the kubelet; the
# upstream external-provisioner, csi-snapshotter and snapshot-controller
# (built by ../build.sh) drive it from PersistentVolumeClaims and
# VolumeSnapshots, each with its upstream RBAC (read from the pinned
# module) and a token of its own ServiceAccount. All run on the host beside
# the kubelet, like the node's other agents.
#
#   storage.sh up         after the API server and the kubelet (up.sh)
#   storage.sh node-up I  node I's pool, driver and sidecars (node.sh, for
#                         a cluster of more nodes: each node its own pool,
#                         as each machine its own disk)
#   storage.sh stop       the daemons, after the kubelet stopped (down.sh)
#   storage.sh release    the loop devices, once their mounts are gone (down.sh)
#
# With more nodes than one, each node's external-provisioner and
# csi-snapshotter run beside its driver in their node deployment mode: each
# serves only the claims the scheduler placed on its node, and their
# snapshots.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

NODE_DAEMONS=(csi-snapshotter csi-provisioner btrfs-csi)

# for_node I: node I's paths and daemon names (node 1's as they were
# before there were more nodes).
for_node() {
	local dir
	dir=$(node_state "$1")
	NODE=$1
	POOL_IMAGE=$dir/storage/pool.img
	POOL=$dir/storage/pool
	PLUGIN_DIR=$dir/kubelet/root/plugins/$CSI_DRIVER
	REGISTRY_DIR=$dir/kubelet/root/plugins_registry
}
for_node 1

# The pool: sparse, so it takes only what the volumes hold.
mount_pool() {
	mountpoint -q "$POOL" && return
	mkdir -p "$POOL"
	local fresh=false dev
	[[ -f $POOL_IMAGE ]] || { truncate -s 40G "$POOL_IMAGE"; fresh=true; }
	dev=$(losetup -j "$POOL_IMAGE" -n -O NAME | head -n1)
	[[ -n $dev ]] || dev=$(losetup --find --show "$POOL_IMAGE")
	if $fresh; then mkfs.btrfs -q "$dev" >/dev/null; fi
	mount "$dev" "$POOL"
}

module_dir() {
	(cd "$REPO" && go mod download -json "$1") | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# token_kubeconfig NAMESPACE SERVICEACCOUNT: a kubeconfig with a token of
# that ServiceAccount, so the daemon has the upstream role's rights and no
# others. The token lasts 48 h, far longer than a test run; a cluster kept
# longer needs its storage daemons stopped and started again.
token_kubeconfig() {
	local file=$STATE/storage/$2.kubeconfig token
	token=$(kubectl -n "$1" create token "$2" --duration=48h)
	umask 077
	cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: shipshape-test
    cluster: {server: "https://$NODE_IP:6443", certificate-authority: "$PKI/ca.crt"}
users:
  - name: $2
    user: {token: "$token"}
contexts:
  - name: $2
    context: {cluster: shipshape-test, user: $2}
current-context: $2
KUBECONFIG
	echo "$file"
}

driver_registered() {
	[[ $(kubectl get csinode "$(node_name "$NODE")" -o jsonpath='{.spec.drivers[*].name}' 2>/dev/null) == *"$CSI_DRIVER"* ]]
}

# node_up: the node's pool, its driver registered with its kubelet, and
# its sidecars.
node_up() {
	mkdir -p "$(dirname "$POOL")" "$PLUGIN_DIR" "$REGISTRY_DIR"
	mount_pool
	start "$(node_daemon "$NODE" btrfs-csi)" "$BIN/btrfs-csi" -name "$CSI_DRIVER" -node "$(node_name "$NODE")" -pool "$POOL" \
		-socket "$PLUGIN_DIR/csi.sock" -registration "$REGISTRY_DIR/$CSI_DRIVER-reg.sock"
	waitfor "the kubelet of $(node_name "$NODE") to register $CSI_DRIVER" 60 driver_registered

	# Without group snapshots (their CRDs are not installed: no test and
	# no runbook takes one), which the snapshotter would otherwise wait for.
	local sock=$PLUGIN_DIR/csi.sock no_groups=--feature-gates=CSIVolumeGroupSnapshot=false node=()
	((NODES == 1)) || node=(env "NODE_NAME=$(node_name "$NODE")")
	local per_node=()
	((NODES == 1)) || per_node=(--node-deployment=true)
	start "$(node_daemon "$NODE" csi-provisioner)" "${node[@]}" "$BIN/csi-provisioner" \
		--kubeconfig="$STATE/storage/csi-provisioner.kubeconfig" --csi-address="$sock" --timeout=60s "${per_node[@]}"
	start "$(node_daemon "$NODE" csi-snapshotter)" "${node[@]}" "$BIN/csi-snapshotter" \
		--kubeconfig="$STATE/storage/csi-snapshotter.kubeconfig" --csi-address="$sock" --timeout=60s "$no_groups" "${per_node[@]}"
}

up() {
	mkdir -p "$STATE/storage"
	static_go_build -o "$BIN/btrfs-csi" ./cmd/btrfs-csi
	kubectl apply -f "$CLUSTER_SRC/storage/csidriver.yaml" >/dev/null

	# The VolumeSnapshot CRDs, then each daemon's upstream RBAC.
	local client snapshotter provisioner kind
	client=$(module_dir "$SNAPSHOT_CRD_MODULE")
	snapshotter=$(module_dir "github.com/kubernetes-csi/external-snapshotter/v8@$CSI_SNAPSHOTTER_VERSION")
	provisioner=$(module_dir "github.com/kubernetes-csi/external-provisioner/v6@$CSI_PROVISIONER_VERSION")
	[[ -d $client && -d $snapshotter && -d $provisioner ]] || die "could not download the CSI modules"
	for kind in volumesnapshotclasses volumesnapshots volumesnapshotcontents; do
		kubectl apply --server-side --field-manager=shipshape-test -f "$client/config/crd/snapshot.storage.k8s.io_$kind.yaml" >/dev/null
		kubectl wait --for=condition=Established "crd/$kind.snapshot.storage.k8s.io" --timeout=60s >/dev/null
	done
	kubectl apply -f "$provisioner/deploy/kubernetes/rbac.yaml" >/dev/null
	kubectl -n default apply -f "$snapshotter/deploy/kubernetes/csi-snapshotter/rbac-csi-snapshotter.yaml" >/dev/null
	kubectl apply -f "$snapshotter/deploy/kubernetes/snapshot-controller/rbac-snapshot-controller.yaml" >/dev/null
	token_kubeconfig default csi-provisioner >/dev/null
	token_kubeconfig default csi-snapshotter >/dev/null
	# with more nodes, it labels each snapshot's content with the node that
	# holds the volume, for that node's csi-snapshotter
	local distributed=()
	if ((NODES > 1)); then
		distributed=(--enable-distributed-snapshotting)
		kubectl apply -f "$CLUSTER_SRC/storage/snapshot-controller-nodes.yaml" >/dev/null
	fi
	start snapshot-controller "$BIN/snapshot-controller" --kubeconfig="$(token_kubeconfig kube-system snapshot-controller)" \
		--feature-gates=CSIVolumeGroupSnapshot=false "${distributed[@]}"
	node_up
}

# the numbers of every node with storage
storage_nodes() { echo 1; worker_nodes; }

case ${1:-} in
up) up ;;
node-up)
	for_node "$2"
	node_up
	;;
stop)
	for i in $(storage_nodes); do
		for_node "$i"
		for d in "${NODE_DAEMONS[@]}"; do stop "$(node_daemon "$i" "$d")"; done
	done
	stop snapshot-controller
	;;
release)
	for i in $(storage_nodes); do
		for_node "$i"
		detach_loop_devices "$POOL_IMAGE"
	done
	;;
*) die "usage: storage.sh up|node-up I|stop|release" ;;
esac
