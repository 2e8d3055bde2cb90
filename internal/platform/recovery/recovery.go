// Package recovery turns handler panics into generic internal errors so one
// bad request cannot crash the process or leak panic text to a client.
package recovery

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errInternal is all the client learns; details go to the log only.
var errInternal = status.Error(codes.Internal, "internal error")

// UnaryServerInterceptor recovers a panicking handler into codes.Internal
// and logs the panic value and stack at error level. Place it innermost so
// logging and metrics see the resulting Internal code.
func UnaryServerInterceptor(l *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if p := recover(); p != nil {
				logPanic(ctx, l, p, slog.String("grpc.method", info.FullMethod))
				resp, err = nil, errInternal
			}
		}()
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is the streaming counterpart of
// UnaryServerInterceptor.
func StreamServerInterceptor(l *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) (err error) {
		defer func() {
			if p := recover(); p != nil {
				logPanic(ss.Context(), l, p, slog.String("grpc.method", info.FullMethod))
				err = errInternal
			}
		}()
		return handler(srv, ss)
	}
}

// logPanic must be called from the deferred function so the stack still
// shows the panicking frames.
func logPanic(ctx context.Context, l *slog.Logger, p any, attrs ...slog.Attr) {
	attrs = append(attrs,
		// Sprint, not slog.Any: an arbitrary panic value may not marshal.
		slog.String("panic", fmt.Sprint(p)),
		slog.String("stack", string(debug.Stack())),
	)
	l.LogAttrs(ctx, slog.LevelError, "panic recovered", attrs...)
}
