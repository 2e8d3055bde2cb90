// Package bootstrap is the start-up every service shares: its common
// configuration, logger, metrics registry and tracing, then listeners.Run.
package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/metrics"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
	"github.com/shipshape-dev/shipshape/internal/platform/version"
)

// Common is the configuration every service has.
type Common struct {
	Server   listeners.Config
	LogLevel string `env:"LOG_LEVEL" default:"info"`
	// Tracing is off unless an OTLP endpoint is set.
	OTLPEndpoint     string  `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	OTLPInsecure     bool    `env:"OTEL_EXPORTER_OTLP_INSECURE" default:"false"`
	TraceSampleRatio float64 `env:"TRACE_SAMPLE_RATIO" default:"1"`
	// TraceExporter, when set, receives the spans instead of OTLP
	// (in-process tests); no environment variable sets it.
	TraceExporter sdktrace.SpanExporter
	// LogOutput, when set, receives the JSON log lines instead of stderr
	// (in-process tests); no environment variable sets it.
	LogOutput io.Writer
	// Auth says which bearer tokens are accepted (JWKS_URL, JWT_ISSUER,
	// JWT_AUDIENCE); it validates itself when loaded.
	Auth auth.Config
}

// Validate checks what the field types cannot.
func (c Common) Validate() error {
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		return config.Errorf("LOG_LEVEL", "%v", err)
	}
	if c.TraceSampleRatio < 0 || c.TraceSampleRatio > 1 {
		return config.Errorf("TRACE_SAMPLE_RATIO", "must be between 0 and 1")
	}
	if c.Auth.Audience == servicetoken.Audience {
		// A user's token must never pass as a service's, nor the reverse.
		return config.Errorf("JWT_AUDIENCE", "%q is the audience of service tokens", servicetoken.Audience)
	}
	return nil
}

// Runtime is what a started service shares with its parts.
type Runtime struct {
	Name     string
	Common   Common
	Logger   *slog.Logger
	Registry *prometheus.Registry
	// Auth authenticates bearer tokens on every gRPC (and so REST) call;
	// Start builds it from Common.Auth. A service that verifies tokens
	// differently (identity, with its own keys) replaces it before Serve.
	Auth auth.Authenticator
	// Services verifies the service tokens calls carry (servicetoken), so
	// handlers can check the calling service with servicetoken.Require.
	// Start builds it from Common.Auth; identity replaces it too.
	Services *servicetoken.Verifier
	closers  []func(context.Context) error
	// db is the pool OpenDatabase opened; Serve checks and closes it.
	db *pgxpool.Pool
}

// Start builds the logger, registry and tracer for a service.
func Start(ctx context.Context, name string, c Common) (*Runtime, error) {
	level, err := logging.ParseLevel(c.LogLevel)
	if err != nil {
		return nil, config.Errorf("LOG_LEVEL", "%v", err)
	}
	var out io.Writer = os.Stderr
	if c.LogOutput != nil {
		out = c.LogOutput
	}
	logger := logging.New(out, level, slog.String("service", name), slog.String("version", version.Version))
	shutdownTracing, err := tracing.Setup(ctx, tracing.Config{ServiceName: name, ServiceVersion: version.Version,
		Endpoint: c.OTLPEndpoint, Insecure: c.OTLPInsecure, SampleRatio: c.TraceSampleRatio, Exporter: c.TraceExporter})
	if err != nil {
		return nil, fmt.Errorf("tracing: %w", err)
	}
	if err := c.Auth.Validate(); err != nil {
		return nil, err
	}
	return &Runtime{Name: name, Common: c, Logger: logger, Registry: metrics.NewRegistry(),
		Auth: c.Auth.Authenticator(), Services: servicetoken.VerifierFor(c.Auth),
		closers: []func(context.Context) error{shutdownTracing}}, nil
}

// OpenDatabase opens the service's main pool and registers its metrics.
// Serve then adds the "database" readiness check (unless the service set
// its own) and closes the pool after the service's closers, before the
// telemetry flush. Call it at most once; a service's further pools (e.g.
// orders' payment pool) stay its own to open and close.
func (rt *Runtime) OpenDatabase(ctx context.Context, cfg pg.Config) (*pgxpool.Pool, error) {
	pool, err := pg.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := metrics.RegisterPool(rt.Registry, pool.Stat); err != nil {
		pool.Close()
		return nil, err
	}
	rt.db = pool
	return pool, nil
}

// Serve runs the server; the service's closers run first, then the
// database pool from OpenDatabase, then the runtime's own closers (telemetry
// flush), as the shutdown sequence requires.
// Authentication (of the user and of the calling service) runs before the
// service's own interceptors, so handlers only authorize (auth.RequireUser,
// auth.RequireRole, servicetoken.Require).
func (rt *Runtime) Serve(ctx context.Context, o listeners.Options) error {
	if rt.Auth == nil {
		return errors.New("service: Runtime.Auth is nil")
	}
	if rt.Services == nil {
		return errors.New("service: Runtime.Services is nil")
	}
	// Warned here, not in Start: a service that verifies with its own keys
	// (identity) replaces Auth in between and needs no JWKS_URL.
	if auth.RefusesAll(rt.Auth) {
		rt.Logger.Warn("JWKS_URL is not set: every bearer token is refused, only anonymous calls work")
	}
	o.Name, o.Config, o.Logger, o.Registry = rt.Name, rt.Common.Server, rt.Logger, rt.Registry
	o.UnaryInterceptors = append([]grpc.UnaryServerInterceptor{
		auth.UnaryServerInterceptor(rt.Auth), servicetoken.UnaryServerInterceptor(rt.Services),
	}, o.UnaryInterceptors...)
	routes := make(map[string]http.Handler, len(o.HTTPRoutes))
	for pattern, h := range o.HTTPRoutes {
		routes[pattern] = auth.HTTPMiddleware(rt.Auth, h)
	}
	o.HTTPRoutes = routes
	if rt.db != nil {
		if _, ok := o.ReadyChecks["database"]; !ok {
			// A copy: the caller's map is not ours to change.
			checks := maps.Clone(o.ReadyChecks)
			if checks == nil {
				checks = map[string]listeners.Check{}
			}
			checks["database"] = pg.Ping(rt.db)
			o.ReadyChecks = checks
		}
		db := rt.db
		o.Closers = append(o.Closers, func(context.Context) error { db.Close(); return nil })
	}
	o.Closers = append(o.Closers, rt.closers...)
	return listeners.Run(ctx, o)
}

// LoadConfig loads a service's configuration struct from the environment.
func LoadConfig[T any]() (T, error) {
	var cfg T
	err := config.Load(&cfg)
	return cfg, err
}
