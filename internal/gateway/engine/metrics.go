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

// serve answers GET /metrics on ln until ctx ends.
func (m *instrumentation) serve(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry}))
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
