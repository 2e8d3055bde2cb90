package metrics

import (
	"context"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// GRPCServer records RED metrics for a gRPC server:
//
//	grpc_server_started_total{grpc_service,grpc_method}
//	grpc_server_handled_total{grpc_service,grpc_method,grpc_code}
//	grpc_server_handling_seconds{grpc_service,grpc_method} (histogram)
//
// Labels come from registered method names only (grpc rejects unknown
// methods before interceptors run), so cardinality stays bounded.
type GRPCServer struct {
	started  *prometheus.CounterVec
	handled  *prometheus.CounterVec
	handling *prometheus.HistogramVec
}

// NewGRPCServer creates the metrics and registers them with reg.
func NewGRPCServer(reg prometheus.Registerer) *GRPCServer {
	return &GRPCServer{
		started: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_started_total",
			Help: "RPCs started on the server.",
		}, []string{"grpc_service", "grpc_method"})),
		handled: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_handled_total",
			Help: "RPCs completed on the server, by status code.",
		}, []string{"grpc_service", "grpc_method", "grpc_code"})),
		handling: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "grpc_server_handling_seconds",
			Help:    "Time from RPC start to the handler returning.",
			Buckets: prometheus.DefBuckets,
		}, []string{"grpc_service", "grpc_method"})),
	}
}

// UnaryServerInterceptor records one observation per call. Place it outside
// recovery so panics are counted as Internal.
func (m *GRPCServer) UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		done := m.start(info.FullMethod)
		resp, err := handler(ctx, req)
		done(err)
		return resp, err
	}
}

// StreamServerInterceptor records one observation per stream, when it ends.
func (m *GRPCServer) StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		done := m.start(info.FullMethod)
		err := handler(srv, ss)
		done(err)
		return err
	}
}

func (m *GRPCServer) start(fullMethod string) func(error) {
	svc, method := splitMethod(fullMethod)
	m.started.WithLabelValues(svc, method).Inc()
	begin := time.Now()
	return func(err error) {
		m.handled.WithLabelValues(svc, method, status.Code(err).String()).Inc()
		m.handling.WithLabelValues(svc, method).Observe(time.Since(begin).Seconds())
	}
}

// splitMethod turns "/pkg.Service/Method" into ("pkg.Service", "Method").
func splitMethod(full string) (service, method string) {
	s, m, ok := strings.Cut(strings.TrimPrefix(full, "/"), "/")
	if !ok || s == "" || m == "" {
		return "unknown", "unknown"
	}
	return s, m
}
