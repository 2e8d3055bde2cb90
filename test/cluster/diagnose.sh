#!/usr/bin/env bash
# diagnose.sh [NAMESPACE]: what a failed rollout needs to be understood: the
# pods, then for every pod that is not Ready its description (events
# included) and the logs of all its containers, current and previous, then
# the namespace's recent events.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
ns=${1:-shipshape}

echo "===== pods in $ns"
kubectl -n "$ns" get pods -o wide
for pod in $(kubectl -n "$ns" get pods -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.phase}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
	awk '$2 != "Succeeded" && $3 != "True" {print $1}'); do
	echo "===== describe pod/$pod"
	kubectl -n "$ns" describe pod "$pod"
	for c in $(kubectl -n "$ns" get pod "$pod" -o jsonpath='{.spec.initContainers[*].name} {.spec.containers[*].name}'); do
		echo "===== logs pod/$pod -c $c"
		kubectl -n "$ns" logs "$pod" -c "$c" --tail=60 2>&1
		if previous=$(kubectl -n "$ns" logs "$pod" -c "$c" --tail=30 --previous 2>/dev/null) && [[ -n $previous ]]; then
			echo "===== logs pod/$pod -c $c (previous run)"
			echo "$previous"
		fi
	done
done
echo "===== events in $ns"
kubectl -n "$ns" get events --sort-by=.lastTimestamp | tail -n 40
