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
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/scan"
)

func main() {
	only := flag.String("only", "", "comma-separated scanners to run (default: all)")
	flag.Parse()
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	if !scan.RunAll(repo, names, time.Now(), os.Stdout) {
		os.Exit(1)
	}
}
