package tracing

import (
	"context"
	"math"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

const (
	traceIDHex  = "4bf92f3577b34da6a3ce929d0e0e4736"
	spanIDHex   = "00f067aa0ba902b7"
	traceparent = "00-" + traceIDHex + "-" + spanIDHex + "-01"
)

// resetGlobals undoes Setup's global side effects after a test.
func resetGlobals(t *testing.T) {
	t.Cleanup(func() {
		otel.SetTracerProvider(noop.NewTracerProvider())
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	})
}

func TestSetupRejectsBadSampleRatio(t *testing.T) {
	resetGlobals(t)
	for _, r := range []float64{-0.1, 1.01, math.NaN(), math.Inf(1)} {
		if _, err := Setup(t.Context(), Config{SampleRatio: r}); err == nil {
			t.Errorf("SampleRatio %v accepted", r)
		}
	}
	for _, r := range []float64{0, 0.5, 1} {
		shutdown, err := Setup(t.Context(), Config{SampleRatio: r})
		if err != nil {
			t.Errorf("SampleRatio %v rejected: %v", r, err)
			continue
		}
		_ = shutdown(t.Context())
	}
}

func TestSetupRejectsBadEndpointURL(t *testing.T) {
	resetGlobals(t)
	if _, err := Setup(t.Context(), Config{Endpoint: "http://", SampleRatio: 1}); err == nil {
		t.Fatal("endpoint URL without host accepted")
	}
}

func TestSetupWithoutEndpointIsOff(t *testing.T) {
	resetGlobals(t)
	shutdown, err := Setup(t.Context(), Config{ServiceName: "orders", SampleRatio: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); ok {
		t.Fatal("SDK provider (with exporter) installed although Endpoint is empty")
	}
	_, span := otel.Tracer("test").Start(t.Context(), "op")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Fatal("root span is recording with tracing off")
	}
	if err := shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestSetupWithEndpointSamples(t *testing.T) {
	resetGlobals(t)
	// Port 1 never answers, but nothing is exported: spans are only
	// queued when ended, and none are.
	for _, endpoint := range []string{"127.0.0.1:1", "http://127.0.0.1:1"} {
		for _, tc := range []struct {
			ratio       float64
			rootSampled bool
		}{{1, true}, {0, false}} {
			shutdown, err := Setup(t.Context(), Config{
				ServiceName: "orders", ServiceVersion: "v1", Endpoint: endpoint, Insecure: true, SampleRatio: tc.ratio,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := otel.GetTracerProvider().(*sdktrace.TracerProvider); !ok {
				t.Fatalf("%s: global provider is %T", endpoint, otel.GetTracerProvider())
			}
			tracer := otel.Tracer("test")
			_, root := tracer.Start(t.Context(), "root")
			if root.SpanContext().IsSampled() != tc.rootSampled {
				t.Errorf("ratio %v: root sampled = %v", tc.ratio, root.SpanContext().IsSampled())
			}
			// A sampled parent from upstream wins over the ratio.
			parent := otel.GetTextMapPropagator().Extract(t.Context(), propagation.MapCarrier{"traceparent": traceparent})
			_, child := tracer.Start(parent, "child")
			if sc := child.SpanContext(); !sc.IsSampled() || sc.TraceID().String() != traceIDHex {
				t.Errorf("ratio %v: child of sampled parent: %v", tc.ratio, sc)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			if err := shutdown(ctx); err != nil {
				t.Errorf("shutdown: %v", err)
			}
			cancel()
		}
	}
}

// spanContextOf is a helper for other tests: the span context carried by a
// traceparent, as a downstream service would see it.
func spanContextOf(t *testing.T, tp string) trace.SpanContext {
	t.Helper()
	ctx := otel.GetTextMapPropagator().Extract(context.Background(), propagation.MapCarrier{"traceparent": tp})
	return trace.SpanContextFromContext(ctx)
}

// TestSetupWithExporter: an in-process exporter gets each span as it ends,
// with the service's resource, and no OTLP endpoint is needed.
func TestSetupWithExporter(t *testing.T) {
	resetGlobals(t)
	exp := tracetest.NewInMemoryExporter()
	shutdown, err := Setup(t.Context(), Config{ServiceName: "cart", Exporter: exp, SampleRatio: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = shutdown(context.Background()) }()
	_, span := otel.Tracer("test").Start(t.Context(), "op")
	span.End()
	got := exp.GetSpans()
	if len(got) != 1 || got[0].Name != "op" {
		t.Fatalf("exported %v", got)
	}
	if v, _ := got[0].Resource.Set().Value("service.name"); v.AsString() != "cart" {
		t.Fatalf("service.name %q", v.AsString())
	}
}
