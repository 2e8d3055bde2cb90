package metrics

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// unmatchedRoute labels requests no inner handler claimed. The raw path is
// never used as a label: clients control it, so it would be unbounded.
const unmatchedRoute = "unmatched"

// HTTPServer records RED metrics for an HTTP server:
//
//	http_requests_total{method,route,code}
//	http_request_duration_seconds{method,route} (histogram)
//	http_requests_in_flight
type HTTPServer struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// NewHTTPServer creates the metrics and registers them with reg.
func NewHTTPServer(reg prometheus.Registerer) *HTTPServer {
	return &HTTPServer{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests completed, by method, route pattern and status code.",
		}, []string{"method", "route", "code"})),
		duration: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve HTTP requests.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"})),
		inFlight: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests currently being served.",
		})),
	}
}

// Middleware records each request. Inner handlers name the route with
// SetRoute; otherwise the route label is "unmatched". Metrics are recorded
// from a defer so a panic unwinding through still counts (as a 500 if no
// status was written) and in-flight never leaks.
func (m *HTTPServer) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		holder := new(routeHolder)
		ctx := context.WithValue(r.Context(), routeKey{}, holder)
		sw := &statusWriter{ResponseWriter: w}
		method := normalizeMethod(r.Method)

		m.inFlight.Inc()
		begin := time.Now()
		defer func() {
			m.inFlight.Dec()
			code := sw.status
			if code == 0 {
				code = http.StatusOK
				if !sw.completed {
					code = http.StatusInternalServerError
				}
			}
			route := holder.get()
			m.requests.WithLabelValues(method, route, strconv.Itoa(code)).Inc()
			m.duration.WithLabelValues(method, route).Observe(time.Since(begin).Seconds())
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
		sw.completed = true
	})
}

// SetRoute sets the route label for the request whose context is ctx, e.g.
// from grpc-gateway middleware that knows the matched path pattern. It is a
// no-op outside HTTPServer.Middleware. Pass a pattern, never a raw path.
func SetRoute(ctx context.Context, route string) {
	if h, ok := ctx.Value(routeKey{}).(*routeHolder); ok && route != "" {
		h.route.Store(&route)
	}
}

type routeKey struct{}

// routeHolder is mutable so an inner handler can report the route back to
// the middleware through the (immutable) context. Atomic because the inner
// handler may hand the request to another goroutine.
type routeHolder struct{ route atomic.Pointer[string] }

func (h *routeHolder) get() string {
	if r := h.route.Load(); r != nil {
		return *r
	}
	return unmatchedRoute
}

// normalizeMethod bounds the method label: clients can send any token.
func normalizeMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// statusWriter captures the response status.
type statusWriter struct {
	http.ResponseWriter
	status    int
	completed bool
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx is informational
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps http.Flusher assertions (grpc-gateway streaming) working.
func (w *statusWriter) Flush() { _ = w.FlushError() }

// FlushError is what http.ResponseController calls.
func (w *statusWriter) FlushError() error {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach Hijack and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
