package auth_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

// observed is what the innermost interceptor saw in the handler's context.
type observed struct {
	p  auth.Principal
	ok bool
}

// startServer serves the health service behind the production order of
// interceptors (apperr maps errors, auth runs inside it) plus a recorder.
func startServer(t *testing.T) (healthpb.HealthClient, chan observed) {
	t.Helper()
	seen := make(chan observed, 1)
	record := func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		p, ok := auth.FromContext(ctx)
		seen <- observed{p, ok}
		return h(ctx, req)
	}
	a := authtest.StaticToken{Token: "good", Principal: auth.Principal{Subject: "ops", Roles: []string{auth.RoleAdmin}}}
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(
		apperr.UnaryServerInterceptor(slog.New(slog.NewTextHandler(io.Discard, nil))),
		auth.UnaryServerInterceptor(a),
		record,
	))
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
	return healthpb.NewHealthClient(conn), seen
}

func check(t *testing.T, c healthpb.HealthClient, authorization string) error {
	t.Helper()
	ctx := t.Context()
	if authorization != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", authorization)
	}
	_, err := c.Check(ctx, &healthpb.HealthCheckRequest{})
	return err
}

func TestInterceptorAnonymousWithoutHeader(t *testing.T) {
	c, seen := startServer(t)
	if err := check(t, c, ""); err != nil {
		t.Fatal(err)
	}
	if o := <-seen; o.ok {
		t.Fatalf("anonymous call carries principal %+v", o.p)
	}
}

func TestInterceptorGoodToken(t *testing.T) {
	c, seen := startServer(t)
	if err := check(t, c, "Bearer good"); err != nil {
		t.Fatal(err)
	}
	o := <-seen
	if !o.ok || o.p.Subject != "ops" || !o.p.HasRole(auth.RoleAdmin) {
		t.Fatalf("got %+v", o)
	}
}

func TestInterceptorSchemeIsCaseInsensitive(t *testing.T) {
	c, seen := startServer(t)
	if err := check(t, c, "bearer good"); err != nil {
		t.Fatal(err)
	}
	if o := <-seen; !o.ok {
		t.Fatal("no principal")
	}
}

func TestInterceptorRefusesBadAuthorization(t *testing.T) {
	c, seen := startServer(t)
	for _, h := range []string{"Bearer bad", "Basic xyz", "Bearer ", "Bearer", "good"} {
		err := check(t, c, h)
		if status.Code(err) != codes.Unauthenticated {
			t.Errorf("%q: got %v, want Unauthenticated", h, err)
		}
		// The handler runs before the response is sent, so by now it
		// would have recorded something.
		select {
		case o := <-seen:
			t.Errorf("%q: handler ran with %+v", h, o)
		default:
		}
	}
}

// Called directly, the exact header value reaches the interceptor untouched
// by the transport (e.g. the trailing space of "Bearer ").
func TestInterceptorDirectEmptyBearer(t *testing.T) {
	intercept := auth.UnaryServerInterceptor(authtest.StaticToken{Token: "good"})
	ran := false
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "))
	_, err := intercept(ctx, nil, &grpc.UnaryServerInfo{}, func(context.Context, any) (any, error) {
		ran = true
		return nil, nil
	})
	if !apperr.Is(err, apperr.KindUnauthenticated) || ran {
		t.Fatalf("got %v (handler ran: %v), want Unauthenticated without running", err, ran)
	}
}
