package engine_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// TestCircuitBreaker: a catalog backend that stops answering in time opens
// the circuit after max_errors+1 consecutive failures; while open, requests
// fail fast without reaching the backend; after the circuit's timeout, once
// the backend has recovered, a trial request closes it again. The test
// configuration shortens the values (2 errors, 1 s open, 200 ms timeout).
func TestCircuitBreaker(t *testing.T) {
	const maxErrors, endpointTimeout = 2, 200 * time.Millisecond
	catalog := newUpstream(t)
	var failing atomic.Bool
	catalog.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			// Hang past the endpoint timeout: the call fails with a
			// deadline, which the breaker counts (no-op encoding passes
			// 5xx answers through and does not).
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"categories":[]}`))
	})
	g := startGateway(t, setup{
		env:   "development",
		hosts: map[string][]string{"catalog": {catalog.URL}},
		mutate: func(cfg enginetest.Config) {
			e := cfg.Endpoint(t, "GET", "/api/v1/categories")
			e["timeout"] = endpointTimeout.String()
			cb := obj(backends(e)[0], "extra_config", "qos/circuit-breaker")
			cb["max_errors"], cb["timeout"], cb["interval"] = maxErrors, 1, 60
		},
	})
	url := g.URL + "/api/v1/categories"
	if s := get(t, url).Status; s != http.StatusOK {
		t.Fatalf("healthy backend: %d", s)
	}

	failing.Store(true)
	before := catalog.calls.Load()
	for i := range maxErrors + 1 {
		if s := get(t, url).Status; s == http.StatusOK {
			t.Fatalf("failing call %d answered 200", i+1)
		}
	}
	if got := catalog.calls.Load() - before; got != maxErrors+1 {
		t.Fatalf("the backend got %d calls while failing, want %d", got, maxErrors+1)
	}

	// Open: fast failures, the backend is not called.
	opened := catalog.calls.Load()
	for range 5 {
		start := time.Now()
		r := get(t, url)
		took := time.Since(start)
		if r.Status == http.StatusOK || took >= endpointTimeout {
			t.Fatalf("open circuit: %d after %s, want a failure faster than the %s timeout", r.Status, took, endpointTimeout)
		}
		t.Logf("open circuit: %d in %s", r.Status, took.Round(time.Microsecond))
	}
	if got := catalog.calls.Load(); got != opened {
		t.Fatalf("the backend got %d calls while the circuit was open", got-opened)
	}

	// Recovered: after the 1 s timeout a trial request goes through and
	// closes the circuit.
	failing.Store(false)
	recovered := time.Now()
	stacktest.Eventually(t, 10*time.Second, "the circuit to close", func() bool { return get(t, url).Status == http.StatusOK })
	t.Logf("closed again %s after the backend recovered", time.Since(recovered).Round(time.Millisecond))
	calls := catalog.calls.Load()
	for range 5 {
		if s := get(t, url).Status; s != http.StatusOK {
			t.Fatalf("closed circuit: %d", s)
		}
	}
	if got := catalog.calls.Load() - calls; got != 5 {
		t.Errorf("closed circuit: the backend got %d of 5 calls", got)
	}
}
