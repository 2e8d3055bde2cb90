package e2e_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// spanSink keeps every span exported to it, from every service's tracer
// provider; Shutdown (a service stopping) keeps them.
type spanSink struct {
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
}

func (s *spanSink) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spans = append(s.spans, spans...)
	return nil
}

func (s *spanSink) Shutdown(context.Context) error { return nil }

func (s *spanSink) all() []sdktrace.ReadOnlySpan {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.spans)
}

// serviceOf is the service.name of the provider that made a span.
func serviceOf(s sdktrace.ReadOnlySpan) string {
	v, _ := s.Resource().Set().Value("service.name")
	return v.AsString()
}

func attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, a := range s.Attributes() {
		if string(a.Key) == key {
			return a.Value.Emit()
		}
	}
	return ""
}

// TestCheckoutIsOneTrace: one checkout sent through the gateway with a
// W3C traceparent (as the storefront sends it) is one trace: the
// gateway's spans, orders', catalog's and cart's server spans and each
// one's SQL spans all carry the caller's trace id, and no server or SQL
// span made while the checkout ran belongs to another trace. Every log line written for
// the request, the gateway's access line included, carries that trace id
// and the request's X-Request-Id.
func TestCheckoutIsOneTrace(t *testing.T) {
	spans := &spanSink{}
	var logs logtest.Buffer
	s, _ := startSystemWith(t, func(c *bootstrap.Common) {
		c.TraceExporter, c.LogOutput, c.LogLevel = spans, &logs, "info"
	})
	gatewayTracer := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "gateway"))))
	t.Cleanup(func() { _ = gatewayTracer.Shutdown(context.Background()) })
	cfg := gatewayConfig(t, s)
	enginetest.Ensure(cfg, "extra_config", "router")["disable_access_log"] = false
	api := enginetest.Start(t, cfg, engine.Options{TracerProvider: gatewayTracer, AccessLog: &logs}).URL + "/api/v1"

	access, _ := s.signUpAndIn(t, "traced@example.com")
	me := stacktest.Bearer(access)
	_, listing := stacktest.Call(t, "GET", api+"/products?pageSize=1", "", nil)
	product := listing["products"].([]any)[0].(map[string]any)
	if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, product["id"]), me); status != 200 {
		t.Fatalf("add to cart: %d %v", status, body)
	}

	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	requestID := "checkout-" + uuid.NewString()
	logStart := len(logs.Lines(t))
	started := time.Now()
	status, order := stacktest.Call(t, "POST", api+"/orders", card, me.With("Idempotency-Key", uuid.NewString()).
		With("traceparent", "00-"+traceID+"-00f067aa0ba902b7-01").With("X-Request-Id", requestID))
	if status != 201 {
		t.Fatalf("checkout: %d %v", status, order)
	}

	// Server spans end after their answer is written: wait for the
	// gateway's, the outermost.
	var inTrace []sdktrace.ReadOnlySpan
	stacktest.Eventually(t, 10*time.Second, "the gateway's span of the checkout", func() bool {
		inTrace = inTrace[:0]
		done := false
		for _, sp := range spans.all() {
			if sp.SpanContext().TraceID().String() != traceID {
				continue
			}
			inTrace = append(inTrace, sp)
			done = done || serviceOf(sp) == "gateway" && sp.Name() == "POST /api/v1/orders"
		}
		return done
	})

	// Every server or SQL span started while the checkout ran is in its
	// trace. Orders' call for a service token and the fetches of
	// identity's keys serve all requests, so they are traces of their own.
	// (In one process identity's REST spans carry the last service's name.)
	for _, sp := range spans.all() {
		if sp.StartTime().After(started) && sp.SpanContext().TraceID().String() != traceID &&
			(sp.SpanKind().String() == "server" || attr(sp, "db.system.name") != "") &&
			attr(sp, "url.path") != "/.well-known/jwks.json" {
			t.Errorf("span %q of %s started during the checkout in another trace %s: %v", sp.Name(), serviceOf(sp), sp.SpanContext().TraceID(), sp.Attributes())
		}
	}
	server, sql := map[string]bool{}, map[string]bool{}
	var names []string
	for _, sp := range inTrace {
		names = append(names, serviceOf(sp)+": "+sp.Name())
		if attr(sp, "db.system.name") == "postgresql" {
			sql[serviceOf(sp)] = true
		} else if sp.SpanKind().String() == "server" {
			server[serviceOf(sp)] = true
		}
	}
	sort.Strings(names)
	for _, svc := range []string{"gateway", "orders", "catalog", "cart"} {
		if !server[svc] {
			t.Errorf("no server span from %s in the trace; spans:\n%v", svc, names)
		}
	}
	for _, svc := range []string{"orders", "catalog", "cart"} {
		if !sql[svc] {
			t.Errorf("no SQL span from %s in the trace; spans:\n%v", svc, names)
		}
	}

	// Every line logged for the request carries its ids; the gateway,
	// orders, catalog and cart each wrote at least one.
	var lines []map[string]any
	stacktest.Eventually(t, 10*time.Second, "the gateway's access line", func() bool {
		lines = logs.Lines(t)[logStart:]
		return slices.ContainsFunc(lines, func(l map[string]any) bool { return l["service"] == "gateway" })
	})
	wrote := map[string]bool{}
	for _, l := range lines {
		if l["request_id"] != requestID && l["trace_id"] != traceID {
			continue // another request's line (a health check, a token refresh)
		}
		if l["request_id"] != requestID || l["trace_id"] != traceID || l["span_id"] == nil {
			t.Errorf("line of the checkout without both ids: %v", l)
		}
		wrote[fmt.Sprint(l["service"])] = true
	}
	for _, svc := range []string{"gateway", "orders", "catalog", "cart"} {
		if !wrote[svc] {
			t.Errorf("no log line of the checkout from %s; lines: %v", svc, lines)
		}
	}
}
