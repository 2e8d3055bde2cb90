package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
)

// instrumentation is the gateway's Prometheus metrics: the chassis' HTTP
// RED metrics (http_requests_total, http_request_duration_seconds,
// http_requests_in_flight) labelled with the KrakenD endpoint that matched,
// plus the Go runtime and process collectors.
type instrumentation struct {
	registry *prometheus.Registry
	red      *metrics.HTTPServer
}

func newInstrumentation() *instrumentation {
	reg := metrics.NewRegistry()
	return &instrumentation{registry: reg, red: metrics.NewHTTPServer(reg)}
}

// routeLabel names the request's route after the endpoint pattern gin
// matched ("/api/v1/products/:idOrSlug"), never the raw path.
func routeLabel(c *gin.Context) {
	if pattern := c.FullPath(); pattern != "" {
		metrics.SetRoute(c.Request.Context(), pattern)
	}
	c.Next()
}

// serve answers on ln until ctx ends: GET /metrics, and GET /healthz, the
// liveness probe. /healthz says only that the process serves HTTP; it stays
// 200 while the gateway drains (when /__health, the readiness probe, is
// 503), so that a draining gateway is never restarted.
func (m *instrumentation) serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
