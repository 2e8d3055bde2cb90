package logging

import (
	"context"
	"log/slog"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

func spanContext(t *testing.T) trace.SpanContext {
	t.Helper()
	tid, _ := trace.TraceIDFromHex("4bf92f3577b34da6a3ce929d0e0e4736")
	sid, _ := trace.SpanIDFromHex("00f067aa0ba902b7")
	return trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled})
}

func TestNewAddsCorrelationFromContext(t *testing.T) {
	var buf logtest.Buffer
	l := New(&buf, slog.LevelInfo, slog.String("service", "orders"))

	ctx := requestid.NewContext(context.Background(), "req-1")
	ctx = trace.ContextWithSpanContext(ctx, spanContext(t))
	l.InfoContext(ctx, "with ids", "k", "v")
	l.Info("without ctx")
	l.InfoContext(trace.ContextWithSpanContext(context.Background(), trace.SpanContext{}), "invalid span")
	l.DebugContext(ctx, "filtered by level")

	lines := buf.Lines(t)
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %d: %v", len(lines), lines)
	}
	first := lines[0]
	for k, want := range map[string]string{
		"msg": "with ids", "k": "v", "service": "orders", "request_id": "req-1",
		"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "level": "INFO",
	} {
		if first[k] != want {
			t.Errorf("%s = %v, want %q", k, first[k], want)
		}
	}
	for _, line := range lines[1:] {
		for _, k := range []string{"request_id", "trace_id", "span_id"} {
			if _, ok := line[k]; ok {
				t.Errorf("line %q has %s", line["msg"], k)
			}
		}
		if line["service"] != "orders" {
			t.Errorf("line %q lost static attrs", line["msg"])
		}
	}
}

func TestHandlerDoesNotCorruptSharedRecords(t *testing.T) {
	var a, b logtest.Buffer
	la := New(&a, slog.LevelInfo)
	lb := New(&b, slog.LevelInfo)
	// A fan-out handler hands the same record to both; each adds its own
	// request_id copy without disturbing the other.
	fan := slog.New(fanout{la.Handler(), lb.Handler()})
	ctx := requestid.NewContext(context.Background(), "shared")
	fan.LogAttrs(ctx, slog.LevelInfo, "many", slog.Int("a1", 1), slog.Int("a2", 2), slog.Int("a3", 3),
		slog.Int("a4", 4), slog.Int("a5", 5), slog.Int("a6", 6))
	for _, buf := range []*logtest.Buffer{&a, &b} {
		lines := buf.Lines(t)
		if len(lines) != 1 || lines[0]["request_id"] != "shared" || lines[0]["a6"] != float64(6) {
			t.Fatalf("got %v", lines)
		}
	}
}

type fanout []slog.Handler

func (f fanout) Enabled(context.Context, slog.Level) bool { return true }
func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
func (f fanout) WithAttrs([]slog.Attr) slog.Handler { return f }
func (f fanout) WithGroup(string) slog.Handler      { return f }

func TestWithGroupKeepsCorrelation(t *testing.T) {
	var buf logtest.Buffer
	l := New(&buf, slog.LevelInfo).WithGroup("db").With("table", "orders")
	l.InfoContext(requestid.NewContext(context.Background(), "g-1"), "grouped")
	db, _ := buf.Lines(t)[0]["db"].(map[string]any)
	if db["table"] != "orders" || db["request_id"] != "g-1" {
		t.Fatalf("got %v", buf.Lines(t))
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]slog.Level{
		"debug": slog.LevelDebug, "INFO": slog.LevelInfo, " Warn ": slog.LevelWarn, "error": slog.LevelError,
	} {
		got, err := ParseLevel(in)
		if err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "verbose", "warning2"} {
		if _, err := ParseLevel(in); err == nil {
			t.Errorf("ParseLevel(%q) succeeded", in)
		}
	}
}
