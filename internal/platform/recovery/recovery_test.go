package recovery

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

// panicky panics with a secret unless asked for the "ok" service.
type panicky struct {
	healthpb.UnimplementedHealthServer
}

func (panicky) Check(_ context.Context, r *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if r.GetService() == "ok" {
		return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
	}
	panic("secret db password in panic")
}

func (panicky) Watch(*healthpb.HealthCheckRequest, grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	panic("stream secret")
}

func startServer(t *testing.T, l *slog.Logger) healthpb.HealthClient {
	t.Helper()
	srv := grpc.NewServer(
		grpc.UnaryInterceptor(UnaryServerInterceptor(l)),
		grpc.StreamInterceptor(StreamServerInterceptor(l)),
	)
	healthpb.RegisterHealthServer(srv, panicky{})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

func TestUnaryRecovers(t *testing.T) {
	var buf logtest.Buffer
	client := startServer(t, slog.New(slog.NewJSONHandler(&buf, nil)))

	_, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{})
	st := status.Convert(err)
	if st.Code() != codes.Internal || st.Message() != "internal error" {
		t.Fatalf("got %v", err)
	}
	// The server survived and still answers.
	if _, err := client.Check(t.Context(), &healthpb.HealthCheckRequest{Service: "ok"}); err != nil {
		t.Fatalf("after panic: %v", err)
	}

	lines := buf.Lines(t)
	if len(lines) != 1 {
		t.Fatalf("want 1 log line, got %v", lines)
	}
	l := lines[0]
	stack, _ := l["stack"].(string)
	if l["level"] != "ERROR" || l["panic"] != "secret db password in panic" ||
		l["grpc.method"] != "/grpc.health.v1.Health/Check" || !strings.Contains(stack, "panicky.Check") {
		t.Fatalf("log line %v", l)
	}
}

func TestStreamRecovers(t *testing.T) {
	var buf logtest.Buffer
	client := startServer(t, slog.New(slog.NewJSONHandler(&buf, nil)))
	ws, err := client.Watch(t.Context(), &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Recv()
	if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
		t.Fatalf("got %v", err)
	}
	lines := buf.Lines(t)
	if len(lines) != 1 || lines[0]["panic"] != "stream secret" || lines[0]["grpc.method"] != "/grpc.health.v1.Health/Watch" {
		t.Fatalf("got %v", lines)
	}
}
