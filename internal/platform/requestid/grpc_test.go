package requestid

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
)

// seen records the id each handler observed in its context.
type seen struct{ ids chan string }

func (s seen) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	s.ids <- FromContext(ctx)
	return h(ctx, req)
}

func (s seen) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	s.ids <- FromContext(ss.Context())
	return h(srv, ss)
}

// startServer runs a health service behind the request-id interceptors on a
// real loopback listener and returns a client for it.
func startServer(t *testing.T) (healthpb.HealthClient, seen) {
	t.Helper()
	s := seen{ids: make(chan string, 4)}
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(UnaryServerInterceptor(), s.unary),
		grpc.ChainStreamInterceptor(StreamServerInterceptor(), s.stream),
	)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithUnaryInterceptor(UnaryClientInterceptor()),
		grpc.WithStreamInterceptor(StreamClientInterceptor()),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn), s
}

func TestUnaryPropagatesContextID(t *testing.T) {
	client, s := startServer(t)
	var hdr metadata.MD
	ctx := NewContext(t.Context(), "upstream-id")
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}, grpc.Header(&hdr)); err != nil {
		t.Fatal(err)
	}
	if got := <-s.ids; got != "upstream-id" {
		t.Fatalf("server saw %q", got)
	}
	if got := hdr.Get(MetadataKey); len(got) != 1 || got[0] != "upstream-id" {
		t.Fatalf("response header %v", got)
	}
}

func TestUnaryClientOverridesStaleMetadata(t *testing.T) {
	client, s := startServer(t)
	ctx := metadata.AppendToOutgoingContext(t.Context(), MetadataKey, "stale")
	ctx = NewContext(ctx, "fresh")
	if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	if got := <-s.ids; got != "fresh" {
		t.Fatalf("server saw %q", got)
	}
}

func TestUnaryGeneratesOrReplaces(t *testing.T) {
	client, s := startServer(t)
	for _, in := range []string{"", "has space"} {
		ctx := t.Context()
		if in != "" {
			// Bypass the client interceptor's ctx lookup: raw metadata.
			ctx = metadata.AppendToOutgoingContext(ctx, MetadataKey, in)
		}
		var hdr metadata.MD
		if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}, grpc.Header(&hdr)); err != nil {
			t.Fatal(err)
		}
		got := <-s.ids
		if !Valid(got) || got == in {
			t.Fatalf("incoming %q: server saw %q", in, got)
		}
		if h := hdr.Get(MetadataKey); len(h) != 1 || h[0] != got {
			t.Fatalf("incoming %q: header %v, server saw %q", in, h, got)
		}
	}
}

func TestStreamPropagates(t *testing.T) {
	client, s := startServer(t)
	ctx, cancel := context.WithCancel(NewContext(t.Context(), "stream-id"))
	defer cancel()
	st, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recv(); err != nil {
		t.Fatal(err)
	}
	hdr, err := st.Header()
	if err != nil {
		t.Fatal(err)
	}
	if got := <-s.ids; got != "stream-id" {
		t.Fatalf("server saw %q", got)
	}
	if h := hdr.Get(MetadataKey); len(h) != 1 || h[0] != "stream-id" {
		t.Fatalf("header %v", h)
	}
}
