#!/usr/bin/env bash
# sign.sh: signs the release images.sh pushed, as the release workflow
# signs one (docs/delivery.md), with this cluster's release key instead of
# GitHub's keyless identity:
#   - an SBOM per image: syft, SPDX JSON, read from the image as packed
#     (the archive images.sh pushed, the same digest), into
#     $STATE/images/sbom/NAME.spdx.json;
#   - that SBOM attached to the image in the registry as an attestation
#     signed with the key (cosign attest, predicate type spdxjson);
#   - the image's signature (cosign sign).
# The key pair is made here the first time ($PKI/release-signing.key,
# encrypted with the password beside it; .pub is what the cluster's
# admission policy trusts). cosign and syft are the versions pinned in
# tools/go.mod. Signatures go to the registry only: no transparency log
# (Rekor is online), and in the tag-based format (.sig, .att) because the
# policy-controller verifies a key's signatures in that format only
# (v0.13.1 accepts Sigstore bundles from keyless signers alone).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$STATE/images
SBOMS=$OUT/sbom
KEY=$PKI/release-signing

# quietly LOG CMD...: cosign warns on every call about the deprecated flags
# the formats above need; its output is shown only when it fails.
quietly() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 || { cat "$log" >&2; die "failed: $*"; }
}

COSIGN_PASSWORD=$(cat "$PKI/release-signing.password" 2>/dev/null || true)
if [[ ! -f $KEY.key ]]; then
	COSIGN_PASSWORD=$(umask 077 && openssl rand -hex 24 | tee "$PKI/release-signing.password")
	COSIGN_PASSWORD=$COSIGN_PASSWORD quietly "$OUT/sign.log" tool cosign generate-key-pair --output-key-prefix "$KEY"
	chmod 600 "$KEY.key"
fi
export COSIGN_PASSWORD

# cosign reads registry credentials as docker does: config.json in
# $DOCKER_CONFIG.
export DOCKER_CONFIG=$STATE/registry-client
mkdir -p "$DOCKER_CONFIG" "$SBOMS"
registry_credentials "$DOCKER_CONFIG/config.json"

export SYFT_CHECK_FOR_APP_UPDATE=false
cosign_opts=(--key "$KEY.key" --registry-cacert "$PKI/registry-ca.crt" --yes
	--tlog-upload=false --new-bundle-format=false --use-signing-config=false)
for f in "$OUT"/digests/*; do
	name=${f##*/}
	ref=$(cat "$f")
	tool syft scan --quiet "docker-archive:$OUT/$name.tar" --source-name "shipshape/$name" \
		--source-version "${ref#*@}" -o "spdx-json=$SBOMS/$name.spdx.json"
	quietly "$OUT/attest.log" tool cosign attest "${cosign_opts[@]}" --replace --type spdxjson --predicate "$SBOMS/$name.spdx.json" "$ref"
	quietly "$OUT/sign.log" tool cosign sign "${cosign_opts[@]}" "$ref"
done
phase "images: signed, with an SBOM each (cosign, syft)"
