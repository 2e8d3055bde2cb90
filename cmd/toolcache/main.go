// Command toolcache builds every pinned tool the checks run (scanners,
// linters, kustomize, promtool...) into the shared tool cache, where the
// tests and `make scan` find them (manifestcheck.Repo.EnsureTool). A new
// machine spends many CPU-minutes on these builds; .ci/run has them done at
// the lowest priority while the cluster tests leave the CPU idle
// (scripts/warm-cache.sh), so `make test` finds them built.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

func main() {
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "toolcache:", err)
		os.Exit(1)
	}
	failed := false
	for _, tool := range pinned {
		start := time.Now()
		bin, err := repo.EnsureTool(tool)
		if err != nil {
			fmt.Fprintf(os.Stderr, "toolcache: %s: %v\n", tool.Name, err)
			failed = true
			continue
		}
		fmt.Printf("toolcache: %-12s %s (%s)\n", tool.Name, bin, time.Since(start).Round(time.Second))
	}
	if failed {
		os.Exit(1)
	}
}
