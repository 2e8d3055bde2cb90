package auth_test

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// startRecorder serves gRPC health and reports the authorization values of
// every call it receives.
func startRecorder(t *testing.T) (string, chan []string) {
	t.Helper()
	seen := make(chan []string, 4)
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		seen <- metadata.ValueFromIncomingContext(ctx, "authorization")
		return h(ctx, req)
	}))
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String(), seen
}

func TestForwardToken(t *testing.T) {
	addr, seen := startRecorder(t)
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUnaryInterceptor(auth.ForwardTokenUnaryClientInterceptor()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	c := healthpb.NewHealthClient(conn)
	// What the server side of this service received.
	incoming := metadata.NewIncomingContext(t.Context(), metadata.Pairs("authorization", "Bearer user-token"))

	for _, tc := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"forwarded", incoming, []string{"Bearer user-token"}},
		{"anonymous", t.Context(), nil},
		{"explicit kept", metadata.AppendToOutgoingContext(incoming, "authorization", "Bearer service-token"), []string{"Bearer service-token"}},
	} {
		if _, err := c.Check(tc.ctx, &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatal(err)
		}
		got := <-seen
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%s: server saw %q, want %q", tc.name, got, tc.want)
		}
	}
}
