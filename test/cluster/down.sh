#!/usr/bin/env bash
# cluster-down: stops everything up.sh started (by the PIDs it recorded),
# removes pods' mounts, network namespaces, the bridge, the firewall rules
# and ipsets of kube-proxy, kube-router and the CNI plugins, the cgroups of
# the pods, restores the sysctls and the loopback address, deletes the
# cluster state, and checks the host against what up.sh recorded. Safe to
# run after a failed or partial start, and when nothing runs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$CLUSTER_SRC/host.sh"

[[ -d $STATE ]] || { echo "cluster-down: no cluster state in $STATE"; exit 0; }

# Pods first, through the API while it runs, so the CNI plugin releases
# their addresses and rules.
pods_left() { kubectl get pods -A --no-headers 2>/dev/null | grep -vE "^(${1:-^})\s" | grep -q .; }
if [[ $(kubectl get --raw /readyz 2>/dev/null) == ok ]]; then
	mapfile -t namespaces < <(kubectl get namespaces -o name |
		grep -vE '/(default|kube-system|kube-public|kube-node-lease|local-path-storage)$')
	((${#namespaces[@]} == 0)) || kubectl delete --wait=false "${namespaces[@]}" >/dev/null 2>&1
	end=$((SECONDS + 90))
	while ((SECONDS < end)) && pods_left 'kube-system|local-path-storage'; do sleep 1; done
	kubectl -n kube-system delete deployment --all --wait=false >/dev/null 2>&1
	kubectl -n local-path-storage delete deployment --all --wait=false >/dev/null 2>&1
	end=$((SECONDS + 60))
	while ((SECONDS < end)) && pods_left; do sleep 1; done
	phase "workloads deleted"
fi

for i in $(worker_nodes); do "$CLUSTER_SRC/node.sh" down "$i"; done

stop kube-router
[[ -x $BIN/kube-router ]] && "$BIN/kube-router" --cleanup-config >/dev/null 2>&1
stop kube-proxy
[[ -x $BIN/kube-proxy ]] && "$BIN/kube-proxy" --cleanup >/dev/null 2>&1
stop kubelet
# The volumes' driver served the kubelet's last unmounts.
"$CLUSTER_SRC/storage/storage.sh" stop
for name in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name"; done
phase "control plane and node agents stopped"

remove_containers "$(node_socket 1)"
stop containerd
stop registry
stop s3store
"$CLUSTER_SRC/dns/dns.sh" stop
# Shims of containers that could not be deleted cleanly.
pkill -9 -f "containerd-shim-runc-v2 .*$STATE/" 2>/dev/null
phase "containers, containerd, the registry, the S3 store and BIND stopped"

unmount_under "$STATE"
"$CLUSTER_SRC/storage/storage.sh" release
ip link delete cni0 2>/dev/null
cluster_netfilter_cleanup
# Pod cgroups (cgroupfs driver): empty now, removed deepest first.
remove_cgroups /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods
host_restore
phase "host restored"

if ! host_verify; then
	echo "cluster-down: the host still differs from before cluster-up (above); state kept in $STATE" >&2
	exit 1
fi
rm -rf "$STATE"
phase "cluster down; $STATE removed"
