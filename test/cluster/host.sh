# Host state that the cluster changes, recorded before the first change and
# restored by cluster-down. Sourced by up.sh and down.sh.
# shellcheck shell=bash

HOST=$STATE/host
# Set by us (ip_forward, bridge netfilter) or by the kubelet and kube-proxy.
HOST_SYSCTLS=(
	net.ipv4.ip_forward
	net.bridge.bridge-nf-call-iptables
	net.bridge.bridge-nf-call-ip6tables
	net.ipv4.conf.all.route_localnet
	vm.overcommit_memory
	vm.panic_on_oom
	kernel.panic
	kernel.panic_on_oops
	kernel.keys.root_maxkeys
	kernel.keys.root_maxbytes
)
# Directories the kubelet creates at fixed paths whatever its root dir, and
# the one `ip netns exec` reads a namespace's own resolv.conf from.
HOST_DIRS=(/var/log/containers /etc/netns)

host_record() {
	[[ -f $HOST/recorded ]] && return
	mkdir -p "$HOST"
	local s d
	for s in "${HOST_SYSCTLS[@]}"; do
		echo "$s=$(sysctl -n "$s" 2>/dev/null || echo absent)"
	done >"$HOST/sysctls"
	for d in "${HOST_DIRS[@]}"; do
		[[ -e $d ]] || echo "$d"
	done >"$HOST/created-dirs"
	ip -o addr show dev lo | grep -q " $NODE_IP/32 " && touch "$HOST/address-existed"
	netfilter_rules >"$HOST/netfilter"
	touch "$HOST/recorded"
}

# NO_LEAK_RULE refuses what pods send to a Service address that no rule
# translated (a Service without ready endpoints: kube-router's policy
# chain accepts the packet before kube-proxy's REJECT would see it), so
# that it is not routed off the machine by the default route. Only packets
# arriving from the pods' bridge match: the host's own connections and
# translated traffic (destination already a pod) are untouched.
NO_LEAK_RULE=(iif cni0 to "$SERVICE_CIDR" prohibit)

host_prepare() {
	sysctl -qw net.ipv4.ip_forward=1
	sysctl -qw net.bridge.bridge-nf-call-iptables=1
	if ((NODES == 1)); then
		ip -o addr show dev lo | grep -q " $NODE_IP/32 " || ip addr add "$NODE_IP/32" dev lo
	else
		node_bridge_up
		# A pod network whose node's route is gone (kube-router withdraws
		# it when the node is lost) is unreachable here, not sent off the
		# machine by its default route.
		ip route show "$POD_NET" | grep -q . || ip route add unreachable "$POD_NET"
	fi
	no_leak_rule_present || ip rule add "${NO_LEAK_RULE[@]}"
	edge_link_up
}

# node_bridge_up makes the bridge the other nodes' links join (node.sh),
# with node 1's address on the nodes' subnet instead of on lo: kube-router
# routes to a node directly only when its address is in the subnet of the
# interface that holds node 1's own.
node_bridge_up() {
	ip link show "$NODE_BRIDGE" >/dev/null 2>&1 && return
	ip link add "$NODE_BRIDGE" type bridge
	ip addr add "$NODE_IP/${NODE_NET#*/}" dev "$NODE_BRIDGE"
	ip link set "$NODE_BRIDGE" up
}

# edge_link_up makes the edge's network namespace and its link to the host
# (lib.sh, EDGE_*), unless they are there.
edge_link_up() {
	ip netns list | grep -q "^$EDGE_NETNS\b" || ip netns add "$EDGE_NETNS"
	if ! ip link show "$EDGE_LINK" >/dev/null 2>&1; then
		ip link add "$EDGE_LINK" type veth peer name eth0 netns "$EDGE_NETNS"
		ip addr add "$EDGE_HOST_IP/24" dev "$EDGE_LINK"
		ip link set "$EDGE_LINK" up
		ip -n "$EDGE_NETNS" addr add "$EDGE_CLIENT_IP/24" dev eth0
		ip -n "$EDGE_NETNS" addr add "$EDGE_CLIENT2_IP/24" dev eth0
		ip -n "$EDGE_NETNS" link set eth0 up
		ip -n "$EDGE_NETNS" link set lo up
		ip -n "$EDGE_NETNS" route add default via "$EDGE_HOST_IP"
	fi
	# What runs in the namespace by `ip netns exec` (the browser journey)
	# resolves names through the edge network's DNS server (dns/dns.sh).
	mkdir -p "/etc/netns/$EDGE_NETNS"
	echo "nameserver ${EDGE_DNS%:*}" >"/etc/netns/$EDGE_NETNS/resolv.conf"
}

# edge_link_down removes both (deleting the namespace deletes the pair) and
# the namespace's resolv.conf.
edge_link_down() {
	ip netns delete "$EDGE_NETNS" 2>/dev/null || true
	ip link delete "$EDGE_LINK" 2>/dev/null || true
	rm -rf "/etc/netns/$EDGE_NETNS"
}

# (Once the bridge is gone, ip shows the rule as "iif cni0 [detached]".)
no_leak_rule_present() { ip rule show | grep -qE "from all to $SERVICE_CIDR iif cni0( \[detached\])? prohibit"; }

