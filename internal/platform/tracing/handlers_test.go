package tracing

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

func setupOff(t *testing.T) {
	t.Helper()
	resetGlobals(t)
	shutdown, err := Setup(t.Context(), Config{ServiceName: "test", SampleRatio: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = shutdown(context.Background()) })
}

// With tracing off, an incoming traceparent still reaches the logs of the
// handling request: logging + tracing + requestid working together.
func TestHTTPTraceparentReachesLogs(t *testing.T) {
	setupOff(t)
	var buf logtest.Buffer
	l := logging.New(&buf, slog.LevelInfo)
	h := requestid.HTTPMiddleware(HTTPMiddleware("api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.InfoContext(r.Context(), "handling")
	})))
	srv := httptest.NewServer(h)
	defer srv.Close()

	for _, tp := range []string{traceparent, ""} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if tp != "" {
			req.Header.Set("traceparent", tp)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	lines := buf.Lines(t)
	if len(lines) != 2 {
		t.Fatalf("got %v", lines)
	}
	if lines[0]["trace_id"] != traceIDHex || lines[0]["span_id"] != spanIDHex || lines[0]["request_id"] == nil {
		t.Errorf("traced request logged %v", lines[0])
	}
	if _, ok := lines[1]["trace_id"]; ok {
		t.Errorf("untraced request got a trace_id: %v", lines[1])
	}
}

// Trace context crosses a real gRPC hop through Client/ServerHandler even
// with tracing off, so downstream logs join the same trace.
func TestGRPCPropagatesTraceContext(t *testing.T) {
	setupOff(t)
	var buf logtest.Buffer
	l := logging.New(&buf, slog.LevelInfo)
	logCtx := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		l.InfoContext(ctx, "handling")
		return h(ctx, req)
	}
	srv := grpc.NewServer(grpc.StatsHandler(ServerHandler()), grpc.UnaryInterceptor(logCtx))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithStatsHandler(ClientHandler()),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	ctx := trace.ContextWithRemoteSpanContext(t.Context(), spanContextOf(t, traceparent))
	if _, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	lines := buf.Lines(t)
	if len(lines) != 1 || lines[0]["trace_id"] != traceIDHex || lines[0]["span_id"] != spanIDHex {
		t.Fatalf("server logged %v", lines)
	}
}
