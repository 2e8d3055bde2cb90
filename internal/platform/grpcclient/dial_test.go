package grpcclient_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
)

const (
	unaryCall = "/grpc.testing.TestService/UnaryCall"
	emptyCall = "/grpc.testing.TestService/EmptyCall"
)

// backend is one server of the test service: it counts calls, fails the
// first failures of them with UNAVAILABLE and reports what each call saw.
type backend struct {
	testpb.UnimplementedTestServiceServer
	addr     string
	health   *health.Server
	calls    atomic.Int32
	failures atomic.Int32
	seen     chan observed
	block    bool // UnaryCall waits for its deadline
}

type observed struct {
	md       metadata.MD
	deadline time.Duration // remaining when the call arrived; 0: none
}

func (b *backend) record(ctx context.Context) error {
	b.calls.Add(1)
	o := observed{}
	o.md, _ = metadata.FromIncomingContext(ctx)
	if d, ok := ctx.Deadline(); ok {
		o.deadline = time.Until(d)
	}
	select {
	case b.seen <- o:
	default:
	}
	if b.failures.Add(-1) >= 0 {
		return status.Error(codes.Unavailable, "try again")
	}
	return nil
}

func (b *backend) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	return &testpb.Empty{}, b.record(ctx)
}

func (b *backend) UnaryCall(ctx context.Context, _ *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if err := b.record(ctx); err != nil {
		return nil, err
	}
	if b.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return &testpb.SimpleResponse{}, nil
}

func startBackend(t *testing.T, configure func(*backend)) *backend {
	t.Helper()
	b := &backend{health: health.NewServer(), seen: make(chan observed, 16)}
	if configure != nil {
		configure(b)
	}
	srv := grpc.NewServer()
	testpb.RegisterTestServiceServer(srv, b)
	healthpb.RegisterHealthServer(srv, b.health)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b.addr = lis.Addr().String()
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return b
}

func dial(t *testing.T, cfg grpcclient.Config) testpb.TestServiceClient {
	t.Helper()
	conn, err := grpcclient.Dial(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return testpb.NewTestServiceClient(conn)
}

// resolveTo makes a target that resolves to every backend, as DNS does for
// a headless Service with several ready pods.
var schemes atomic.Int32

func resolveTo(t *testing.T, backends ...*backend) string {
	t.Helper()
	scheme := "grpcclienttest" + strconv.Itoa(int(schemes.Add(1)))
	r := manual.NewBuilderWithScheme(scheme)
	var addrs []resolver.Address
	for _, b := range backends {
		addrs = append(addrs, resolver.Address{Addr: b.addr})
	}
	r.InitialState(resolver.State{Addresses: addrs})
	resolver.Register(r)
	return scheme + ":///shop"
}

func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDialRefusesBadConfig(t *testing.T) {
	for _, cfg := range []grpcclient.Config{{}, {Target: "127.0.0.1:1", Retry: []string{"GetProduct"}}} {
		if conn, err := grpcclient.Dial(cfg); err == nil {
			_ = conn.Close()
			t.Errorf("%+v: want an error", cfg)
		}
	}
}

func TestRoundRobinOverEveryAddress(t *testing.T) {
	a, b := startBackend(t, nil), startBackend(t, nil)
	c := dial(t, grpcclient.Config{Target: resolveTo(t, a, b)})
	// The channel is usable as soon as one subchannel passes its health
	// check; wait until the second has too, so the count below is exact.
	eventually(t, 5*time.Second, "both backends to be picked", func() bool {
		_, err := c.EmptyCall(t.Context(), &testpb.Empty{})
		return err == nil && a.calls.Load() > 0 && b.calls.Load() > 0
	})
	a.calls.Store(0)
	b.calls.Store(0)
	for range 20 {
		if _, err := c.EmptyCall(t.Context(), &testpb.Empty{}); err != nil {
			t.Fatal(err)
		}
	}
	// round_robin over two ready backends alternates; pick_first would send
	// all 20 to one of them.
	if a.calls.Load() != 10 || b.calls.Load() != 10 {
		t.Fatalf("calls %d and %d, want 10 each", a.calls.Load(), b.calls.Load())
	}
}

// A pod that reports NOT_SERVING (draining, database lost) gets no calls,
// even though it is still resolved and connected.
func TestNotServingBackendIsSkipped(t *testing.T) {
	a, b := startBackend(t, nil), startBackend(t, nil)
	b.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	c := dial(t, grpcclient.Config{Target: resolveTo(t, a, b)})
	for range 10 {
		if _, err := c.EmptyCall(t.Context(), &testpb.Empty{}); err != nil {
			t.Fatal(err)
		}
	}
	if b.calls.Load() != 0 || a.calls.Load() != 10 {
		t.Fatalf("calls %d and %d, want all on the serving backend", a.calls.Load(), b.calls.Load())
	}

	// a drains, b recovers: calls move over.
	b.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	a.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	eventually(t, 5*time.Second, "calls to move to the serving backend", func() bool {
		before := a.calls.Load()
		_, err := c.EmptyCall(t.Context(), &testpb.Empty{})
		return err == nil && a.calls.Load() == before
	})
}

func TestRetriesListedMethodsOnUnavailable(t *testing.T) {
	b := startBackend(t, func(b *backend) { b.failures.Store(2) })
	c := dial(t, grpcclient.Config{Target: b.addr, Retry: []string{unaryCall}})
	if _, err := c.UnaryCall(t.Context(), &testpb.SimpleRequest{}); err != nil {
		t.Fatalf("two UNAVAILABLE then OK: %v", err)
	}
	if n := b.calls.Load(); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}

	always := startBackend(t, func(b *backend) { b.failures.Store(1000) })
	c = dial(t, grpcclient.Config{Target: always.addr, Retry: []string{unaryCall}})
	if _, err := c.UnaryCall(t.Context(), &testpb.SimpleRequest{}); status.Code(err) != codes.Unavailable {
		t.Fatalf("got %v, want Unavailable", err)
	}
	if n := always.calls.Load(); n != 3 {
		t.Fatalf("%d attempts, want at most 3", n)
	}
}

