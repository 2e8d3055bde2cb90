package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestHTTPServerMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewHTTPServer(reg)

	mux := http.NewServeMux()
	mux.HandleFunc("/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		// What a router-aware middleware would do: report the pattern.
		SetRoute(r.Context(), r.Pattern)
		if got := testutil.ToFloat64(m.inFlight); got != 1 {
			t.Errorf("in flight during request = %v", got)
		}
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) {
		SetRoute(r.Context(), "/abort")
		panic(http.ErrAbortHandler)
	})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()

	do := func(method, path string) error {
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	for _, p := range []string{"/orders/1", "/orders/2", "/nope/123"} {
		if err := do(http.MethodGet, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := do("BREW", "/orders/3"); err != nil {
		t.Fatal(err)
	}
	if err := do(http.MethodPost, "/abort"); err == nil {
		t.Fatal("abort: want client error")
	}

	counts := []struct {
		labels map[string]string
		want   float64
	}{
		{map[string]string{"method": "GET", "route": "/orders/{id}", "code": "201"}, 2},
		// Raw paths never become labels.
		{map[string]string{"method": "GET", "route": "unmatched", "code": "404"}, 1},
		// Unknown methods are folded; this one still matched the route.
		{map[string]string{"method": "OTHER", "route": "/orders/{id}", "code": "201"}, 1},
		// A panic with nothing written counts as a 500.
		{map[string]string{"method": "POST", "route": "/abort", "code": "500"}, 1},
	}
	for _, c := range counts {
		if got := find(t, reg, "http_requests_total", c.labels).GetCounter().GetValue(); got != c.want {
			t.Errorf("http_requests_total%v = %v, want %v", c.labels, got, c.want)
		}
	}
	h := find(t, reg, "http_request_duration_seconds", map[string]string{"method": "GET", "route": "/orders/{id}"}).GetHistogram()
	if h.GetSampleCount() != 2 {
		t.Errorf("duration count = %d", h.GetSampleCount())
	}
	if got := testutil.ToFloat64(m.inFlight); got != 0 {
		t.Errorf("in flight after requests = %v", got)
	}
	if n := testutil.CollectAndCount(m.requests); n != 4 {
		t.Errorf("series = %d, want 4", n)
	}
}

func TestSetRouteOutsideMiddlewareIsNoop(t *testing.T) {
	SetRoute(t.Context(), "/x") // must not panic
}

func TestStatusWriterFlushes(t *testing.T) {
	m := NewHTTPServer(prometheus.NewRegistry())
	rec := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
	})).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if !rec.Flushed {
		t.Fatal("flush did not reach the underlying writer")
	}
}
