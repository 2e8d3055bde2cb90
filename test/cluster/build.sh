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

# A throwaway module pins every staging module of k8s.io/kubernetes to the
# matching v0 release, because the go command refuses to install a module
# whose go.mod has replace directives.
build_kubernetes() {
	local out=$1 mod=$1/src minor=${K8S_VERSION#v1.}
	mkdir -p "$mod"
	local gomod
	gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
	{
		echo "module shipshape.local/kubernetes-build"
		echo "go 1.27"
		echo "require k8s.io/kubernetes $K8S_VERSION"
		echo "replace ("
		sed -n 's#^\s*\(k8s.io/[a-z0-9.-]*\) => ./staging/.*#\t\1 => \1 v0.'"$minor"'#p' "$gomod"
		echo ")"
	} >"$mod/go.mod"
	local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
	local pkgs=("${cmds[@]/#/k8s.io/kubernetes/cmd/}")
	local ld="-s -w" p
	for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
		ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=${minor%%.*}"
		ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
	done
	(cd "$mod" && go get "${pkgs[@]/%/@$K8S_VERSION}" && go build -trimpath -ldflags="$ld" -o "$out/" "${pkgs[@]}")
	rm -rf "$mod"
}

# etcd's main package lives in a module with replace directives too; a
# two-line main around etcdmain does the same job.
build_etcd() {
	local out=$1 mod=$1/src
	mkdir -p "$mod"
	cat >"$mod/go.mod" <<GOMOD
module shipshape.local/etcd-build
go 1.27
require go.etcd.io/etcd/server/v3 $ETCD_VERSION
replace (
	go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/pkg/v3 => go.etcd.io/etcd/client/pkg/v3 $ETCD_VERSION
	go.etcd.io/etcd/client/v3 => go.etcd.io/etcd/client/v3 $ETCD_VERSION
	go.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 $ETCD_VERSION
)
GOMOD
	cat >"$mod/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
	(cd "$mod" && go mod tidy && go build -trimpath -ldflags="-s -w" -o "$out/etcd" .)
	rm -rf "$mod"
}

# CoreDNS with the plugins the cluster's Corefile uses (addons/coredns.yaml)
# and no others: upstream's main compiles every plugin, with the AWS, Azure,
# Google Cloud, etcd and tracing clients, for a third of the cold build.
# A new directive in the Corefile needs its plugin here and a new
# COREDNS_BUILD (lib.sh).
build_coredns() {
	local out=$1 mod=$1/src p
	mkdir -p "$mod"
	printf 'module shipshape.local/coredns-build\ngo 1.27\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" >"$mod/go.mod"
	{
		printf 'package main\n\nimport (\n\t"github.com/coredns/coredns/coremain"\n\n'
		for p in $COREDNS_PLUGINS; do printf '\t_ "github.com/coredns/coredns/plugin/%s"\n' "$p"; done
		printf ')\n\nfunc main() { coremain.Run() }\n'
	} >"$mod/main.go"
	(cd "$mod" && go mod tidy && go build -trimpath -ldflags="-s -w" -o "$out/coredns" .)
	rm -rf "$mod"
}

install_into() { GOBIN=$1 go install -trimpath -ldflags="-s -w" "$2"; }
build_local_path() { install_into "$1" "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION"; }
build_kube_router() { install_into "$1" "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@$KUBE_ROUTER_VERSION"; }

cached "etcd-$ETCD_VERSION" build_etcd
cached "kubernetes-$K8S_VERSION" build_kubernetes
cached "$COREDNS_BUILD" build_coredns
cached "local-path-provisioner-$LOCAL_PATH_VERSION" build_local_path
cached "kube-router-$KUBE_ROUTER_VERSION" build_kube_router