# netfilter_rules prints every rule, every user-defined chain and every
# built-in chain whose policy is not ACCEPT, without counters: what "the
# same firewall as before" is compared on. (An empty table that a tool
# merely listed is the same firewall as no table.)
netfilter_rules() {
	{ iptables-save; ip6tables-save; } 2>/dev/null |
		sed -e 's/\[[0-9]*:[0-9]*\]//' | grep -E '^-A |^:[^ ]+ -|^:[^ ]+ (DROP|REJECT)' || true
}

# cluster_netfilter_cleanup removes every chain, rule and ipset that
# kube-proxy, kube-router and the CNI plugins made. (kube-router's routing
# adds FORWARD rules named only by their comments: for its kube-bridge,
# and for the interface that holds the node's address.)
cluster_netfilter_cleanup() {
	local t ours='KUBE-|CNI-|kube-router|kube-bridge|node port traffic on node interface'
	for t in filter nat mangle raw; do
		iptables-save -t "$t" 2>/dev/null | grep -vE -- "$ours" | iptables-restore 2>/dev/null || true
		ip6tables-save -t "$t" 2>/dev/null | grep -vE -- "$ours" | ip6tables-restore 2>/dev/null || true
	done
	local set
	for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router)'); do
		ipset destroy "$set" 2>/dev/null || true
	done
}

host_restore() {
	[[ -f $HOST/recorded ]] || return 0
	local line
	while IFS= read -r line; do
		[[ ${line#*=} == absent ]] || sysctl -qw "$line" || true
	done <"$HOST/sysctls"
	while IFS= read -r line; do
		[[ -n $line ]] && rm -rf "$line"
	done <"$HOST/created-dirs"
	if [[ ! -f $HOST/address-existed ]]; then
		ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true
	fi
	local pref
	while no_leak_rule_present; do
		# by its priority: once the bridge is gone, a match on "iif cni0"
		# can fail to find the rule
		pref=$(ip rule show | sed -n "s/^\([0-9]*\):.* to ${SERVICE_CIDR//\//\\/} iif cni0.* prohibit.*/\1/p" | head -n 1)
		[[ -n $pref ]] || break
		ip rule del pref "$pref" || break
	done
	edge_link_down
	ip link delete "$NODE_BRIDGE" 2>/dev/null || true
	ip route del unreachable "$POD_NET" 2>/dev/null || true
	# made by kube-router when it routes (more nodes than one)
	ip link delete kube-bridge 2>/dev/null || true
}

# host_verify lists whatever differs from the recorded state; it fails if
# anything does.
host_verify() {
	[[ -f $HOST/recorded ]] || return 0
	local bad=0 line s
	while IFS= read -r line; do
		s=${line%%=*}
		[[ ${line#*=} == absent || $(sysctl -n "$s") == "${line#*=}" ]] || { echo "  sysctl $s=$(sysctl -n "$s"), was ${line#*=}"; bad=1; }
	done <"$HOST/sysctls"
	if ! diff <(sort "$HOST/netfilter") <(netfilter_rules | sort) >"$HOST/netfilter.diff"; then
		echo "  firewall rules differ:"; sed 's/^/    /' "$HOST/netfilter.diff"; bad=1
	fi
	if [[ ! -f $HOST/address-existed ]] && ip -o addr show dev lo | grep -q " $NODE_IP/32 "; then
		echo "  $NODE_IP is still on lo"; bad=1
	fi
	if ip link show cni0 >/dev/null 2>&1; then echo "  bridge cni0 still exists"; bad=1; fi
	if no_leak_rule_present; then echo "  routing rule for $SERVICE_CIDR still present"; bad=1; fi
	if ip link show "$EDGE_LINK" >/dev/null 2>&1; then echo "  link $EDGE_LINK still exists"; bad=1; fi
	if ip netns list | grep -q "^$EDGE_NETNS\b"; then echo "  network namespace $EDGE_NETNS still exists"; bad=1; fi
	if [[ -e /etc/netns/$EDGE_NETNS ]]; then echo "  /etc/netns/$EDGE_NETNS still exists"; bad=1; fi
	if ip route show "$POD_NET" | grep -q .; then echo "  the route for $POD_NET still exists"; bad=1; fi
	local bridge
	for bridge in "$NODE_BRIDGE" kube-bridge; do
		if ip link show "$bridge" >/dev/null 2>&1; then echo "  bridge $bridge still exists"; bad=1; fi
	done
	if ip netns list | grep -q "^$(node_netns '')"; then echo "  a node's network namespace still exists"; bad=1; fi
	if compgen -G "/sys/fs/cgroup/*/$NODE_NAME-*" >/dev/null; then echo "  a node's cgroups still exist"; bad=1; fi
	if findmnt -rn -o TARGET | grep -q "^$STATE/"; then echo "  mounts left under $STATE"; bad=1; fi
	if losetup -l -n -O BACK-FILE | grep -q "^$STATE/"; then echo "  loop devices left on files under $STATE"; bad=1; fi
	local left
	left=$(cluster_processes)
	if [[ -n $left ]]; then
		echo "  processes left:"
		while IFS= read -r line; do echo "    $line"; done <<<"$left"
		bad=1
	fi
	return $bad
}

# cluster_processes lists processes that use the cluster's state (their
# arguments name it), except shells and the like whose command text merely
# mentions the path: a wrapper such as `flock ... bash -c 'make test-cluster'`
# waiting for its turn is no leftover of this cluster.
cluster_processes() {
	local pid comm
	for pid in $(pgrep -f "$STATE/"); do
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		case $comm in flock | bash | sh | make | sleep | timeout | go) continue ;; esac
		echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
}
