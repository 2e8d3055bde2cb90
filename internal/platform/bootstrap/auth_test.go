package bootstrap_test

import (
	"context"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// recorder is a service whose own interceptor reports the caller it sees,
// as a handler calling auth.RequireUser would.
type recorder struct {
	testpb.UnimplementedTestServiceServer
}

func (recorder) EmptyCall(context.Context, *testpb.Empty) (*testpb.Empty, error) {
	return &testpb.Empty{}, nil
}

type seen struct {
	p  auth.Principal
	ok bool
}

func loadCommon(t *testing.T, env map[string]string) bootstrap.Common {
	t.Helper()
	return stacktest.Load[bootstrap.Common](t, stacktest.Env("", env))
}

// serve runs the runtime until the test ends and returns a client and what
// the service's own interceptor saw.
func serve(t *testing.T, rt *bootstrap.Runtime) (testpb.TestServiceClient, chan seen) {
	t.Helper()
	calls := make(chan seen, 1)
	svc := stacktest.Run(t, rt.Name, func(ctx context.Context, listening func(listeners.Addrs)) error {
		return rt.Serve(ctx, listeners.Options{
			RegisterGRPC: func(s *grpc.Server) { testpb.RegisterTestServiceServer(s, recorder{}) },
			RegisterREST: func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error { return nil },
			UnaryInterceptors: []grpc.UnaryServerInterceptor{func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
				p, ok := auth.FromContext(ctx)
				calls <- seen{p, ok}
				return h(ctx, req)
			}},
			Listening: listening,
		})
	})
	return testpb.NewTestServiceClient(svc.Conn), calls
}

func call(t *testing.T, c testpb.TestServiceClient, token string) error {
	t.Helper()
	ctx := t.Context()
	if token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
	}
	_, err := c.EmptyCall(ctx, &testpb.Empty{})
	return err
}

func TestServeAuthenticatesBeforeServiceInterceptors(t *testing.T) {
	iss := authtest.NewIssuer(t)
	rt, err := bootstrap.Start(t.Context(), "authsvc", loadCommon(t, iss.Env()))
	if err != nil {
		t.Fatal(err)
	}
	c, calls := serve(t, rt)

	if err := call(t, c, iss.Token(t, "u1", auth.RoleAdmin)); err != nil {
		t.Fatal(err)
	}
	if s := <-calls; !s.ok || s.p.Subject != "u1" || !s.p.HasRole(auth.RoleAdmin) {
		t.Fatalf("service saw %+v", s)
	}
	if err := call(t, c, ""); err != nil {
		t.Fatal(err)
	}
	if s := <-calls; s.ok {
		t.Fatalf("anonymous call carried %+v", s.p)
	}
	other := authtest.NewIssuer(t) // same claims, keys the service does not trust
	for _, tok := range []string{other.Token(t, "u1", auth.RoleAdmin), "not-a-jwt"} {
		if err := call(t, c, tok); status.Code(err) != codes.Unauthenticated {
			t.Fatalf("got %v, want Unauthenticated", err)
		}
		select {
		case s := <-calls:
			t.Fatalf("service interceptor ran for a bad token: %+v", s)
		default:
		}
	}
}

func TestServeWithoutJWKSRefusesTokens(t *testing.T) {
	iss := authtest.NewIssuer(t)
	rt, err := bootstrap.Start(t.Context(), "authsvc", loadCommon(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	c, calls := serve(t, rt)
	if err := call(t, c, iss.Token(t, "u1")); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("got %v, want Unauthenticated", err)
	}
	if err := call(t, c, ""); err != nil {
		t.Fatal(err)
	}
	<-calls
}

// A service that verifies tokens itself (identity) swaps the authenticator.
func TestServeUsesReplacedAuthenticator(t *testing.T) {
	rt, err := bootstrap.Start(t.Context(), "authsvc", loadCommon(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	rt.Auth = authtest.StaticToken{Token: "operator-token", Principal: auth.Principal{Subject: "ops"}}
	c, calls := serve(t, rt)
	if err := call(t, c, "operator-token"); err != nil {
		t.Fatal(err)
	}
	if s := <-calls; s.p.Subject != "ops" {
		t.Fatalf("service saw %+v", s)
	}
}

func TestServeNeedsAuthenticator(t *testing.T) {
	rt, err := bootstrap.Start(t.Context(), "authsvc", loadCommon(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	rt.Auth = nil
	if err := rt.Serve(t.Context(), listeners.Options{}); err == nil || !strings.Contains(err.Error(), "Auth") {
		t.Fatalf("got %v, want an error about the missing authenticator", err)
	}
}

func TestCommonAuthConfig(t *testing.T) {
	var c bootstrap.Common
	err := config.LoadFrom(func(k string) (string, bool) {
		v, ok := map[string]string{"JWKS_URL": "identity/jwks"}[k]
		return v, ok
	}, &c)
	if err == nil || !strings.Contains(err.Error(), "config: JWKS_URL:") {
		t.Fatalf("got %v, want an error naming JWKS_URL", err)
	}
	// Start refuses an invalid auth block even when built without LoadFrom.
	if _, err := bootstrap.Start(t.Context(), "authsvc", bootstrap.Common{LogLevel: "error", TraceSampleRatio: 1,
		Auth: auth.Config{JWKSURL: "http://identity/jwks"}}); err == nil || !strings.Contains(err.Error(), "JWT_ISSUER") {
		t.Fatalf("got %v, want an error naming JWT_ISSUER", err)
	}
}
