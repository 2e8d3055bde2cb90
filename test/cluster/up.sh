#!/usr/bin/env bash
# cluster-up: a single-node Kubernetes cluster from upstream sources on this
# machine: etcd, the control plane and the kubelet bound to loopback or the
# node address ($NODE_IP on lo), containerd with the bridge CNI, kube-proxy,
# CoreDNS, local-path volumes, kube-router enforcing NetworkPolicy, and the
# btrfs volumes with snapshots under the database (storage/storage.sh).
# Idempotent: what already runs is left alone. Undo with down.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$CLUSTER_SRC/host.sh"

# Debian packages the node needs: container runtime, CNI plugins, netfilter
# tools, busybox for the helper image, mmdebstrap for the PostgreSQL image,
# btrfs-progs for the volumes (storage/storage.sh), BIND and dig for the
# edge's DNS (dns/dns.sh), NSS's certutil for the browser that trusts the
# test CA (deploy/addons/external-dns).
ensure_packages() {
	local missing=() pair
	for pair in containerd:containerd runc:runc /usr/lib/cni/bridge:containernetworking-plugins \
		iptables:iptables conntrack:conntrack ipset:ipset /bin/busybox:busybox-static \
		mmdebstrap:mmdebstrap openssl:openssl curl:curl ip:iproute2 sysctl:procps mkfs.btrfs:btrfs-progs \
		named:bind9 dig:bind9-dnsutils certutil:libnss3-tools; do
		[[ -x ${pair%%:*} ]] || command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
	done
	((${#missing[@]} == 0)) && return
	phase "installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# render TEMPLATE: the cluster's add-ons (addons/*.yaml)
render() {
	sed -e "s|@VOLUMES@|$STATE/volumes|g" -e "s|@DNS_IP@|$DNS_IP|g" -e "s|@DNS_REPLICAS@|$(((NODES > 1) + 1))|g" \
		-e "s|@COREDNS_IMAGE@|shipshape.local/coredns:$COREDNS_VERSION|g" \
		-e "s|@LOCAL_PATH_IMAGE@|shipshape.local/local-path-provisioner:$LOCAL_PATH_VERSION|g" \
		-e "s|@BUSYBOX_IMAGE@|$(cat "$STATE/images/busybox.ref" 2>/dev/null)|g" "$1"
}

# On failure: the logs of whatever was starting, and how to clean up.
# shellcheck disable=SC2154 # f is the trap's own loop variable
trap 'rc=$?; if ((rc)); then echo "cluster-up failed; last log lines:" >&2;
	for f in "$LOGS"/*.log; do [[ -f $f ]] && { echo "--- $f" >&2; tail -n 8 "$f" >&2; }; done;
	echo "make cluster-down removes everything this started." >&2; fi' EXIT

# The kubelet evicts pods when the node's file system runs low (about 2.5
# GiB free here), and a run that starts near that fails forty minutes later
# in tests that have nothing to do with it: refuse it now, naming the cause.
ensure_space() {
	local dir=$STATE avail_gib
	while [[ ! -d $dir ]]; do dir=$(dirname "$dir"); done
	avail_gib=$(($(df --output=avail -B1 "$dir" | tail -n 1) / 1024 / 1024 / 1024))
	((avail_gib >= MIN_FREE_GIB)) || die "only $avail_gib GiB free on the file system of $STATE, want $MIN_FREE_GIB:" \
		"the cluster's images, volumes and logs need about 10 GiB, and the kubelet evicts pods below about 2.5." \
		"Free space first (the largest are usually the Go build cache, go clean -cache, and $CACHE)."
}

ensure_packages
"$CLUSTER_SRC/build.sh"
ensure_space
if [[ -f $STATE/node-count && $(cat "$STATE/node-count") != "$NODES" ]]; then
	die "the cluster in $STATE runs $(cat "$STATE/node-count") nodes, not $NODES: make cluster-down first"
fi
mkdir -p "$BIN" "$PKI" "$LOGS" "$RUN" "$STATE/cni/net.d" "$STATE/volumes" "$STATE/kubelet/root" "$STATE/audit"
for cmd in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl kube-router \
	csi-provisioner csi-snapshotter snapshot-controller; do
	ln -sf "$BUILD/$CLUSTER_BUILD/$cmd" "$BIN/"
done

echo "$NODES" >"$STATE/node-count"
host_record
host_prepare
phase "host prepared (node address $NODE_IP, IP forwarding on)"

[[ -f $PKI/ca.crt ]] || "$CLUSTER_SRC/pki.sh"
render_node 1 "$CLUSTER_SRC/node/containerd.toml" >"$STATE/containerd.toml"
render_node 1 "$CLUSTER_SRC/node/kubelet.yaml" >"$STATE/kubelet.yaml"
render_node 1 "$CLUSTER_SRC/node/kube-proxy.yaml" >"$STATE/kube-proxy.yaml"
render_node 1 "$CLUSTER_SRC/node/cni.conflist" >"$STATE/cni/net.d/10-shipshape.conflist"
phase "certificates and configuration written to $STATE"

# The release registry (internal/ociregistry), and containerd's trust in
# it for that host only. Built first, so that starting it is quick.
static_go_build -o "$BIN/registryctl" ./cmd/registryctl
(cd "$REPO" && "$BIN/registryctl" build >/dev/null)
mkdir -p "$STATE/registry" "$STATE/containerd/certs.d/$REGISTRY"
cat >"$STATE/containerd/certs.d/$REGISTRY/hosts.toml" <<HOSTS
server = "https://$REGISTRY"
[host."https://$REGISTRY"]
  capabilities = ["pull", "resolve"]
  ca = "$PKI/registry-ca.crt"
HOSTS
(cd "$REPO" && start registry "$BIN/registryctl" serve -dir "$STATE/registry" -addr "$REGISTRY" \
	-cert "$PKI/registry.crt" -key "$PKI/registry.key" -user "$REGISTRY_USER" -password-file "$PKI/registry.password")
# The S3 store of the database's backup repository (cmd/s3store).
static_go_build -o "$BIN/s3store" ./cmd/s3store
start s3store "$BIN/s3store" -addr "$S3_STORE" -bucket shipshape-test-backups \
	-cert "$PKI/s3.crt" -key "$PKI/s3.key"
start containerd containerd --config "$STATE/containerd.toml"
start etcd etcd --name shipshape-test --data-dir "$STATE/etcd" \
	--listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
	--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
	--initial-cluster shipshape-test=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
waitfor containerd 60 ctr -a "$(node_socket 1)" version
phase "containerd running"
# It asks for credentials (401) once it serves.
registry_serves() { [[ $(curl -s -o /dev/null -w '%{http_code}' --cacert "$PKI/registry-ca.crt" "https://$REGISTRY/v2/") == 401 ]]; }
waitfor "the registry on $REGISTRY" 60 registry_serves
phase "release registry serving on https://$REGISTRY"
s3_serves() { curl -sf -o /dev/null --cacert "$PKI/s3-ca.crt" --resolve "$S3_NAME:${S3_STORE#*:}:${S3_STORE%:*}" "https://$S3_NAME:${S3_STORE#*:}/shipshape-test-backups"; }
waitfor "the S3 store on $S3_STORE" 60 s3_serves
phase "S3 store serving on https://$S3_STORE"
"$CLUSTER_SRC/dns/dns.sh" up
phase "BIND serving $EDGE_ZONE on $EDGE_DNS"
"$CLUSTER_SRC/images.sh" system
phase "system images imported (pause, CoreDNS, local-path-provisioner, busybox)"
waitfor etcd 60 curl -sf http://127.0.0.1:2379/health
phase "etcd ready"

start kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
	--bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
	--service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
	--client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
	--kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
	--kubelet-preferred-address-types=InternalIP \
	--service-account-key-file="$PKI/service-account.pub" --service-account-signing-key-file="$PKI/service-account.key" \
	--service-account-issuer=https://kubernetes.default.svc.cluster.local \
	--authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
	--allow-privileged=true --profiling=false \
	--audit-policy-file="$CLUSTER_SRC/node/audit-policy.yaml" --audit-log-path="$STATE/audit/audit.log" \
	--audit-log-maxsize=100 --audit-log-maxbackup=3 \
	--requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
	--requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
	--requestheader-extra-headers-prefix=X-Remote-Extra- \
	--proxy-client-cert-file="$PKI/front-proxy-client.crt" --proxy-client-key-file="$PKI/front-proxy-client.key" \
	--enable-aggregator-routing=true
waitfor kube-apiserver 120 kubectl get --raw /readyz
phase "kube-apiserver ready on https://$NODE_IP:6443"

start kube-controller-manager kube-controller-manager --kubeconfig="$STATE/controller-manager.kubeconfig" \
	--authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
	--authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
	--bind-address=127.0.0.1 --leader-elect=false \
	--cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
	--root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/service-account.key" \
	--use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
	--allocate-node-cidrs=false
start kube-scheduler kube-scheduler --kubeconfig="$STATE/scheduler.kubeconfig" \
	--authentication-kubeconfig="$STATE/scheduler.kubeconfig" --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
	--bind-address=127.0.0.1 --leader-elect=false
if ((NODES > 1)); then
	for ((i = 1; i <= NODES; i++)); do register_node "$i"; done
fi
start kubelet kubelet --config="$STATE/kubelet.yaml" --kubeconfig="$STATE/kubelet.kubeconfig" \
	--root-dir="$STATE/kubelet/root" --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" \
	--node-labels="topology.kubernetes.io/zone=$(node_zone 1)"
start kube-proxy kube-proxy --config="$STATE/kube-proxy.yaml"
waitfor "node $NODE_NAME Ready" 120 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
phase "node $NODE_NAME Ready"

waitfor "the default ServiceAccount" 60 kubectl -n default get serviceaccount default
render "$CLUSTER_SRC/addons/local-path.yaml" | kubectl apply -f - >/dev/null
# The compliance report lists kube-system's CoreDNS as accepted, not as an
# alert (a cloud cluster's kube-system is its provider's).
kubectl annotate namespace kube-system --overwrite \
	"shipshape.dev/compliance-exception=the cluster's own substrate" >/dev/null
# The other nodes, then every node's kube-router: each peers with the
# nodes it finds when it starts (and again only every half minute).
for ((i = 2; i <= NODES; i++)); do
	"$CLUSTER_SRC/node.sh" up "$i"
done
mapfile -t router_args < <(kube_router_args 1)
start kube-router kube-router "${router_args[@]}"
for ((i = 2; i <= NODES; i++)); do
	"$CLUSTER_SRC/node.sh" router "$i"
done
# every node has a route to every other node's pods
routed() {
	local i j ns
	for ((i = 1; i <= NODES; i++)); do
		ns=()
		((i == 1)) || ns=(ip netns exec "$(node_netns "$i")")
		for ((j = 1; j <= NODES; j++)); do
			((i == j)) || "${ns[@]}" ip route show "$(node_pod_cidr "$j")" | grep -q "via $(node_ip "$j")" || return 1
		done
	done
}
((NODES == 1)) || waitfor "routes between the nodes' pods" 60 routed
# CoreDNS once every node takes pods, so that its two replicas on more
# nodes than one go to two of them
render "$CLUSTER_SRC/addons/coredns.yaml" | kubectl apply -f - >/dev/null
kubectl -n kube-system rollout status deploy/coredns --timeout=180s >/dev/null
phase "CoreDNS ready"
kubectl -n local-path-storage rollout status deploy/local-path-provisioner --timeout=180s >/dev/null
phase "local-path volumes ready; kube-router enforcing NetworkPolicy"
"$CLUSTER_SRC/storage/storage.sh" up
for ((i = 2; i <= NODES; i++)); do
	"$CLUSTER_SRC/storage/storage.sh" node-up "$i"
done
phase "btrfs volumes and snapshots ready ($CSI_DRIVER, the CSI sidecars, the snapshot controller)"
phase "cluster up: KUBECONFIG=$KUBECONFIG"
