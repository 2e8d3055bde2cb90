package scan

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
)

type result struct {
	summary       string
	open, covered []Finding
	err           error
	elapsed       time.Duration
}

// RunAll runs the named checks (all when names is empty) side by side over
// the repository and writes one summary line per scanner to out, then each
// open finding. It reports whether everything passed: no open finding, no
// expired acceptance, no scanner that could not run.
func RunAll(repo manifestcheck.Repo, names []string, now time.Time, out io.Writer) bool {
	passed := true
	accepted, err := LoadAccepted(repo.Path(AcceptedFile), now)
	if err != nil {
		fmt.Fprintln(out, "FAIL accepted findings:", err)
		passed = false
	}
	checks := Checks
	if len(names) > 0 {
		checks = slices.DeleteFunc(slices.Clone(checks), func(c Check) bool { return !slices.Contains(names, c.Name) })
	}
	// Each scanner is mostly one process of its own.
	results := make([]result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			start := time.Now()
			summary, findings, err := c.Run(repo)
			open, covered := Split(findings, accepted)
			results[i] = result{summary, open, covered, err, time.Since(start)}
		})
	}
	wg.Wait()
	for i, c := range checks {
		res := results[i]
		switch {
		case res.err != nil:
			passed = false
			fmt.Fprintf(out, "%-12s FAIL could not run: %v\n", c.Name+":", res.err)
		case len(res.open) > 0:
			passed = false
			fmt.Fprintf(out, "%-12s FAIL %d %s, %d accepted (%.0fs)\n", c.Name+":", len(res.open), res.summary, len(res.covered), res.elapsed.Seconds())
			for _, f := range res.open {
				fmt.Fprintln(out, "    ", f)
			}
		default:
			fmt.Fprintf(out, "%-12s ok   0 %s, %d accepted (%.0fs)\n", c.Name+":", res.summary, len(res.covered), res.elapsed.Seconds())
		}
	}
	if !passed {
		fmt.Fprintf(out, "scan: FAIL (accept a finding only in %s, with a reason and an expiry date)\n", AcceptedFile)
	}
	return passed
}
