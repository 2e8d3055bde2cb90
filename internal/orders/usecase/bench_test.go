package usecase_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

// BenchmarkCheckoutWithHistoryReads places orders from 16 goroutines at
// once, with every catalog call 5 ms away (pricing, reservation,
// confirmation), on orders' production pool size (6 connections) and
// checkout bulkhead (8), while another user reads their order history in a
// loop. It reports checkout throughput and the history reads' latency:
// checkouts waiting on catalog must not slow the reads down.
func BenchmarkCheckoutWithHistoryReads(b *testing.B) {
	const callers, latency = 16, 5 * time.Millisecond
	s := newShop(b, 6)
	s.svc.InFlight = 8
	s.catalog.add(lantern, "EUR", 3290, 1<<30)
	s.catalog.add(kettle, "EUR", 3490, 1<<30)
	if _, err := s.place(b, "reader", uuid.NewString(), approved); err != nil {
		b.Fatal(err)
	}
	s.catalog.set(func(c *catalog) {
		c.gate = func(string) { time.Sleep(latency) } // the network, not synchronization
	})

	stop := make(chan struct{})
	var reads []time.Duration
	var readErr error
	var reader sync.WaitGroup
	reader.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			start := time.Now()
			if _, _, err := s.svc.History(context.Background(), "reader", domain.Cursor{}, 20); err != nil {
				readErr = err
				return
			}
			reads = append(reads, time.Since(start))
		}
	})

	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range callers {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				if _, err := s.place(b, fmt.Sprintf("buyer-%d", w), uuid.NewString(), approved); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	reader.Wait()
	if readErr != nil {
		b.Fatal(readErr)
	}
	slices.Sort(reads)
	pct := func(p float64) float64 {
		return float64(reads[int(p*float64(len(reads)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checkouts/s")
	b.ReportMetric(pct(0.5), "history-p50-ms")
	b.ReportMetric(pct(0.99), "history-p99-ms")
}
