# shellcheck shell=sh
# Sourced (POSIX sh) by every script that runs go, from the repository root
# or with REPO_ROOT set: exports GOTOOLCHAIN from the one place the Go
# version is written, the `toolchain` line of go.mod. Machines start on
# their own Go, whose default GOTOOLCHAIN=local ignores that line, hence
# the explicit export. A value already in the environment wins.
if [ -z "${GOTOOLCHAIN:-}" ]; then
	GOTOOLCHAIN=$(sed -n 's/^toolchain //p' "${REPO_ROOT:-.}/go.mod")
	if [ -z "$GOTOOLCHAIN" ]; then
		echo "go-toolchain.sh: no toolchain line in ${REPO_ROOT:-.}/go.mod" >&2
		exit 1
	fi
fi
export GOTOOLCHAIN
