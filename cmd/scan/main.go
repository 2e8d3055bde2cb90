// Command scan runs the offline security scanners over this repository
// (`make scan`, part of `make test`): one summary line per scanner, then
// every finding not covered by security/accepted-findings.yaml, named by
// scanner, id, place and reason. It exits 1 when any finding is open, an
// accepted entry has expired, or a scanner could not run.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/scan"
)

func main() {
	only := flag.String("only", "", "comma-separated scanners to run (default: all)")
	flag.Parse()
	os.Exit(run(*only))
}

type result struct {
	summary       string
	open, covered []scan.Finding
	err           error
	elapsed       time.Duration
}

func run(only string) int {
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		return 1
	}
	failed := false
	accepted, err := scan.LoadAccepted(repo.Path(scan.AcceptedFile), time.Now())
	if err != nil {
		fmt.Println("FAIL accepted findings:", err)
		failed = true
	}
	checks := scan.Checks
	if only != "" {
		names := strings.Split(only, ",")
		checks = slices.DeleteFunc(slices.Clone(checks), func(c scan.Check) bool { return !slices.Contains(names, c.Name) })
	}
	// The scanners run side by side; each is mostly one process of its own.
	results := make([]result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			start := time.Now()
			summary, findings, err := c.Run(repo)
			open, covered := scan.Split(findings, accepted)
			results[i] = result{summary, open, covered, err, time.Since(start)}
		})
	}
	wg.Wait()
	for i, c := range checks {
		res := results[i]
		switch {
		case res.err != nil:
			failed = true
			fmt.Printf("%-12s FAIL could not run: %v\n", c.Name+":", res.err)
		case len(res.open) > 0:
			failed = true
			fmt.Printf("%-12s FAIL %d %s, %d accepted (%.0fs)\n", c.Name+":", len(res.open), res.summary, len(res.covered), res.elapsed.Seconds())
			for _, f := range res.open {
				fmt.Println("    ", f)
			}
		default:
			fmt.Printf("%-12s ok   0 %s, %d accepted (%.0fs)\n", c.Name+":", res.summary, len(res.covered), res.elapsed.Seconds())
		}
	}
	if failed {
		fmt.Printf("scan: FAIL (accept a finding only in %s, with a reason and an expiry date)\n", scan.AcceptedFile)
		return 1
	}
	return 0
}
