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
