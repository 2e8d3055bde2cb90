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

	"github.com/shipshape-dev/shipshape/internal/loadgen"
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

func run(ctx context.Context, c config) error {
	mix, err := loadgen.ReadMix(c.mixFile)
	if err != nil {
		return err
	}
	c.run.Mix = mix
	if c.capacity != nil {
		r, err := loadgen.FindCapacity(ctx, c.run, *c.capacity)
		if err != nil {
			return err
		}
		fmt.Print(r.Markdown())
		if err := r.WriteFiles(c.out); err != nil {
			return err
		}
		if r.Interrupted > 0 {
			return fmt.Errorf("interrupted at %g journeys/s; the steps before it are in %s", r.Interrupted, c.out)
		}
		return nil
	}
	r, err := loadgen.Run(ctx, c.run)
	if err != nil {
		return err
	}
	fmt.Print(r.Markdown())
	if err := r.WriteFiles(c.out); err != nil {
		return err
	}
	if r.Total.Errors > 0 {
		return fmt.Errorf("%d requests failed", r.Total.Errors)
	}
	return nil
}
