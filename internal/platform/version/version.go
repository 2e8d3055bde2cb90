// Package version is the build's version, set with
// -ldflags "-X github.com/shipshape-dev/shipshape/internal/platform/version.Version=v1.2.3".
package version

// Version is "dev" in local builds.
var Version = "dev"
