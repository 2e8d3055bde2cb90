#!/usr/bin/env bash
# addons-deploy.sh NAME...: the named cluster add-ons (deploy/addons) into
# the running test cluster: built once per version (ours from the
# checkout), imported, applied with this cluster's addresses for the
# policies' egress (egress/) and the add-ons' test alert timing, then
# given this cluster's settings for them (addons/<add-on>.yaml and what
# needs the cluster's state). deploy.sh runs it before the apps; test.sh
# runs it again after the first tests for the add-ons marked LATE=true
# (lib.sh, late_addon), which it builds meanwhile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
(($#)) || exit 0
addons=("$@")
selected() { [[ " ${addons[*]} " == *" $1 "* ]]; }

"$ADDONS_DRIVER" build "${addons[@]}"
"$ADDONS_DRIVER" images "${addons[@]}"
if selected policy-controller; then
	# The release registry's CA, which the webhook adds to its roots, in
	# place before its pod starts: Go reads the roots once, at the first
	# verification, and a ConfigMap created after the pod reaches its
	# volume only at the kubelet's next sync (a warm CI run's webhook
	# verified before that and refused every release image).
	kubectl apply --server-side --field-manager=shipshape-test -f "$REPO/deploy/addons/policy-controller/namespace.yaml" >/dev/null
	kubectl -n cosign-system create configmap registry-ca --from-file=ca.crt="$PKI/registry-ca.crt" \
		--dry-run=client -o yaml | kubectl apply --server-side --field-manager=shipshape-test -f - >/dev/null
fi
ADDONS_COMPONENTS="$CLUSTER_SRC/egress $CLUSTER_SRC/addon-alert-timing" "$ADDONS_DRIVER" manifests "${addons[@]}"
if selected otel-collector; then
	# This cluster's kubelet writes pod logs under its state directory
	# (node/kubelet.yaml podLogsDir), not /var/log/pods, its API server
	# the audit log (up.sh), and the collector's read offsets stay
	# there too.
	kubectl -n log-collection patch daemonset otel-collector-logs -p "{\"spec\":{\"template\":{\"spec\":{\"volumes\":[
		{\"name\":\"pods\",\"hostPath\":{\"path\":\"$STATE/kubelet/pod-logs\"}},
		{\"name\":\"audit\",\"hostPath\":{\"path\":\"$STATE/audit\"}},
		{\"name\":\"offsets\",\"hostPath\":{\"path\":\"$STATE/otelcol-offsets\"}}]}}}}" >/dev/null
fi
if selected external-dns; then
	# Its TSIG key for the edge's BIND (dns/dns.sh), from the cluster's
	# state, as External Secrets would provide it.
	kubectl -n external-dns create secret generic external-dns-tsig --from-file=secret="$PKI/dns-externaldns.tsig" \
		--dry-run=client -o yaml | kubectl apply --server-side --field-manager=shipshape-test -f - >/dev/null
fi
if selected policy-controller; then
	# This cluster's policies, once the webhook admits them (it checks
	# ClusterImagePolicies itself: first its certificate must be in place).
	kubectl -n cosign-system rollout status deployment/policy-controller --timeout=180s >/dev/null
	policies=$STATE/image-policies.yaml
	sed 's/^/          /' "$PKI/release-signing.pub" >"$policies.key"
	sed -e "s|@REGISTRY@|$REGISTRY|" -e "/^@RELEASE_KEY@$/{r $policies.key" -e 'd}' \
		"$CLUSTER_SRC/addons/image-policies.yaml" >"$policies"
	waitfor "the policy-controller to admit the image policies" 60 \
		kubectl apply --server-side --field-manager=shipshape-test -f "$policies"
	# Compiled into the ConfigMap the webhook decides by: until then an
	# image matches no policy and is refused.
	for p in release-signature release-sbom test-cluster-local-images; do
		kubectl wait --for=condition=Ready "clusterimagepolicy/$p" --timeout=60s >/dev/null
	done
fi
if selected compliance-report; then
	# A pass every 10 s instead of every 5 min: its test waits for one.
	kubectl -n shipshape-compliance set env deployment/compliance-report COMPLIANCE_INTERVAL=10s >/dev/null
fi
# An add-on's settings for this cluster, addons/<add-on>.yaml, with it:
# Alertmanager's webhook receivers, cert-manager's CA issuer, MetalLB's
# address pool, where ExternalDNS writes.
for a in "${addons[@]}"; do
	if [[ -f $CLUSTER_SRC/addons/$a.yaml ]]; then
		kubectl apply --server-side --field-manager=shipshape-test -f "$CLUSTER_SRC/addons/$a.yaml" >/dev/null
	fi
done
phase "add-ons built, imported and applied: ${addons[*]}"
