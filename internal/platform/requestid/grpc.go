package requestid

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// fromIncoming returns the valid id from incoming metadata, or a new one.
func fromIncoming(ctx context.Context) string {
	var id string
	if vals := metadata.ValueFromIncomingContext(ctx, MetadataKey); len(vals) > 0 {
		id = vals[0]
	}
	return orNew(id)
}

// UnaryServerInterceptor takes the id from incoming metadata (or generates
// one), stores it in the context and returns it to the caller as header
// metadata.
func UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		id := fromIncoming(ctx)
		ctx = NewContext(ctx, id)
		// Best effort: SetHeader only fails if headers were already sent,
		// which cannot have happened before the handler runs.
		_ = grpc.SetHeader(ctx, metadata.Pairs(MetadataKey, id))
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is the streaming counterpart of
// UnaryServerInterceptor.
func StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		id := fromIncoming(ss.Context())
		_ = ss.SetHeader(metadata.Pairs(MetadataKey, id))
		return handler(srv, &stream{ServerStream: ss, ctx: NewContext(ss.Context(), id)})
	}
}

// stream overrides Context so handlers see the id.
type stream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *stream) Context() context.Context { return s.ctx }

// UnaryClientInterceptor copies the id in ctx into outgoing metadata so a
// request keeps one id across service hops. Calls without an id are left
// untouched.
func UnaryClientInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		return invoker(outgoing(ctx), method, req, reply, cc, opts...)
	}
}

// StreamClientInterceptor is the streaming counterpart of
// UnaryClientInterceptor.
func StreamClientInterceptor() grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
		return streamer(outgoing(ctx), desc, cc, method, opts...)
	}
}

// outgoing sets (not appends) the id so a call never carries two
// conflicting ids.
func outgoing(ctx context.Context) context.Context {
	id := FromContext(ctx)
	if id == "" {
		return ctx
	}
	md, ok := metadata.FromOutgoingContext(ctx)
	if ok {
		md = md.Copy()
	} else {
		md = metadata.MD{}
	}
	md.Set(MetadataKey, id)
	return metadata.NewOutgoingContext(ctx, md)
}
