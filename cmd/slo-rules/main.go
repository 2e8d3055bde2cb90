// Command slo-rules writes the monitoring component's slo-rules.yaml
// (recording rules and burn-rate alerts) from its slos.yaml and
// gateway/routes.yaml: `make generate` runs it; -check only reports
// whether the committed file is current (test/alerts checks that too).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/slo"
)

func main() {
	check := flag.Bool("check", false, "fail if the committed file differs instead of writing it")
	flag.Parse()
	if err := slo.Write(".", *check); err != nil {
		fmt.Fprintln(os.Stderr, "slo-rules:", err)
		os.Exit(1)
	}
}
