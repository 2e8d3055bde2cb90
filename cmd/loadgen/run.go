package main

import (
	"context"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/loadgen"
)

// run drives one load run, or the capacity search with -capacity, and
// writes its reports into c.out.
func run(ctx context.Context, c config) error {
	mix, err := loadgen.ReadMix(c.mixFile)
	if err != nil {
		return err
	}
	c.run.Mix = mix
	if c.capacity != nil {
		return runCapacity(ctx, c)
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

func runCapacity(ctx context.Context, c config) error {
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
