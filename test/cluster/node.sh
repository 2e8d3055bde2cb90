#!/usr/bin/env bash
# node.sh up|router|lose|return|down I: worker node I (2..N) of a test cluster with
# more nodes than one (lib.sh, NODES). A node is what a machine gives a
# real one: a network namespace with its own address on the node bridge
# (a veth pair: ssnodeI on the host's bridge, eth0 inside) and a default
# route to node 1; its own containerd (state, socket, CNI configuration and
# address range under $STATE/nodes/I), kubelet (its own client
# certificate, root directory and cgroup parent /shipshape-node-I, zone
# label), kube-proxy and kube-router (NetworkPolicy, and BGP routes to the
# other nodes' pods), each started with nsenter into the namespace only (an
# `ip netns exec` would unshare the mounts the kubelet and containerd must
# share); and its own storage pool, driver and sidecars (storage/storage.sh).
#
#   up      start it and wait until it is Ready (up.sh, for I in 2..NODES)
#   router  start its kube-router (up.sh, once every node is up: each
#           kube-router peers with the nodes it finds when it starts); its
#           storage is storage/storage.sh node-up I (up.sh, after node 1's)
#   lose    lose it for real: its agents and every process of its pods
#           killed, its link cut; the Node object stays (no graceful step)
#   return  bring a lost node back: link up, the agents started again
#   down    stop it and remove everything it made (down.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if (($# != 2)) || ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < 2)); then
	die "usage: node.sh up|router|lose|return|down I (2..N)"
fi
i=$2
name=$(node_name "$i")
ip=$(node_ip "$i")
netns=$(node_netns "$i")
dir=$(node_state "$i")
link=ssnode$i
# in the order they stop (the storage driver and its sidecars, started by
# storage/storage.sh node-up, after the kubelet: its last unmounts need them)
agents=(kube-router kube-proxy kubelet csi-snapshotter csi-provisioner btrfs-csi containerd)

in_node=(nsenter --net="/run/netns/$netns")
agent() { node_daemon "$i" "$1"; }

network_up() {
	ip netns list | grep -q "^$netns\b" || ip netns add "$netns"
	if ! ip link show "$link" >/dev/null 2>&1; then
		ip link add "$link" type veth peer name eth0 netns "$netns"
		ip link set "$link" master "$NODE_BRIDGE"
		ip -n "$netns" addr add "$ip/${NODE_NET#*/}" dev eth0
		ip -n "$netns" link set lo up
		ip -n "$netns" link set eth0 up
		ip -n "$netns" route add default via "$NODE_IP"
		# as on node 1 (host.sh, NO_LEAK_RULE): a Service address no rule
		# translated is refused, not sent on to node 1's default route
		ip -n "$netns" rule add iif cni0 to "$SERVICE_CIDR" prohibit
		"${in_node[@]}" sysctl -qw net.ipv4.ip_forward=1
	fi
	ip link set "$link" up
}

# cgroups: the kubelet's cgroupRoot must exist in every hierarchy.
cgroups() { local d; for d in /sys/fs/cgroup/*/; do [[ -f $d/cgroup.procs ]] && echo "$d$name"; done; }

configure() {
	mkdir -p "$dir/cni/net.d" "$dir/kubelet/root" "$dir/containerd" "$LOGS" "$RUN"
	[[ -f $dir/kubelet.kubeconfig ]] || "$CLUSTER_SRC/pki.sh" node "$i"
	render_node "$i" "$CLUSTER_SRC/node/containerd.toml" >"$dir/containerd.toml"
	{ render_node "$i" "$CLUSTER_SRC/node/kubelet.yaml"; echo "cgroupRoot: /$name"; } >"$dir/kubelet.yaml"
	render_node "$i" "$CLUSTER_SRC/node/kube-proxy.yaml" >"$dir/kube-proxy.yaml"
	render_node "$i" "$CLUSTER_SRC/node/cni.conflist" >"$dir/cni/net.d/10-shipshape.conflist"
	# the release registry's CA, for this node's containerd too
	cp -r "$STATE/containerd/certs.d" "$dir/containerd/"
	local c
	for c in $(cgroups); do mkdir -p "$c"; done
}

start_agents() {
	local sock
	sock=$(node_socket "$i")
	start "$(agent containerd)" "${in_node[@]}" containerd --config "$dir/containerd.toml"
	waitfor "containerd of $name" 60 ctr -a "$sock" version
	import_system_images "$sock" >/dev/null
	register_node "$i"
	start "$(agent kubelet)" "${in_node[@]}" kubelet --config="$dir/kubelet.yaml" --kubeconfig="$dir/kubelet.kubeconfig" \
		--root-dir="$dir/kubelet/root" --node-ip="$ip" --hostname-override="$name" \
		--node-labels="topology.kubernetes.io/zone=$(node_zone "$i")"
	start "$(agent kube-proxy)" "${in_node[@]}" kube-proxy --config="$dir/kube-proxy.yaml"
	waitfor "node $name Ready" 120 kubectl wait --for=condition=Ready "node/$name" --timeout=1s
}

start_router() {
	local args
	mapfile -t args < <(kube_router_args "$i")
	start "$(agent kube-router)" "${in_node[@]}" kube-router "${args[@]}"
}

# kill_node_processes: every agent, every container shim of this node's
# containerd, and every process in its pods' cgroups, by SIGKILL.
kill_node_processes() {
	local a pid
	for a in "${agents[@]}"; do
		if [[ -f $RUN/$(agent "$a").pid ]]; then
			kill -9 "$(cat "$RUN/$(agent "$a").pid")" 2>/dev/null || true
			rm -f "$RUN/$(agent "$a").pid"
		fi
	done
	pkill -9 -f "containerd-shim-runc-v2 .*$dir/" 2>/dev/null || true
	local c
	for c in $(cgroups); do
		[[ -d $c ]] || continue
		while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < <(find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null)
	done
}

down() {
	if [[ $(kubectl get --raw /readyz 2>/dev/null) == ok ]]; then
		kubectl drain "$name" --ignore-daemonsets --delete-emptydir-data --force --disable-eviction \
			--timeout=60s >/dev/null 2>&1 || true
		kubectl delete node "$name" --ignore-not-found >/dev/null 2>&1 || true
	fi
	local a
	for a in "${agents[@]}"; do
		[[ $a == containerd ]] || stop "$(agent "$a")"
	done
	remove_containers "$(node_socket "$i")"
	stop "$(agent containerd)"
	kill_node_processes
	unmount_under "$dir"
	detach_loop_devices "$dir/storage/pool.img"
	ip link delete "$link" 2>/dev/null || true
	ip netns delete "$netns" 2>/dev/null || true
	local cgroup_dirs
	mapfile -t cgroup_dirs < <(cgroups)
	remove_cgroups "${cgroup_dirs[@]}"
	rm -rf "$dir"
}

case $1 in
up)
	network_up
	configure
	start_agents
	phase "node $name Ready ($ip, zone $(node_zone "$i"))"
	;;
router) start_router ;;
lose)
	kill_node_processes
	ip link set "$link" down
	phase "node $name lost: its agents and pods killed, its link down"
	;;
return)
	network_up
	start_agents
	start_router
	"$CLUSTER_SRC/storage/storage.sh" node-up "$i"
	phase "node $name back and Ready"
	;;
down)
	down
	phase "node $name removed"
	;;
*) die "usage: node.sh up|router|lose|return|down I" ;;
esac
