package metrics

import (
	"context"
	"net"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// healthy answers "missing" with NotFound and fails every Watch.
type healthy struct {
	healthpb.UnimplementedHealthServer
}

func (healthy) Check(_ context.Context, r *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if r.GetService() == "missing" {
		return nil, status.Error(codes.NotFound, "unknown service")
	}
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (healthy) Watch(*healthpb.HealthCheckRequest, grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	return status.Error(codes.Unavailable, "no watching")
}

func TestGRPCServerMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewGRPCServer(reg)
	srv := grpc.NewServer(
		grpc.UnaryInterceptor(m.UnaryServerInterceptor()),
		grpc.StreamInterceptor(m.StreamServerInterceptor()),
	)
	healthpb.RegisterHealthServer(srv, healthy{})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)

	for _, svc := range []string{"", "", "missing"} {
		_, _ = client.Check(t.Context(), &healthpb.HealthCheckRequest{Service: svc})
	}
	ws, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Recv(); status.Code(err) != codes.Unavailable {
		t.Fatalf("Watch: %v", err)
	}

	const svc = "grpc.health.v1.Health"
	counts := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"grpc_server_started_total", map[string]string{"grpc_service": svc, "grpc_method": "Check"}, 3},
		{"grpc_server_handled_total", map[string]string{"grpc_service": svc, "grpc_method": "Check", "grpc_code": "OK"}, 2},
		{"grpc_server_handled_total", map[string]string{"grpc_service": svc, "grpc_method": "Check", "grpc_code": "NotFound"}, 1},
		{"grpc_server_handled_total", map[string]string{"grpc_service": svc, "grpc_method": "Watch", "grpc_code": "Unavailable"}, 1},
	}
	for _, c := range counts {
		if got := find(t, reg, c.name, c.labels).GetCounter().GetValue(); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	h := find(t, reg, "grpc_server_handling_seconds", map[string]string{"grpc_service": svc, "grpc_method": "Check"}).GetHistogram()
	if h.GetSampleCount() != 3 || h.GetSampleSum() <= 0 {
		t.Errorf("histogram count %d sum %v", h.GetSampleCount(), h.GetSampleSum())
	}
}

func TestSplitMethod(t *testing.T) {
	for in, want := range map[string][2]string{
		"/shop.orders.v1.OrderService/GetOrder": {"shop.orders.v1.OrderService", "GetOrder"},
		"/grpc.health.v1.Health/Check":          {"grpc.health.v1.Health", "Check"},
		"nonsense":                              {"unknown", "unknown"},
		"/OnlyService/":                         {"unknown", "unknown"},
		"":                                      {"unknown", "unknown"},
	} {
		s, m := splitMethod(in)
		if [2]string{s, m} != want {
			t.Errorf("splitMethod(%q) = %q, %q", in, s, m)
		}
	}
}
