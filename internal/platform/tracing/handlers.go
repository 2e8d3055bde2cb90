package tracing

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"google.golang.org/grpc/stats"
)

// ServerHandler is the gRPC server stats handler (grpc.StatsHandler) that
// extracts incoming trace context and starts a server span per RPC. Stats
// handlers run before interceptors, so logging sees the span.
func ServerHandler() stats.Handler { return otelgrpc.NewServerHandler() }

// ClientHandler is the gRPC client stats handler (grpc.WithStatsHandler)
// that starts client spans and injects trace context into outgoing calls.
func ClientHandler() stats.Handler { return otelgrpc.NewClientHandler() }

// HTTPMiddleware extracts incoming trace context (traceparent) and starts a
// server span named operation for each request.
func HTTPMiddleware(operation string, next http.Handler) http.Handler {
	return otelhttp.NewHandler(next, operation)
}

// Transport wraps rt (http.DefaultTransport when nil) so that each
// outgoing request is a client span and carries the trace context.
func Transport(rt http.RoundTripper) http.RoundTripper {
	return otelhttp.NewTransport(rt)
}
