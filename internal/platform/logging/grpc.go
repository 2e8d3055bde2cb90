package logging

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// healthPrefix marks health-check RPCs, which probes call every few seconds;
// logging them would drown the useful lines.
const healthPrefix = "/grpc.health.v1.Health/"

// UnaryServerInterceptor writes one access-log line per call. Place it inside
// the request-id interceptor (so the line carries request_id) and outside
// recovery (so a recovered panic is logged as Internal).
func UnaryServerInterceptor(l *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if strings.HasPrefix(info.FullMethod, healthPrefix) {
			return handler(ctx, req)
		}
		start := time.Now()
		resp, err := handler(ctx, req)
		logCall(ctx, l, info.FullMethod, start, err)
		return resp, err
	}
}

// StreamServerInterceptor writes one access-log line per stream, when it ends.
func StreamServerInterceptor(l *slog.Logger) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if strings.HasPrefix(info.FullMethod, healthPrefix) {
			return handler(srv, ss)
		}
		start := time.Now()
		err := handler(srv, ss)
		logCall(ss.Context(), l, info.FullMethod, start, err)
		return err
	}
}

func logCall(ctx context.Context, l *slog.Logger, method string, start time.Time, err error) {
	code := status.Code(err)
	attrs := []slog.Attr{
		slog.String("grpc.method", method),
		slog.String("grpc.code", code.String()),
		slog.Float64("duration_ms", durationMS(time.Since(start))),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", status.Convert(err).Message()))
	}
	l.LogAttrs(ctx, grpcLevel(code), "grpc call", attrs...)
}

// grpcLevel warns on codes that mean the server (or something it depends on)
// failed; client-caused codes such as NotFound or InvalidArgument are info.
func grpcLevel(c codes.Code) slog.Level {
	switch c {
	case codes.Internal, codes.Unknown, codes.Unavailable, codes.DataLoss, codes.DeadlineExceeded:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func durationMS(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
