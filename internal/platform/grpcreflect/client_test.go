package grpcreflect

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
)

// serve runs a server with the health service (and reflection if asked)
// on loopback and returns a client connection to it.
func serve(t *testing.T, withReflection bool) *grpc.ClientConn {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpc.NewServer()
	healthpb.RegisterHealthServer(s, health.NewServer())
	if withReflection {
		reflection.Register(s)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(s.Stop)
	conn, err := grpc.NewClient(l.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCallsAMethodKnownOnlyThroughReflection(t *testing.T) {
	c := New(serve(t, true))
	ctx := testContext(t)
	services, err := c.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(services, "grpc.health.v1.Health") {
		t.Errorf("services = %v, want grpc.health.v1.Health among them", services)
	}
	got, err := c.InvokeJSON(ctx, "grpc.health.v1.Health/Check", `{"service": ""}`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `"SERVING"`) {
		t.Errorf("Check = %s, want status SERVING", got)
	}
}

func TestRefusesWhatItCannotCall(t *testing.T) {
	c := New(serve(t, true))
	ctx := testContext(t)
	if _, err := c.InvokeJSON(ctx, "grpc.health.v1.Health/NoSuchMethod", `{}`); err == nil {
		t.Error("an unknown method must fail")
	}
	if _, err := c.InvokeJSON(ctx, "grpc.health.v1.Health/Watch", `{}`); err == nil || !strings.Contains(err.Error(), "streaming") {
		t.Errorf("a streaming method: err = %v, want a clear refusal", err)
	}
	if _, err := c.InvokeJSON(ctx, "grpc.health.v1.Health/Check", `{"servce": ""}`); err == nil || !strings.Contains(err.Error(), "servce") {
		t.Errorf("a misspelt field: err = %v, want it named", err)
	}
}

func TestServerWithoutReflectionSaysUnimplemented(t *testing.T) {
	_, err := New(serve(t, false)).Services(testContext(t))
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("err = %v, want Unimplemented", err)
	}
}
