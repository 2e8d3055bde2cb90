package periodic

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestEveryRunsImmediatelyThenOnTheTickUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	done := make(chan struct{})
	go func() {
		Every(ctx, time.Millisecond, true, func(context.Context) {
			if calls.Add(1) == 3 {
				cancel()
			}
		})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Every did not return after its context ended")
	}
	if calls.Load() < 3 {
		t.Fatalf("%d calls, want at least 3", calls.Load())
	}
}

func TestEveryWithoutImmediatelyWaitsForTheFirstTick(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // ended before the first tick
	called := false
	Every(ctx, time.Hour, false, func(context.Context) { called = true })
	if called {
		t.Fatal("fn ran before the first tick")
	}
}

func TestDrainStopsOnAShortBatchOrAnError(t *testing.T) {
	backlog := 250
	n, err := Drain(context.Background(), 100, func(_ context.Context, limit int) (int, error) {
		k := min(limit, backlog)
		backlog -= k
		return k, nil
	})
	if n != 250 || err != nil || backlog != 0 {
		t.Fatalf("drained %d (%v), %d left; want 250, none left", n, err, backlog)
	}
	boom := errors.New("boom")
	batches := 0
	n, err = Drain(context.Background(), 10, func(context.Context, int) (int, error) {
		batches++
		if batches == 2 {
			return 3, boom
		}
		return 10, nil
	})
	if n != 13 || !errors.Is(err, boom) || batches != 2 {
		t.Fatalf("got %d, %v after %d batches; want 13 and the error after 2", n, err, batches)
	}
}
