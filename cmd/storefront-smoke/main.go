// Command storefront-smoke walks the storefront's pages once as a guest
// and fails when one did not load (internal/storefrontsmoke): the
// blue-green release's pre-promotion check against the preview.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/storefrontsmoke"
)

func main() { cli.Exit("storefront-smoke", storefrontsmoke.Command()) }
