#!/usr/bin/env bash
# Builds the cluster's binaries from the Go module proxy, once per version,
# into the cache. Each component lands in its own directory named by
# version, written to a temporary name first so that an interrupted build
# never leaves a half-filled cache entry.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false

# cached runs "build_<component> <dir>" unless <dir> already exists.
cached() {
	local dir=$BUILD/$1 fn=$2
	if [[ -d $dir ]]; then
		phase "cached  $1"
		return
	fi
	mkdir -p "$BUILD"
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	phase "build   $1 (first time only; logs in $dir.tmp.log)"
	if ! "$fn" "$dir.tmp" >"$dir.tmp.log" 2>&1; then
		tail -n 30 "$dir.tmp.log" >&2
		die "building $1 failed"
	fi
	mv "$dir.tmp" "$dir"
	rm -f "$dir.tmp.log"
	phase "built   $1"
}

# Every component builds in one throwaway module, so the packages they
# share (the Kubernetes API types and client, gRPC, protobuf,
# OpenTelemetry, etcd's client) compile once, at one version, instead of
# once per component: 2,900 packages instead of 4,500 on a new machine.
# The go command then picks each shared module's highest version any of
# them needs, as it would for a program importing them all.
#
# The module pins every staging module of k8s.io/kubernetes to the
# matching v0 release and etcd's modules to the server's release, because
# their own go.mod files do it with replace directives, which count only
# in the main module. `go get` of each main package (never `go mod tidy`,
# which may pick a latest version for an import it cannot place) adds what
# they import at the versions their modules require.
build_cluster() {
	local out=$1 mod=$1/src minor=${K8S_VERSION#v1.} gomod m p
	mkdir -p "$mod/etcd" "$mod/coredns"
	gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
	{
		echo "module shipshape.local/cluster-build"
		echo "go 1.27"
		echo "replace ("
		sed -n 's#^\s*\(k8s.io/[a-z0-9.-]*\) => ./staging/.*#\t\1 => \1 v0.'"$minor"'#p' "$gomod"
		for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do
			printf '\tgo.etcd.io/etcd/%s => go.etcd.io/etcd/%s %s\n' "$m" "$m" "$ETCD_VERSION"
		done
		echo ")"
	} >"$mod/go.mod"

	# etcd's main package is in a module of its own with replace
	# directives too; a two-line main around etcdmain does the same job.
	printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >"$mod/etcd/main.go"

	# CoreDNS with the plugins the cluster's Corefile uses
	# (addons/coredns.yaml) and no others: upstream's main compiles every
	# plugin, with the AWS, Azure, Google Cloud, etcd and tracing clients.
	# A new directive in the Corefile needs its plugin in COREDNS_PLUGINS.
	local dns=(github.com/coredns/coredns/coremain)
	for p in $COREDNS_PLUGINS; do dns+=("github.com/coredns/coredns/plugin/$p"); done
	{
		printf 'package main\n\nimport (\n\t"github.com/coredns/coredns/coremain"\n\n'
		for p in "${dns[@]:1}"; do printf '\t_ "%s"\n' "$p"; done
		printf ')\n\nfunc main() { coremain.Run() }\n'
	} >"$mod/coredns/main.go"

	local kube=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
	kube=("${kube[@]/#/k8s.io/kubernetes/cmd/}")
	local router=github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
	local lpp=github.com/rancher/local-path-provisioner
	# The storage under the test cluster's database (its driver,
	# internal/btrfscsi, is this project's: up.sh builds it): the upstream
	# CSI sidecars and the snapshot controller. The snapshot client module
	# is required by version because the snapshotter's go.mod replaces it
	# with a directory.
	local csi=("github.com/kubernetes-csi/external-provisioner/v6/cmd/csi-provisioner@$CSI_PROVISIONER_VERSION"
		"github.com/kubernetes-csi/external-snapshotter/v8/cmd/csi-snapshotter@$CSI_SNAPSHOTTER_VERSION"
		"github.com/kubernetes-csi/external-snapshotter/v8/cmd/snapshot-controller@$CSI_SNAPSHOTTER_VERSION")
	local ld="-s -w"
	for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
		ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*}"
		ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
	done
	# Three builds, one compile of what they share (the build cache):
	# Kubernetes with its version stamped in; the others; and the local-path
	# provisioner alone, because it imports logrus by its old capitalised
	# path, which one build cannot hold beside the lower-case one.
	(cd "$mod" &&
		go get "${kube[@]/%/@$K8S_VERSION}" "go.etcd.io/etcd/server/v3/etcdmain@$ETCD_VERSION" \
			"${dns[@]/%/@$COREDNS_VERSION}" "$router@$KUBE_ROUTER_VERSION" "$lpp@$LOCAL_PATH_VERSION" \
			"${csi[@]}" "github.com/kubernetes-csi/external-snapshotter/client/v8@$CSI_SNAPSHOTTER_VERSION" &&
		go build -trimpath -ldflags="$ld" -o "$out/" "${kube[@]}" &&
		go build -trimpath -ldflags="-s -w" -o "$out/" ./etcd ./coredns "$router" "${csi[@]%@*}" &&
		go build -trimpath -ldflags="-s -w" -o "$out/" "$lpp")
	rm -rf "$mod"
}

cached "$CLUSTER_BUILD" build_cluster
