// Package ociregistry is the test harness's release registry: CNCF
// Distribution (our small main in tools/registry) serving over TLS with
// basic authentication, its configuration, and the push of image tarballs
// to it by digest. It stands in for the registry a real release pushes to
// (GHCR, ECR; docs/delivery.md), so that the test cluster pulls what it
// runs by digest with credentials, as production does.
package ociregistry
