#!/usr/bin/env bash
# Fills the Go build cache and the tool cache with what `make test`
# compiles, without checking anything. .ci/run runs it at the lowest CPU
# priority beside the cluster tests, which leave about half of the CPU idle
# while pods start and drills wait, and stops it when `make test` starts:
# what it finished stays cached, the rest make test builds itself. Each
# step is make test's own command (the same flags, so the same cache keys),
# the most reused first. It never fails a run: make test says what is wrong.
# It runs no apt-get (the cluster's set-up may hold the package lock).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. scripts/go-toolchain.sh

step() {
	local start=$SECONDS
	if "$@" >/dev/null 2>&1; then
		echo "warm-cache: $* ($((SECONDS - start)) s)"
	else
		echo "warm-cache: $* failed after $((SECONDS - start)) s; make test reports why"
	fi
}

# vet compiles the race configuration of the whole graph, which make lint,
# gosec's loading and go test -race all reuse.
step make -s vet
step make -s tools
# The component combinations' renders (pure CPU; a pass is recorded under
# the hash of their inputs, and make test's run then only reads the record).
# No test timeout: at the lowest priority beside the cluster tests they take
# longer than go test's default 10 minutes, which cut them off before they
# could record the pass (a run cut off, by that or by .ci/run stopping the
# warm-up, records nothing).
step go test -race -count=1 -timeout 0 -run '^TestComponentCombinations$' ./test/manifests
