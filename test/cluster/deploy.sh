#!/usr/bin/env bash
# cluster-deploy: builds every shipshape image from this checkout, pushes
# it to the release registry, applies the test cluster's infrastructure and then
# the test overlay (the development apps plus the documented diff in
# overlay/kustomization.yaml; SHIPSHAPE_OVERLAY names another, such as the
# three-node suite's test/nodes/overlay) and waits until PostgreSQL, the
# catalog seed and every Deployment are ready. On failure it prints the
# pods' events and logs (diagnose.sh) and exits non-zero.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[[ $(kubectl get --raw /readyz 2>/dev/null) == ok ]] || die "no cluster answers; run make cluster-up first"
"$REPO/scripts/dev-secrets.sh" >/dev/null
"$CLUSTER_SRC/images.sh" app
"$CLUSTER_SRC/sign.sh"
# The cluster add-ons (deploy/addons). Their CRDs always (the apps'
# monitors and rules need them). The add-ons themselves as selected_addons
# says (lib.sh: by default the observability stack, releases, GitOps, the
# edge and those marked ALWAYS; SHIPSHAPE_ADDONS=minimal, all, or a list),
# before the apps (addons-deploy.sh). With SHIPSHAPE_LATE_ADDONS=later
# (test.sh) not those marked LATE=true: test.sh builds them while the
# first tests run and deploys them after.
"$ADDONS_DRIVER" crds
mapfile -t addons < <(selected_addons)
overlay=overlay
if [[ " ${addons[*]} " == *" otel-collector "* ]]; then
	# The apps send their spans to its trace collector (also when it comes
	# late: until then their exporters drop them).
	overlay="overlay-traced"
fi
if [[ ${SHIPSHAPE_LATE_ADDONS:-} == later ]]; then
	early=()
	for a in "${addons[@]}"; do
		late_addon "$a" || early+=("$a")
	done
	addons=("${early[@]}")
fi
if ((${#addons[@]})); then
	"$CLUSTER_SRC/addons-deploy.sh" "${addons[@]}"
else
	phase "add-ons' CRDs applied (no add-on selected)"
fi

# The seed Job's pod template is immutable; a finished Job is simply redone.
kubectl -n shipshape delete job catalog-seed --ignore-not-found >/dev/null 2>&1 || true
# As a cluster applies deploy/kubernetes (docs/adr/0013): its
# infrastructure first, then the apps.
# The apps are deployed by digest from the release registry: a
# kustomization in the state directory (never in git: it holds the pull
# credentials) takes the test overlay, points every shipshape image at the
# digest images.sh pushed, and gives the apps' service accounts the pull
# Secret. A rebuilt image has a new digest, so its pods roll by themselves.
release=$STATE/deploy
mkdir -p "$release"
registry_credentials "$release/dockerconfig.json"
(umask 077 && cp "$PKI/backup-repository.env" "$release/")
cp "$PKI/s3-ca.crt" "$release/backup-repository-ca.crt"
{
	cat <<KUSTOMIZATION
# Written by test/cluster/deploy.sh: the test overlay by digest from the
# release registry $REGISTRY.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - $(realpath --relative-to="$release" "${SHIPSHAPE_OVERLAY:-$CLUSTER_SRC/$overlay}")
secretGenerator:
  - name: release-registry
    namespace: shipshape
    type: kubernetes.io/dockerconfigjson
    files: [.dockerconfigjson=dockerconfig.json]
    options: {disableNameSuffixHash: true}
  # the backup repository's keys and passphrase (pki.sh), as External
  # Secrets provides them in staging and production
  - name: postgres-backup
    namespace: shipshape
    envs: [backup-repository.env]
    options: {disableNameSuffixHash: true}
configMapGenerator:
  # PostgreSQL's: in GitOps' database layer (deploy/gitops/base/layers.yaml)
  - name: backup-repository-ca
    namespace: shipshape
    files: [ca.crt=backup-repository-ca.crt]
    options: {disableNameSuffixHash: true, labels: {shipshape.dev/layer: database}}
patches:
  - target: {kind: ServiceAccount, namespace: shipshape}
    patch: |-
      - op: add
        path: /imagePullSecrets
        value: [{name: release-registry}]
images:
KUSTOMIZATION
	for f in "$STATE"/images/digests/*; do
		ref=$(cat "$f")
		printf '  - name: shipshape/%s\n    newName: %s\n    digest: %s\n' "${f##*/}" "${ref%@*}" "${ref#*@}"
	done
} >"$release/kustomization.yaml"
for dir in "$CLUSTER_SRC/infrastructure" "$release"; do
	tool kustomize build "$dir" |
		kubectl apply --server-side --field-manager=shipshape-test -f - >/dev/null
done
phase "test overlay applied, by digest from $REGISTRY"

# How long each workload may take to become ready (a failing probe shows
# only when this runs out).
timeout=${DEPLOY_TIMEOUT:-300s}
fail() {
	echo "cluster-deploy: $1" >&2
	"$CLUSTER_SRC/diagnose.sh" shipshape >&2
	exit 1
}
kubectl -n shipshape rollout status statefulset/postgres --timeout="$timeout" >/dev/null || fail "PostgreSQL did not become ready"
phase "PostgreSQL ready"
kubectl -n shipshape wait --for=condition=Complete job/catalog-seed --timeout="$timeout" >/dev/null || fail "the catalog seed did not complete"
phase "catalog seeded"
for d in $(kubectl -n shipshape get deployments -o name); do
	kubectl -n shipshape rollout status "$d" --timeout="$timeout" >/dev/null || fail "$d did not roll out"
done
phase "every Deployment rolled out"
for d in $(kubectl -n monitoring get deployments -o name 2>/dev/null); do
	kubectl -n monitoring rollout status "$d" --timeout="$timeout" >/dev/null || fail "monitoring $d did not roll out"
done
phase "every add-on Deployment rolled out"
