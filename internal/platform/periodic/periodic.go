// Package periodic runs a service's background work on a timer: sweeps of
// expired rows, recovery passes, health re-evaluation.
package periodic

import (
	"context"
	"time"
)

// Every calls fn every interval until ctx ends; with immediately it also
// calls fn once at the start.
func Every(ctx context.Context, interval time.Duration, immediately bool, fn func(context.Context)) {
	if immediately {
		fn(ctx)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn(ctx)
		}
	}
}

// Drain calls batch with limit until a batch handles fewer than limit items
// or fails, so a backlog is cleared in one pass without one huge
// transaction. It returns how many items all batches handled.
func Drain(ctx context.Context, limit int, batch func(ctx context.Context, limit int) (int, error)) (int, error) {
	total := 0
	for {
		n, err := batch(ctx, limit)
		total += n
		if err != nil || n < limit {
			return total, err
		}
	}
}
