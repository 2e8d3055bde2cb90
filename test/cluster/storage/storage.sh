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
#   storage.sh up        after the API server and the kubelet (up.sh)
#   storage.sh stop      the daemons, after the kubelet stopped (down.sh)
#   storage.sh release   the loop device, once its mounts are gone (down.sh)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

POOL_IMAGE=$STATE/storage/pool.img
POOL=$STATE/storage/pool
PLUGIN_DIR=$STATE/kubelet/root/plugins/$CSI_DRIVER
REGISTRY_DIR=$STATE/kubelet/root/plugins_registry
DAEMONS=(snapshot-controller csi-snapshotter csi-provisioner btrfs-csi)

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
	[[ $(kubectl get csinode "$NODE_NAME" -o jsonpath='{.spec.drivers[*].name}' 2>/dev/null) == *"$CSI_DRIVER"* ]]
}

up() {
	mkdir -p "$STATE/storage" "$PLUGIN_DIR" "$REGISTRY_DIR"
	mount_pool
	static_go_build -o "$BIN/btrfs-csi" ./cmd/btrfs-csi
	start btrfs-csi "$BIN/btrfs-csi" -name "$CSI_DRIVER" -node "$NODE_NAME" -pool "$POOL" \
		-socket "$PLUGIN_DIR/csi.sock" -registration "$REGISTRY_DIR/$CSI_DRIVER-reg.sock"
	kubectl apply -f "$CLUSTER_SRC/storage/csidriver.yaml" >/dev/null
	waitfor "the kubelet to register $CSI_DRIVER" 60 driver_registered

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

	# Without group snapshots (their CRDs are not installed: no test and
	# no runbook takes one), which the snapshotter would otherwise wait for.
	local sock=$PLUGIN_DIR/csi.sock no_groups=--feature-gates=CSIVolumeGroupSnapshot=false
	start csi-provisioner "$BIN/csi-provisioner" --kubeconfig="$(token_kubeconfig default csi-provisioner)" \
		--csi-address="$sock" --timeout=60s
	start csi-snapshotter "$BIN/csi-snapshotter" --kubeconfig="$(token_kubeconfig default csi-snapshotter)" \
		--csi-address="$sock" --timeout=60s "$no_groups"
	start snapshot-controller "$BIN/snapshot-controller" --kubeconfig="$(token_kubeconfig kube-system snapshot-controller)" "$no_groups"
}

case ${1:-} in
up) up ;;
stop) for d in "${DAEMONS[@]}"; do stop "$d"; done ;;
release)
	if [[ -f $POOL_IMAGE ]]; then
		losetup -j "$POOL_IMAGE" -n -O NAME | while read -r dev; do losetup -d "$dev"; done
	fi
	;;
*) die "usage: storage.sh up|stop|release" ;;
esac
