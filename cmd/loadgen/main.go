// Command loadgen drives the public API with the shop's traffic mix at a
// constant arrival rate (internal/loadgen) and writes report.json and
// report.md; `make load` runs it against `make run`. It exits 1 when any
// request failed (5xx, timeout, broken connection). With -capacity it
// searches for the highest rate served cleanly instead (`make capacity`)
// and writes capacity.json and capacity.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}
