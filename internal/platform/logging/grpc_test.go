package logging

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// testService is a hand-written service whose methods fail with the code
// named in the request's Service field, so each code path can be driven.
var testService = grpc.ServiceDesc{
	ServiceName: "test.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Call",
		Handler: func(srv any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
			in := new(healthpb.HealthCheckRequest)
			if err := dec(in); err != nil {
				return nil, err
			}
			h := func(_ context.Context, req any) (any, error) {
				return codeReply(req.(*healthpb.HealthCheckRequest).GetService())
			}
			return icpt(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: "/test.Echo/Call"}, h)
		},
	}},
	Streams: []grpc.StreamDesc{{
		StreamName:    "Stream",
		ServerStreams: true,
		Handler: func(_ any, ss grpc.ServerStream) error {
			return status.Error(codes.Unavailable, "backend down")
		},
	}},
}

func codeReply(name string) (any, error) {
	switch name {
	case "":
		return &healthpb.HealthCheckResponse{}, nil
	case "NotFound":
		return nil, status.Error(codes.NotFound, "no such order")
	default:
		return nil, status.Error(codes.Internal, "db broke")
	}
}

func startServer(t *testing.T, l *slog.Logger) *grpc.ClientConn {
	t.Helper()
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(requestid.UnaryServerInterceptor(), UnaryServerInterceptor(l)),
		grpc.ChainStreamInterceptor(requestid.StreamServerInterceptor(), StreamServerInterceptor(l)),
	)
	srv.RegisterService(&testService, struct{}{})
	healthpb.RegisterHealthServer(srv, health.NewServer())
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
	return conn
}

func TestUnaryAccessLog(t *testing.T) {
	var buf logtest.Buffer
	conn := startServer(t, New(&buf, slog.LevelDebug))

	// Health checks are skipped entirely.
	if _, err := healthpb.NewHealthClient(conn).Check(t.Context(), &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"", "NotFound", "Internal"} {
		err := conn.Invoke(t.Context(), "/test.Echo/Call", &healthpb.HealthCheckRequest{Service: svc}, new(healthpb.HealthCheckResponse))
		if svc == "" && err != nil {
			t.Fatal(err)
		}
	}

	lines := buf.Lines(t)
	if len(lines) != 3 {
		t.Fatalf("want 3 lines (health skipped), got %d: %v", len(lines), lines)
	}
	want := []struct{ code, level string }{{"OK", "INFO"}, {"NotFound", "INFO"}, {"Internal", "WARN"}}
	for i, w := range want {
		line := lines[i]
		if line["grpc.method"] != "/test.Echo/Call" || line["grpc.code"] != w.code || line["level"] != w.level {
			t.Errorf("line %d: %v, want code %s level %s", i, line, w.code, w.level)
		}
		if _, ok := line["duration_ms"].(float64); !ok {
			t.Errorf("line %d: duration_ms missing: %v", i, line)
		}
		if id, _ := line["request_id"].(string); !requestid.Valid(id) {
			t.Errorf("line %d: request_id %v", i, line["request_id"])
		}
	}
	if lines[2]["error"] != "db broke" {
		t.Errorf("error attr = %v", lines[2]["error"])
	}
}

func TestStreamAccessLog(t *testing.T) {
	var buf logtest.Buffer
	conn := startServer(t, New(&buf, slog.LevelInfo))
	cs, err := conn.NewStream(t.Context(), &grpc.StreamDesc{ServerStreams: true}, "/test.Echo/Stream")
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.SendMsg(&healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	_ = cs.CloseSend()
	if err := cs.RecvMsg(new(healthpb.HealthCheckResponse)); status.Code(err) != codes.Unavailable {
		t.Fatalf("RecvMsg: %v", err)
	}
	lines := buf.Lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %v", lines)
	}
	if l := lines[0]; l["grpc.method"] != "/test.Echo/Stream" || l["grpc.code"] != "Unavailable" || l["level"] != "WARN" || l["request_id"] == nil {
		t.Fatalf("got %v", l)
	}
}
