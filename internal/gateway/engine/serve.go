package engine

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/luraproject/lura/v2/config"
	"github.com/luraproject/lura/v2/logging"
	"github.com/luraproject/lura/v2/transport/http/server"
	"go.opentelemetry.io/otel/trace"

	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
)

// httpServer runs the router's handler the way KrakenD does (the service's
// timeouts and header limit, max_shutdown_wait_time), on a listener the
// caller may provide, and keeps the error lura's router would only log.
type httpServer struct {
	listener net.Listener
	health   string // the path of KrakenD's health endpoint
	drain    time.Duration
	// instrument, when set, wraps the whole handler (metrics).
	instrument func(http.Handler) http.Handler
	// tracer makes the request spans (traced).
	tracer trace.TracerProvider
	logger logging.Logger
	// starting: not ready yet (Options.AwaitJWKS)
	starting atomic.Bool
	draining atomic.Bool
	err      error
}

// serve is a lura RunServerFunc: it serves until ctx ends, then drains.
func (s *httpServer) serve(ctx context.Context, cfg config.ServiceConfig, handler http.Handler) error {
	handler = s.drainingHealth(handler)
	if s.instrument != nil {
		handler = s.instrument(handler)
	}
	handler = traced(s.tracer, s.health, handler)
	srv := server.NewServerWithLogger(cfg, handler, s.logger)
	ln := s.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", srv.Addr); err != nil {
			s.err = err
			return err
		}
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		s.err = err
		return err
	case <-ctx.Done():
	}
	s.err = s.shutdown(srv, cfg.MaxShutdownDuration)
	return s.err
}

// shutdown takes the gateway out of rotation first: /__health answers 503
// for the drain period, so load balancers stop sending new requests while
// the listener still accepts them; then it stops accepting and waits for
// requests in flight (at most max_shutdown_wait_time, when set).
func (s *httpServer) shutdown(srv *http.Server, wait time.Duration) error {
	s.draining.Store(true)
	s.logger.Info("[SERVICE: Gateway] Shutting down: draining for", s.drain)
	time.Sleep(s.drain)
	ctx := context.Background()
	if wait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	return srv.Shutdown(ctx)
}

// drainingHealth answers the health endpoint with 503 while starting
// (Options.AwaitJWKS) or draining; KrakenD's own (200) answers otherwise.
// Either way its metrics count under its path.
func (s *httpServer) drainingHealth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != s.health {
			next.ServeHTTP(w, r)
			return
		}
		metrics.SetRoute(r.Context(), s.health)
		if state := s.unready(); state != "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"status":"` + state + `"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unready names why the gateway should get no traffic, "" when it should.
func (s *httpServer) unready() string {
	switch {
	case s.draining.Load():
		return "draining"
	case s.starting.Load():
		return "starting"
	}
	return ""
}
