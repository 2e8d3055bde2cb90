package clustertest

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadCountsAnswersAndFailures(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1)%2 == 0 {
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	load := StartLoad(2, Target{URL: srv.URL, Once: true})
	load.Finish(t, 20)
	ok, failed := load.OK.Load(), load.Failed.Load()
	if ok == 0 || failed == 0 || ok+failed != served.Load() {
		t.Fatalf("%d answered, %d failed, %d served: every request counted once, the 429s as failures", ok, failed, served.Load())
	}
}

// A paced worker sends at most one request per Pace.
func TestLoadKeepsItsPace(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }))
	defer srv.Close()
	const pace = 20 * time.Millisecond
	start := time.Now()
	load := StartLoad(1, Target{URL: srv.URL, Pace: pace})
	load.Finish(t, 5)
	elapsed := time.Since(start)
	if limit := int64(elapsed/pace) + 1; served.Load() > limit {
		t.Fatalf("%d requests in %s, at most %d at one per %s", served.Load(), elapsed, limit, pace)
	}
	if load.Failed.Load() != 0 {
		t.Fatalf("failures: %s", load)
	}
}
