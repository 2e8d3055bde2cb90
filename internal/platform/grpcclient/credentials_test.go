package grpcclient_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
)

// staticCreds adds one header, or fails like a token source that cannot
// reach identity.
type staticCreds struct{ err error }

func (c staticCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	if c.err != nil {
		return nil, c.err
	}
	return map[string]string{"x-service-authorization": "Bearer svc"}, nil
}

func (staticCreds) RequireTransportSecurity() bool { return false }

func TestCredentialsTravelWithEveryCall(t *testing.T) {
	b := startBackend(t, nil)
	c := dial(t, grpcclient.Config{Target: b.addr, Credentials: staticCreds{}})
	if _, err := c.EmptyCall(t.Context(), &testpb.Empty{}); err != nil {
		t.Fatal(err)
	}
	if got := (<-b.seen).md.Get("x-service-authorization"); len(got) != 1 || got[0] != "Bearer svc" {
		t.Fatalf("server saw %q", got)
	}
}

// Credentials that fail fail the call at once with their status; the
// connection (and its health checks) does not depend on them, so the call
// does not wait for a connection until its deadline.
func TestFailingCredentialsFailTheCallNotTheConnection(t *testing.T) {
	b := startBackend(t, nil)
	c := dial(t, grpcclient.Config{Target: b.addr, Credentials: staticCreds{err: status.Error(codes.Unavailable, "no token")}})
	_, err := c.EmptyCall(t.Context(), &testpb.Empty{})
	if st := status.Convert(err); st.Code() != codes.Unavailable || st.Message() != "no token" {
		t.Fatalf("got %v, want Unavailable \"no token\"", err)
	}
	if b.calls.Load() != 0 {
		t.Fatal("the call reached the server without its credentials")
	}
	plain := dial(t, grpcclient.Config{Target: b.addr})
	if _, err := plain.EmptyCall(t.Context(), &testpb.Empty{}); err != nil {
		t.Fatalf("a call without credentials: %v", err)
	}
}
