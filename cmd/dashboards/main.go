// Command dashboards writes the Grafana dashboards of internal/dashboards
// as JSON into the monitoring component (make generate); -check only
// reports whether the committed files are current (test/alerts checks that
// too).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/dashboards"
)

func main() {
	check := flag.Bool("check", false, "fail if a committed file differs instead of writing it")
	flag.Parse()
	if err := dashboards.Write(".", *check); err != nil {
		fmt.Fprintln(os.Stderr, "dashboards:", err)
		os.Exit(1)
	}
}
