// Package logging builds the JSON slog logger every service uses and the
// access-log middleware for gRPC and HTTP.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"go.opentelemetry.io/otel/trace"

	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

// New returns a JSON logger at level whose records, when logged with a
// context (InfoContext, LogAttrs, ...), also carry "request_id" and, for a
// valid OpenTelemetry span context, "trace_id" and "span_id". That is what
// lets a log line be joined with its request and its trace.
//
// The correlation fields are added at record time, so after WithGroup they
// land inside the open group.
func New(w io.Writer, level slog.Level, attrs ...slog.Attr) *slog.Logger {
	var h slog.Handler = contextHandler{slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})}
	if len(attrs) > 0 {
		h = h.WithAttrs(attrs)
	}
	return slog.New(h)
}

// ParseLevel maps debug|info|warn|error (any case) to a slog.Level.
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("logging: unknown level %q (want debug, info, warn or error)", s)
}

// contextHandler adds correlation ids from the record's context.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		id := requestid.FromContext(ctx)
		sc := trace.SpanContextFromContext(ctx)
		if id != "" || sc.IsValid() {
			// Clone: the record may share attribute storage with the
			// caller's copy, which AddAttrs must not clobber.
			r = r.Clone()
			if id != "" {
				r.AddAttrs(slog.String("request_id", id))
			}
			if sc.IsValid() {
				r.AddAttrs(
					slog.String("trace_id", sc.TraceID().String()),
					slog.String("span_id", sc.SpanID().String()),
				)
			}
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}
