package servicetoken_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

// ordersOnly is a service whose EmptyCall only orders may make; it also
// reports the user the call carried, to show both identities travel.
type ordersOnly struct {
	testpb.UnimplementedTestServiceServer
	users chan string
}

func (s ordersOnly) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	if _, err := servicetoken.Require(ctx, "orders"); err != nil {
		return nil, err
	}
	p, _ := auth.FromContext(ctx)
	s.users <- p.Subject
	return &testpb.Empty{}, nil
}

// serve runs ordersOnly behind the chassis' order of interceptors: errors
// mapped, then the user's token, then the service's.
func serve(t *testing.T, v *servicetoken.Verifier, users auth.Authenticator) (string, chan string) {
	t.Helper()
	seen := make(chan string, 1)
	srv := grpc.NewServer(grpc.ChainUnaryInterceptor(
		apperr.UnaryServerInterceptor(slog.New(slog.NewTextHandler(io.Discard, nil))),
		auth.UnaryServerInterceptor(users),
		servicetoken.UnaryServerInterceptor(v),
	))
	testpb.RegisterTestServiceServer(srv, ordersOnly{users: seen})
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().String(), seen
}

// as dials addr sending service's token, signed by s as identity would.
func as(t *testing.T, addr string, s *auth.Signer, service string) testpb.TestServiceClient {
	t.Helper()
	source := servicetoken.NewSource(func(context.Context) (servicetoken.Token, error) {
		tok, err := s.Sign(servicetoken.NewClaims(issuer, service, time.Now(), 10*time.Minute))
		return servicetoken.Token{Value: tok, ExpiresIn: 10 * time.Minute}, err
	})
	return dial(t, addr, servicetoken.Credentials(source))
}

// dial connects to addr; creds nil sends no service token.
func dial(t *testing.T, addr string, creds credentials.PerRPCCredentials) testpb.TestServiceClient {
	t.Helper()
	conn, err := grpcclient.Dial(grpcclient.Config{Target: addr, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return testpb.NewTestServiceClient(conn)
}

func TestRequireLetsOnlyTheNamedServiceIn(t *testing.T) {
	s := authtest.NewSigner(t)
	users := auth.NewVerifier(issuer, "shipshape", keysOf(t, s))
	addr, seen := serve(t, servicetoken.NewVerifier(issuer, keysOf(t, s)), users)
	userToken := signed(t, s, userClaims("alice"))
	withUser := metadata.AppendToOutgoingContext(t.Context(), "authorization", "Bearer "+userToken)

	// orders, on behalf of alice: both identities arrive.
	if _, err := as(t, addr, s, "orders").EmptyCall(withUser, &testpb.Empty{}); err != nil {
		t.Fatal(err)
	}
	if user := <-seen; user != "alice" {
		t.Fatalf("handler saw user %q, want alice", user)
	}
	for name, tc := range map[string]struct {
		client testpb.TestServiceClient
		ctx    context.Context
		code   codes.Code
	}{
		"cart":                  {as(t, addr, s, "cart"), withUser, codes.PermissionDenied},
		"no service token":      {dial(t, addr, nil), withUser, codes.Unauthenticated},
		"user token as service": {dial(t, addr, nil), metadata.AppendToOutgoingContext(t.Context(), servicetoken.MetadataKey, "Bearer "+userToken), codes.Unauthenticated},
		"not a bearer value":    {dial(t, addr, nil), metadata.AppendToOutgoingContext(t.Context(), servicetoken.MetadataKey, "Basic b3JkZXJz"), codes.Unauthenticated},
	} {
		if _, err := tc.client.EmptyCall(tc.ctx, &testpb.Empty{}); status.Code(err) != tc.code {
			t.Errorf("%s: got %v, want %v", name, err, tc.code)
		}
	}
}

// Without a token to send, the call fails as Unavailable: never as
// Unauthenticated, which a service would pass on as the user's fault.
func TestNoTokenFailsTheCallAsUnavailable(t *testing.T) {
	s := authtest.NewSigner(t)
	addr, _ := serve(t, servicetoken.NewVerifier(issuer, keysOf(t, s)), auth.NewVerifier(issuer, "shipshape", keysOf(t, s)))
	source := servicetoken.NewSource(func(context.Context) (servicetoken.Token, error) {
		return servicetoken.Token{}, errors.New("identity unreachable")
	})
	_, err := dial(t, addr, servicetoken.Credentials(source)).EmptyCall(t.Context(), &testpb.Empty{})
	if st := status.Convert(err); st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "identity unreachable") {
		t.Fatalf("got %v, want Unavailable naming the cause", err)
	}
}
