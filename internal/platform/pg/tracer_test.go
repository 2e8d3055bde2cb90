package pg_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// TestPoolTracesStatements: a pool opened while a tracer provider is
// installed makes one client span per statement and per batch, children of
// the caller's span, with the statement text and the database; a failing
// statement is an error span with its SQLSTATE.
func TestPoolTracesStatements(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })

	pool, err := pg.Open(t.Context(), config(pgtest.NewDatabase(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	// Outside a request (a readiness ping): no span, no trace of its own.
	if err := pool.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.Ended()); n != 0 {
		t.Fatalf("a statement without a parent span made %d spans", n)
	}

	ctx, parent := tp.Tracer("test").Start(t.Context(), "request")
	var one int
	if err := pool.QueryRow(ctx, "-- name: One :one\nselect 1").Scan(&one); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "select * from no_such_table"); err == nil {
		t.Fatal("query of a missing table succeeded")
	}
	b := &pgx.Batch{}
	b.Queue("select 1")
	b.Queue("select 2")
	if err := pool.SendBatch(ctx, b).Close(); err != nil {
		t.Fatal(err)
	}
	parent.End()

	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		if s.Name() == "request" {
			continue
		}
		if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("span %q is not a child of the request span", s.Name())
		}
		attrs := map[string]string{}
		for _, a := range s.Attributes() {
			attrs[string(a.Key)] = a.Value.Emit()
		}
		if attrs["db.system.name"] != "postgresql" || attrs["db.namespace"] == "" {
			t.Errorf("span %q attributes %v", s.Name(), attrs)
		}
		byName[s.Name()+" "+attrs["db.query.text"]] = s
	}
	db := pool.Config().ConnConfig.Database
	sel, ok := byName["SELECT "+db+" -- name: One :one\nselect 1"]
	if !ok || sel.Status().Code == codes.Error {
		t.Errorf("no successful SELECT span; spans %v", keys(byName))
	}
	bad, ok := byName["SELECT "+db+" select * from no_such_table"]
	if !ok || bad.Status().Code != codes.Error || !hasAttr(bad, "db.response.status_code", "42P01") {
		t.Errorf("failing statement: want an error span with SQLSTATE 42P01; spans %v", keys(byName))
	}
	if batch, ok := byName["BATCH "+db+" "]; !ok || len(batch.Events()) != 2 {
		t.Errorf("want one BATCH span with 2 query events; spans %v", keys(byName))
	}
}

// TestPoolWithTracingOff: with the no-op provider statements run and
// nothing is recorded (the chassis' default when no endpoint is set).
func TestPoolWithTracingOff(t *testing.T) {
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(noop.NewTracerProvider())
	t.Cleanup(func() { otel.SetTracerProvider(prev) })
	pool, err := pg.Open(t.Context(), config(pgtest.NewDatabase(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var one int
	if err := pool.QueryRow(t.Context(), "select 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("select 1: %d, %v", one, err)
	}
}

func hasAttr(s sdktrace.ReadOnlySpan, key, value string) bool {
	for _, a := range s.Attributes() {
		if string(a.Key) == key && a.Value.Emit() == value {
			return true
		}
	}
	return false
}

func keys(m map[string]sdktrace.ReadOnlySpan) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
