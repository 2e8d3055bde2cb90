package loadgen

import (
	"math"
	"time"
)

// histogram records latencies in logarithmic buckets, each 1/64 wider than
// the one before (under 1% relative error), from 1 µs up, as an HDR
// histogram does, with exact count and max. It is not safe for concurrent
// use; the recorder guards it.
type histogram struct {
	counts map[int]uint64
	count  uint64
	max    time.Duration
}

// growth is each bucket's width relative to its lower bound.
const growth = 1.0 / 64

var logGrowth = math.Log1p(growth)

func newHistogram() *histogram { return &histogram{counts: map[int]uint64{}} }

func bucketOf(d time.Duration) int {
	us := float64(d) / float64(time.Microsecond)
	if us < 1 {
		return 0
	}
	return int(math.Log(us)/logGrowth) + 1
}

// upper is the largest latency bucket b holds.
func upper(b int) time.Duration {
	if b == 0 {
		return time.Microsecond
	}
	return time.Duration(math.Exp(float64(b)*logGrowth) * float64(time.Microsecond))
}

// merge adds o's recordings to h.
func (h *histogram) merge(o *histogram) {
	for b, n := range o.counts {
		h.counts[b] += n
	}
	h.count += o.count
	h.max = max(h.max, o.max)
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(d)]++
	h.count++
	h.max = max(h.max, d)
}

// quantile is the latency below which a share q of the recordings fall
// (to the bucket's precision, never above the maximum seen).
func (h *histogram) quantile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	rank = max(rank, 1)
	lo, hi := math.MaxInt, 0
	for b := range h.counts {
		lo, hi = min(lo, b), max(hi, b)
	}
	var seen uint64
	for b := lo; b <= hi; b++ {
		seen += h.counts[b]
		if seen >= rank {
			return min(upper(b), h.max)
		}
	}
	return h.max
}
