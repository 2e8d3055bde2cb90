package engine

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// The gateway continues the caller's W3C trace (traceparent) with a server
// span per request and a client span per backend call, whose context the
// backend receives in its own traceparent: browser -> storefront ->
// gateway -> service is one trace. This is the engine's own propagation,
// not KrakenD's telemetry/opentelemetry namespace, so krakend.json needs no
// block for it: where spans go is the process's OTLP settings (cmd/gateway
// reads the same variables as the services). With no exporter the tracer
// is a no-op and the incoming context still flows to the backends.
//
// Every request also gets an X-Request-Id (the caller's when valid), set on
// the request before lura copies input_headers, so each backend logs the
// same id, and on the response.

// traced wraps the whole handler: request id outermost, then the span.
func traced(tp trace.TracerProvider, health string, next http.Handler) http.Handler {
	h := otelhttp.NewHandler(next, "gateway",
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(otel.GetTextMapPropagator()),
		// Probes every few seconds would bury the requests.
		otelhttp.WithFilter(func(r *http.Request) bool { return r.URL.Path != health }),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
	)
	return requestid.HTTPMiddleware(h)
}

// spanRoute names the request's span after the endpoint gin matched
// ("GET /api/v1/products/:idOrSlug"), as the metrics label it.
func spanRoute(c *gin.Context) {
	if span := trace.SpanFromContext(c.Request.Context()); span.IsRecording() {
		if pattern := c.FullPath(); pattern != "" {
			span.SetName(c.Request.Method + " " + pattern)
			span.SetAttributes(attribute.String("http.route", pattern))
		}
	}
	c.Next()
}

// tracedTransport is the backend calls' transport: a client span each,
// and the trace context injected into the request's headers.
func tracedTransport(tp trace.TracerProvider) http.RoundTripper {
	return otelhttp.NewTransport(http.DefaultTransport,
		otelhttp.WithTracerProvider(tp),
		otelhttp.WithPropagators(otel.GetTextMapPropagator()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Host }),
	)
}
