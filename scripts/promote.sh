#!/bin/sh
# promote.sh staging|production VERSION: the promote workflow's step. It
# verifies that every shipshape image of VERSION in $REGISTRY is signed and
# carries a signed SPDX SBOM attestation, then pins the digests into that
# environment's overlay with scripts/release-images.sh. An unsigned image,
# one signed by anything else, or one without its SBOM stops the promotion
# before a file changes.
#
#   REGISTRY=ghcr.io/acme REPOSITORY=acme/shipshape scripts/promote.sh staging 1.4.0
#
# Who must have signed:
#   REPOSITORY=owner/repo  keylessly, this repository's release workflow for
#                          tag vVERSION (GitHub's OIDC issuer, Rekor): release.yml
#   RELEASE_KEY=key        a key's signature instead (a public key file or a
#                          KMS URI); RELEASE_NO_TLOG=1 accepts signatures
#                          without a transparency log entry, as the test
#                          cluster's release run makes them
# APPS (default deploy/kubernetes/apps) is where the overlays are; the
# cluster test promotes a copy.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: REGISTRY=host/org REPOSITORY=owner/repo|RELEASE_KEY=key $0 staging|production VERSION" >&2
	exit 2
fi
environment=$1
version=$2
root=$(cd "$(dirname "$0")/.." && pwd)
: "${REGISTRY:?set REGISTRY, e.g. ghcr.io/acme}"
apps=${APPS:-$root/deploy/kubernetes/apps}
case $environment in
staging) dir=$apps/staging ;;
production) dir=$apps/production/release ;;
*) echo "promote: unknown environment \"$environment\"" >&2; exit 2 ;;
esac

if [ -n "${RELEASE_KEY:-}" ]; then
	signer="the key $RELEASE_KEY"
	set -- --key "$RELEASE_KEY"
	if [ "${RELEASE_NO_TLOG:-}" = 1 ]; then
		set -- "$@" --insecure-ignore-tlog=true
	fi
else
	: "${REPOSITORY:?set REPOSITORY, the GitHub owner/repo whose release.yml signed the images, or RELEASE_KEY}"
	signer="https://github.com/$REPOSITORY/.github/workflows/release.yml@refs/tags/v$version"
	set -- --certificate-oidc-issuer https://token.actions.githubusercontent.com --certificate-identity "$signer"
fi
REPO_ROOT=$root . "$root/scripts/go-toolchain.sh"
cosign() { go tool -modfile="$root/tools/go.mod" cosign "$@"; }

for name in identity catalog cart orders web gateway postgres storefront-smoke; do
	ref=$REGISTRY/shipshape/$name:$version
	if ! cosign verify "$@" "$ref" >/dev/null; then
		echo "promote: $ref is not signed by $signer" >&2
		exit 1
	fi
	if ! cosign verify-attestation "$@" --type spdxjson "$ref" >/dev/null; then
		echo "promote: $ref has no SBOM attestation signed by $signer" >&2
		exit 1
	fi
	echo "promote: $name:$version and its SBOM signed by $signer"
done
RELEASE_DIR=$dir "$root/scripts/release-images.sh" "$version"
