package loadgen

import (
	"sync"
	"sync/atomic"
	"time"
)

// outcome classifies an answer: the shop said yes (ok), said no to this
// request (rejected: a 4xx such as out of stock), asked the client to slow
// down (throttled: 429), or failed (errors: 5xx, a timeout, a broken
// connection).
type outcome int

const (
	ok outcome = iota
	rejected
	throttled
	failed
)

func classify(r response) outcome {
	switch {
	case r.err != nil || r.status == 0 || r.status >= 500:
		return failed
	case r.status == 429:
		return throttled
	case r.status >= 400:
		return rejected
	}
	return ok
}

// routeStats accumulates one route's answers.
type routeStats struct {
	latency  *histogram
	outcomes [4]int
	statuses map[int]int
}

// recorder collects every answer; counters the progress line reads are
// atomics so it never waits for the lock.
type recorder struct {
	mu       sync.Mutex
	routes   map[string]*routeStats
	journeys map[string]int

	sent, inFlight, dropped, bad atomic.Int64
}

func newRecorder() *recorder {
	return &recorder{routes: map[string]*routeStats{}, journeys: map[string]int{}}
}

func (r *recorder) record(route string, resp response, latency time.Duration) outcome {
	o := classify(resp)
	r.sent.Add(1)
	if o != ok {
		r.bad.Add(1)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.routes[route]
	if s == nil {
		s = &routeStats{latency: newHistogram(), statuses: map[int]int{}}
		r.routes[route] = s
	}
	s.latency.record(latency)
	s.outcomes[o]++
	s.statuses[resp.status]++
	return o
}

func (r *recorder) started(journey string) {
	r.mu.Lock()
	r.journeys[journey]++
	r.mu.Unlock()
}
