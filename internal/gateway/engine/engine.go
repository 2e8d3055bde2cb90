// Package engine is shipshape's KrakenD-compatible API gateway: KrakenD
// CE's engine (lura) and components, wired the way KrakenD CE wires them,
// serving a rendered krakend.json unchanged. Every extra_config namespace
// of a configuration must be one this build implements (see components);
// Load refuses the rest rather than ignoring them.
package engine

import (
	"context"
	"errors"
	"io"
	"net"
	"time"

	"github.com/gin-gonic/gin"
	cors "github.com/krakend/krakend-cors/v2/gin"
	jose "github.com/krakend/krakend-jose/v2"
	"github.com/luraproject/lura/v2/config"
	luragin "github.com/luraproject/lura/v2/router/gin"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// Options are what the configuration file does not say.
type Options struct {
	// Listener, when set, is served instead of listening on the
	// configuration's listen_ip:port (tests pass a bound loopback port).
	Listener net.Listener
	// Drain is how long /__health answers 503 after ctx ends before the
	// gateway stops accepting connections, so that load balancers take it
	// out of rotation first.
	Drain time.Duration
	// MetricsListener, when set, serves Prometheus metrics (GET /metrics)
	// there: requests by endpoint, status and duration, and the Go runtime;
	// and GET /healthz, a liveness check that stays 200 while draining.
	// KrakenD CE exports the like through telemetry/opentelemetry, which
	// this build does not implement.
	MetricsListener net.Listener
	// AwaitJWKS keeps the health endpoint at 503 after start until every
	// JWK set the configuration validates tokens against has answered once:
	// a new instance is ready only when it can check tokens, which also
	// proves that its traffic to the services passes (network policies are
	// applied to a new pod a moment after it starts).
	AwaitJWKS bool
	// AccessLog receives the router's access log (one JSON line per
	// request, unless the router namespace sets disable_access_log); stdout
	// when nil.
	AccessLog io.Writer
	// TracerProvider makes the request and backend-call spans; the global
	// one when nil (cmd/gateway installs it from the OTLP settings).
	TracerProvider trace.TracerProvider
}

// Run serves cfg (from Load) until ctx ends, then shuts down gracefully:
// it drains, stops accepting and finishes the requests in flight. It
// returns an error when the gateway could not be built or serve.
func Run(ctx context.Context, cfg config.ServiceConfig, opts Options) error {
	logger, err := newLogger(cfg)
	if err != nil {
		return err
	}
	// A service-level auth/validator shares one JWK cache between endpoints.
	if err := jose.SetGlobalCacher(logger, cfg.ExtraConfig); err != nil && !errors.Is(err, jose.ErrNoValidatorCfg) {
		return err
	}
	tp := opts.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	srv := &httpServer{listener: opts.Listener, health: healthPath(cfg), drain: opts.Drain, logger: logger, tracer: tp}
	if urls := jwkURLs(cfg); opts.AwaitJWKS && len(urls) > 0 {
		srv.starting.Store(true)
		go func() {
			awaitJWKS(ctx, urls, 500*time.Millisecond, logger)
			srv.starting.Store(false)
		}()
	}
	first := []gin.HandlerFunc{spanRoute}
	if opts.MetricsListener != nil {
		m := newInstrumentation()
		// Label routes before anything can refuse the request (413), so
		// every answer counts under its endpoint.
		first = append(first, routeLabel)
		srv.instrument = m.red.Middleware
		// Metrics and liveness outlive ctx: they serve through the drain
		// and the shutdown, until Run returns.
		metricsCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
		defer stopMetrics()
		go func() {
			if err := m.serve(metricsCtx, opts.MetricsListener); err != nil {
				logger.Error("[SERVICE: Metrics]", err.Error())
			}
		}()
	}
	engine, err := newGinEngine(cfg, logger, opts.AccessLog, first...)
	if err != nil {
		return err
	}
	// CORS wraps the whole router, so preflight requests are answered
	// before routing, as in KrakenD CE.
	runServer := cors.NewRunServerWithLogger(srv.serve, logger)
	router := luragin.NewFactory(luragin.Config{
		Engine:         engine,
		HandlerFactory: newHandlerFactory(logger),
		ProxyFactory:   newProxyFactory(logger, newBackendFactory(logger, tracedTransport(tp))),
		Logger:         logger,
		RunServer:      luragin.RunServerFunc(runServer),
	})
	router.NewWithContext(ctx).Run(cfg)
	return srv.err
}
