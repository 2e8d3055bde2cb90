package auth

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// authorizationKey is the gRPC metadata key of the bearer token (the REST
// facade forwards the Authorization header under it).
const authorizationKey = "authorization"

// ForwardTokenUnaryClientInterceptor passes the caller's token on to the
// services this one calls, so each of them authorizes the end user itself.
// A token the call already carries explicitly is kept.
func ForwardTokenUnaryClientInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(forwardToken(ctx), method, req, reply, cc, opts...)
	}
}

// ForwardTokenStreamClientInterceptor is the streaming counterpart.
func ForwardTokenStreamClientInterceptor() grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(forwardToken(ctx), desc, cc, method, opts...)
	}
}

func forwardToken(ctx context.Context) context.Context {
	in := metadata.ValueFromIncomingContext(ctx, authorizationKey)
	if len(in) == 0 {
		return ctx
	}
	out, _ := metadata.FromOutgoingContext(ctx)
	if len(out.Get(authorizationKey)) > 0 {
		return ctx
	}
	// Only the first value: it is the one the server interceptor verified.
	return metadata.AppendToOutgoingContext(ctx, authorizationKey, in[0])
}
