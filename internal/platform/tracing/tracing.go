// Package tracing configures OpenTelemetry tracing and provides the gRPC and
// HTTP instrumentation that starts spans and propagates trace context.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// Config selects where and how much to trace.
type Config struct {
	ServiceName    string
	ServiceVersion string
	// Endpoint is the OTLP/gRPC collector, "host:port" or a URL such as
	// "http://otel-collector:4317" (an http:// URL implies Insecure).
	// Empty turns exporting off.
	Endpoint string
	// Insecure disables TLS to the collector.
	Insecure bool
	// Exporter, when set, receives the spans instead of an OTLP exporter,
	// each as it ends (in-process tests pass an in-memory one). It is not
	// configuration: nothing sets it from the environment.
	Exporter sdktrace.SpanExporter
	// SampleRatio is the fraction of new traces (0..1) to sample. Requests
	// arriving with a sampled parent are always traced, so one sampling
	// decision holds across services. Note 0 samples no new traces.
	SampleRatio float64
}

// Setup installs the global propagator (W3C tracecontext + baggage) and,
// when cfg.Endpoint is set, a global TracerProvider exporting in batches
// over OTLP/gRPC (or, when cfg.Exporter is set, to it as each span ends).
// With neither it installs a no-op provider: no exporter, no goroutines,
// but incoming trace context still flows through to outgoing calls and
// logs. The returned shutdown flushes pending spans;
// call it on exit with a deadline.
func Setup(ctx context.Context, cfg Config) (shutdown func(context.Context) error, err error) {
	if math.IsNaN(cfg.SampleRatio) || cfg.SampleRatio < 0 || cfg.SampleRatio > 1 {
		return nil, fmt.Errorf("tracing: sample ratio %v out of range [0, 1]", cfg.SampleRatio)
	}
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{}, propagation.Baggage{},
	))

	if cfg.Exporter == nil && cfg.Endpoint == "" {
		// Explicitly no-op (rather than leaving whatever was installed
		// before) so "off" means off. The no-op tracer hands back the
		// incoming span context, keeping propagation working.
		otel.SetTracerProvider(noop.NewTracerProvider())
		return func(context.Context) error { return nil }, nil
	}

	var processor sdktrace.SpanProcessor
	if cfg.Exporter != nil {
		processor = sdktrace.NewSimpleSpanProcessor(cfg.Exporter)
	} else {
		exporter, err := newExporter(ctx, cfg)
		if err != nil {
			return nil, err
		}
		processor = sdktrace.NewBatchSpanProcessor(exporter)
	}
	res, err := newResource(ctx, cfg)
	if err != nil {
		return nil, errors.Join(err, processor.Shutdown(ctx))
	}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(processor),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(cfg.SampleRatio))),
	)
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

func newExporter(ctx context.Context, cfg Config) (*otlptrace.Exporter, error) {
	var opts []otlptracegrpc.Option
	if strings.Contains(cfg.Endpoint, "://") {
		// The exporter silently falls back to localhost on a bad URL;
		// fail loudly instead.
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("tracing: invalid endpoint URL %q", cfg.Endpoint)
		}
		opts = append(opts, otlptracegrpc.WithEndpointURL(cfg.Endpoint))
	} else {
		opts = append(opts, otlptracegrpc.WithEndpoint(cfg.Endpoint))
	}
	if cfg.Insecure {
		opts = append(opts, otlptracegrpc.WithInsecure())
	}
	// New does not dial eagerly, so an unreachable collector does not stop
	// the service from starting; exports just fail and are dropped.
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("tracing: otlp exporter: %w", err)
	}
	return exp, nil
}

func newResource(ctx context.Context, cfg Config) (*resource.Resource, error) {
	var attrs []attribute.KeyValue
	// Unset values are left out so the SDK's "unknown_service:<binary>"
	// default still applies.
	if cfg.ServiceName != "" {
		attrs = append(attrs, attribute.String("service.name", cfg.ServiceName))
	}
	if cfg.ServiceVersion != "" {
		attrs = append(attrs, attribute.String("service.version", cfg.ServiceVersion))
	}
	// Env (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) comes last so
	// operators can override what the code says.
	res, err := resource.New(ctx,
		resource.WithTelemetrySDK(),
		resource.WithAttributes(attrs...),
		resource.WithFromEnv(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return res, nil
}

// Env is the tracing configuration of a process that does not use the
// service bootstrap (the gateway): the same variables as the services'.
type Env struct {
	OTLPEndpoint     string  `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	OTLPInsecure     bool    `env:"OTEL_EXPORTER_OTLP_INSECURE" default:"false"`
	TraceSampleRatio float64 `env:"TRACE_SAMPLE_RATIO" default:"1"`
}

// SetupFromEnv is Setup for service name at version with the Env read from
// the process environment.
func SetupFromEnv(ctx context.Context, name, version string) (shutdown func(context.Context) error, err error) {
	var e Env
	if err := config.Load(&e); err != nil {
		return nil, err
	}
	return Setup(ctx, Config{ServiceName: name, ServiceVersion: version, Endpoint: e.OTLPEndpoint,
		Insecure: e.OTLPInsecure, SampleRatio: e.TraceSampleRatio})
}
