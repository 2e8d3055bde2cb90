// Command registry is CNCF Distribution's registry (the module pinned in
// tools/go.mod) with only what the test harness uses: the
// filesystem storage driver and htpasswd (basic) authentication. Its own
// command registers every cloud storage driver (Azure, GCS, S3), most of
// its build. Run as upstream's: `registry serve config.yml`.
package main

import (
	"os"

	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
)

func main() {
	if err := registry.RootCmd.Execute(); err != nil {
		os.Exit(1)
	}
}
