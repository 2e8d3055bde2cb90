package loadgen

import (
	"testing"
	"time"
)

func TestHistogramQuantilesWithinOnePercent(t *testing.T) {
	h := newHistogram()
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.5: 500 * time.Millisecond, 0.95: 950 * time.Millisecond, 0.99: 990 * time.Millisecond, 1: time.Second} {
		got := h.quantile(q)
		if got < want || float64(got-want) > 0.016*float64(want) {
			t.Errorf("q%.2f = %s, want %s within 1.6%%", q, got, want)
		}
	}
	if h.max != time.Second || h.count != 1000 {
		t.Fatalf("max %s count %d", h.max, h.count)
	}
	if newHistogram().quantile(0.5) != 0 {
		t.Fatal("an empty histogram has no latency")
	}
	one := newHistogram()
	one.record(300 * time.Nanosecond)
	if one.quantile(0.99) != 300*time.Nanosecond {
		t.Fatalf("a sub-microsecond value: %s", one.quantile(0.99))
	}
}

// Merging the routes' histograms gives the quantiles of all their
// recordings together, as one histogram of everything would.
func TestMergedHistogramIsTheWhole(t *testing.T) {
	whole, odd, even := newHistogram(), newHistogram(), newHistogram()
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Millisecond
		whole.record(d)
		if i%2 == 1 {
			odd.record(d)
		} else {
			even.record(d)
		}
	}
	merged := newHistogram()
	merged.merge(odd)
	merged.merge(even)
	for _, q := range []float64{0.5, 0.95, 0.99} {
		if got, want := merged.quantile(q), whole.quantile(q); got != want {
			t.Errorf("q%.2f: merged %s, whole %s", q, got, want)
		}
	}
	if merged.count != 1000 || merged.max != time.Second {
		t.Errorf("merged count %d max %s, want 1000 and 1s", merged.count, merged.max)
	}
}
