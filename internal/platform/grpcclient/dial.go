package grpcclient

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	// Registers the client side of gRPC health checking that the service
	// config's healthCheckConfig turns on.
	_ "google.golang.org/grpc/health"
	"google.golang.org/grpc/resolver"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
	"github.com/shipshape-dev/shipshape/internal/platform/tracing"
)

// Dial returns a client for cfg.Target. It connects lazily, so a service
// starts even while its dependency is still coming up; every call gets a
// deadline, the caller's request id and bearer token, and a trace span.
// Traffic is plaintext inside the cluster.
func Dial(cfg Config) (*grpc.ClientConn, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithResolvers(pollingBuilder{inner: resolver.Get("dns"), every: ResolveEvery}),
		grpc.WithDefaultServiceConfig(buildServiceConfig(cfg)),
		grpc.WithStatsHandler(tracing.ClientHandler()),
		// Outermost first: the deadline covers every retry attempt.
		grpc.WithChainUnaryInterceptor(
			defaultDeadline(cfg.timeout()),
			requestid.UnaryClientInterceptor(),
			auth.ForwardTokenUnaryClientInterceptor(),
		),
		grpc.WithChainStreamInterceptor(
			requestid.StreamClientInterceptor(),
			auth.ForwardTokenStreamClientInterceptor(),
		),
	}
	if cfg.Credentials != nil {
		// Per call, not for the connection: the connection's own health
		// checks must not depend on the credentials (a service token needs
		// identity, and without one every pick would wait for a connection
		// that never turns healthy).
		opts = append(opts, grpc.WithChainUnaryInterceptor(callCredentials(cfg.Credentials)))
	}
	conn, err := grpc.NewClient(cfg.Target, opts...)
	if err != nil {
		return nil, fmt.Errorf("grpcclient %s: %w", cfg.Target, err)
	}
	return conn, nil
}

// defaultDeadline gives a call without a deadline one, so a hung dependency
// cannot hold a request (and its goroutine) forever. A caller's own deadline
// is kept, even when longer.
func defaultDeadline(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// callCredentials adds creds to every unary call.
func callCredentials(creds credentials.PerRPCCredentials) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(ctx, method, req, reply, cc, append(opts, grpc.PerRPCCredentials(creds))...)
	}
}
