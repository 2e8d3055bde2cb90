package adminserver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestRunServesWhileTheWorkRuns: liveness and metrics answer while the
// work runs; when the work returns, Run shuts the server down and returns
// nil.
func TestRunServesWhileTheWorkRuns(t *testing.T) {
	reg := prometheus.NewRegistry()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "adminserver_test_value"})
	g.Set(42)
	reg.MustRegister(g)
	var addr string
	err := Run(context.Background(), Options{Addr: "127.0.0.1:0", Registry: reg, Listening: func(a string) { addr = a }},
		func(context.Context) {
			for path, want := range map[string]string{"/healthz": `{"status":"ok"}`, "/metrics": "adminserver_test_value 42"} {
				resp, err := http.Get("http://" + addr + path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
					t.Errorf("GET %s: %d %q, want %q", path, resp.StatusCode, b, want)
				}
			}
		})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("the admin server still answers after Run returned")
	}
}

func TestRunRefusesAnAddressInUse(t *testing.T) {
	var addr string
	_ = Run(context.Background(), Options{Addr: "127.0.0.1:0", Registry: prometheus.NewRegistry(), Listening: func(a string) { addr = a }},
		func(context.Context) {
			err := Run(context.Background(), Options{Addr: addr, Registry: prometheus.NewRegistry()}, func(context.Context) {
				t.Error("work ran although the admin address was taken")
			})
			if err == nil || !strings.HasPrefix(err.Error(), "admin: ") {
				t.Errorf("second Run on %s: %v, want an admin listen error", addr, err)
			}
		})
}

func TestReadyzFollowsReady(t *testing.T) {
	var ready atomic.Bool
	h := Handler(prometheus.NewRegistry(), readyWhen(ready.Load))
	code := func() int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code
	}
	if c := code(); c != http.StatusServiceUnavailable {
		t.Errorf("before ready: %d", c)
	}
	ready.Store(true)
	if c := code(); c != http.StatusOK {
		t.Errorf("ready: %d", c)
	}
	rec := httptest.NewRecorder()
	Handler(prometheus.NewRegistry(), nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("without Ready, /readyz answers %d", rec.Code)
	}
}
