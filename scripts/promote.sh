#!/bin/sh
# promote.sh staging|production VERSION: the promote workflow's step. It
# verifies that every shipshape image of VERSION in $REGISTRY was signed
# keylessly by this repository's release workflow for tag vVERSION (cosign,
# GitHub's OIDC issuer), then pins the digests into that environment's
# overlay with scripts/release-images.sh. An unsigned image, or one signed
# by anything else, stops the promotion before a file changes.
#
#   REGISTRY=ghcr.io/acme REPOSITORY=acme/shipshape scripts/promote.sh staging 1.4.0
set -eu

if [ $# -ne 2 ]; then
	echo "usage: REGISTRY=host/org REPOSITORY=owner/repo $0 staging|production VERSION" >&2
	exit 2
fi
environment=$1
version=$2
: "${REGISTRY:?set REGISTRY, e.g. ghcr.io/acme}"
: "${REPOSITORY:?set REPOSITORY, the GitHub owner/repo whose release.yml signed the images}"
case $environment in
staging) dir=deploy/kubernetes/apps/staging ;;
production) dir=deploy/kubernetes/apps/production/release ;;
*) echo "promote: unknown environment \"$environment\"" >&2; exit 2 ;;
esac

identity="https://github.com/$REPOSITORY/.github/workflows/release.yml@refs/tags/v$version"
for name in identity catalog cart orders web gateway postgres storefront-smoke; do
	cosign verify "$REGISTRY/shipshape/$name:$version" \
		--certificate-oidc-issuer https://token.actions.githubusercontent.com \
		--certificate-identity "$identity" >/dev/null
	echo "promote: $name:$version signed by $identity"
done
RELEASE_DIR=$dir "$(dirname "$0")/release-images.sh" "$version"