func TestDoesNotRetryOtherMethods(t *testing.T) {
	b := startBackend(t, func(b *backend) { b.failures.Store(1) })
	c := dial(t, grpcclient.Config{Target: b.addr, Retry: []string{unaryCall}})
	if _, err := c.EmptyCall(t.Context(), &testpb.Empty{}); status.Code(err) != codes.Unavailable {
		t.Fatalf("got %v, want the Unavailable unretried", err)
	}
	if n := b.calls.Load(); n != 1 {
		t.Fatalf("%d attempts of a method not listed, want 1", n)
	}
}

func TestDefaultDeadline(t *testing.T) {
	b := startBackend(t, func(b *backend) { b.block = true })
	c := dial(t, grpcclient.Config{Target: b.addr, Timeout: 300 * time.Millisecond})

	start := time.Now()
	_, err := c.UnaryCall(context.Background(), &testpb.SimpleRequest{})
	if status.Code(err) != codes.DeadlineExceeded || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v, want DeadlineExceeded after about 300ms", err, time.Since(start))
	}
	if o := <-b.seen; o.deadline <= 0 || o.deadline > 300*time.Millisecond {
		t.Fatalf("server saw deadline %v, want within 300ms", o.deadline)
	}

	// The caller's own deadline wins, even when longer.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, _ = c.UnaryCall(ctx, &testpb.SimpleRequest{})
	if o := <-b.seen; o.deadline <= 300*time.Millisecond {
		t.Fatalf("server saw deadline %v, want the caller's 500ms", o.deadline)
	}
}

// One request keeps its id, its user's token and its trace across the hop.
func TestPropagatesRequestIDTokenAndTrace(t *testing.T) {
	// Installs the W3C propagator as every service does at start-up.
	if _, err := tracing.Setup(context.Background(), tracing.Config{SampleRatio: 1}); err != nil {
		t.Fatal(err)
	}
	b := startBackend(t, nil)
	c := dial(t, grpcclient.Config{Target: b.addr})

	traceID, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	spanID, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	ctx := trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled, Remote: true,
	}))
	ctx = requestid.NewContext(ctx, "req-42")
	ctx = metadata.NewIncomingContext(ctx, metadata.Pairs("authorization", "Bearer user-token"))
	if _, err := c.EmptyCall(ctx, &testpb.Empty{}); err != nil {
		t.Fatal(err)
	}
	o := <-b.seen
	if got := o.md.Get(requestid.MetadataKey); len(got) != 1 || got[0] != "req-42" {
		t.Errorf("request id %q", got)
	}
	if got := o.md.Get("authorization"); len(got) != 1 || got[0] != "Bearer user-token" {
		t.Errorf("authorization %q", got)
	}
	if got := o.md.Get("traceparent"); len(got) != 1 || !strings.Contains(got[0], traceID.String()) {
		t.Errorf("traceparent %q, want trace %s", got, traceID)
	}
}

// Concurrent calls through one client are safe and all succeed.
func TestConcurrentCalls(t *testing.T) {
	a, b := startBackend(t, nil), startBackend(t, nil)
	c := dial(t, grpcclient.Config{Target: resolveTo(t, a, b), Retry: []string{unaryCall}})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			if _, err := c.UnaryCall(t.Context(), &testpb.SimpleRequest{}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
