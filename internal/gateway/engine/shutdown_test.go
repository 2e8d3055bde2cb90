package engine_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// TestGracefulShutdown: when its context ends (SIGTERM in cmd/gateway) the
// gateway first reports unhealthy for the drain period while still serving,
// then stops accepting connections, finishes the request in flight, and
// returns without error. Its liveness check (/healthz on the metrics
// listener) stays 200 throughout, so a draining gateway is not restarted.
func TestGracefulShutdown(t *testing.T) {
	catalog := newUpstream(t)
	release := make(chan struct{})
	catalog.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/products" {
			<-release
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
	cfg := enginetest.Rendered(t, "development")
	cfg.Retarget(t, map[string][]string{"catalog": {catalog.URL}}, catalog.URL, "http://127.0.0.1:1/jwks")
	const drain = 500 * time.Millisecond
	admin, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	liveness := "http://" + admin.Addr().String() + "/healthz"
	g := enginetest.Start(t, cfg, engine.Options{Drain: drain, MetricsListener: admin})
	url := g.URL
	if s := stacktest.Probe(liveness); s != http.StatusOK {
		t.Fatalf("/healthz while serving: %d", s)
	}

	inFlight := make(chan response, 1)
	go func() { inFlight <- get(t, url+"/api/v1/products") }()
	stacktest.Eventually(t, 5*time.Second, "the request to reach the service", func() bool { return catalog.calls.Load() == 1 })

	g.Cancel()
	stacktest.Eventually(t, drain, "/__health to report 503 while draining", func() bool { return stacktest.Probe(url+"/__health") == http.StatusServiceUnavailable })
	if s := get(t, url+"/api/v1/categories").Status; s != http.StatusOK {
		t.Errorf("while draining: %d, want 200 (still serving)", s)
	}
	if s := stacktest.Probe(liveness); s != http.StatusOK {
		t.Errorf("/healthz while draining: %d, want 200", s)
	}
	stacktest.Eventually(t, 5*time.Second, "the listener to close", func() bool { return stacktest.Probe(url+"/__health") == 0 })
	if s := stacktest.Probe(liveness); s != http.StatusOK {
		t.Errorf("/healthz while finishing a request: %d, want 200", s)
	}
	select {
	case <-g.Done():
		t.Fatalf("Run returned (%v) with a request in flight", g.Err())
	default:
	}

	close(release)
	if r := <-inFlight; r.Status != http.StatusOK {
		t.Errorf("the request in flight got %d, want 200", r.Status)
	}
	select {
	case <-g.Done():
		if err := g.Err(); err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the last request finished")
	}
}

// TestListenFailureIsReported: a port already in use is an error from
// Run, not a log line.
func TestListenFailureIsReported(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := enginetest.Rendered(t, "development")
	cfg["listen_ip"] = "127.0.0.1"
	cfg["port"] = busy.Addr().(*net.TCPAddr).Port
	ensure(cfg, "extra_config", "telemetry/logging")["level"] = "CRITICAL"
	loaded, err := engine.Load(cfg.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := engine.Run(context.Background(), loaded, engine.Options{}); err == nil {
		t.Fatal("Run succeeded on a busy port")
	}
}
