package pg

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracerName is the instrumentation scope of the SQL spans.
const tracerName = "github.com/shipshape-dev/shipshape/internal/platform/pg"

// queryTracer makes one client span per statement (Query, QueryRow, Exec,
// transaction control) and per batch run within a traced request, named "<OPERATION> <database>" with
// the statement text (placeholders, never argument values). It is pgx's
// hook rather than a wrapper, so every query of every store is covered.
//
// The tracer provider is taken when the pool is opened (after the service
// installed its own), so spans carry that service's resource. With tracing
// off the spans are not recording and the context is returned unchanged:
// the cost is one call into the no-op tracer per statement.
type queryTracer struct {
	tracer trace.Tracer
	attrs  []attribute.KeyValue // database, server: the same for every span
	dbName string
}

func newQueryTracer(tp trace.TracerProvider, cfg *pgconn.Config) *queryTracer {
	return &queryTracer{
		tracer: tp.Tracer(tracerName),
		dbName: cfg.Database,
		attrs: []attribute.KeyValue{
			attribute.String("db.system.name", "postgresql"),
			attribute.String("db.namespace", cfg.Database),
			attribute.String("server.address", cfg.Host),
			attribute.Int("server.port", int(cfg.Port)),
		},
	}
}

// tracerFor is the tracer Open installs: the global provider at that time.
func tracerFor(cfg *pgconn.Config) *queryTracer {
	return newQueryTracer(otel.GetTracerProvider(), cfg)
}

func (t *queryTracer) start(ctx context.Context, op string, attrs ...attribute.KeyValue) context.Context {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		// Statements outside a request (readiness pings every few seconds,
		// background loops) would each be a trace of their own.
		return ctx
	}
	name := op
	if t.dbName != "" {
		name += " " + t.dbName
	}
	ctx2, span := t.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(t.attrs...), trace.WithAttributes(attrs...))
	if !span.IsRecording() {
		return ctx
	}
	return ctx2
}

func end(ctx context.Context, err error, attrs ...attribute.KeyValue) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	span.SetAttributes(attrs...)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			span.SetAttributes(attribute.String("db.response.status_code", pgErr.Code))
		}
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// TraceQueryStart implements pgx.QueryTracer.
func (t *queryTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	op := operation(data.SQL)
	return t.start(ctx, op, attribute.String("db.operation.name", op), attribute.String("db.query.text", data.SQL))
}

// TraceQueryEnd implements pgx.QueryTracer.
func (t *queryTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	end(ctx, data.Err, attribute.Int64("db.response.returned_rows", data.CommandTag.RowsAffected()))
}

// TraceBatchStart implements pgx.BatchTracer: one span for the batch.
func (t *queryTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	return t.start(ctx, "BATCH", attribute.String("db.operation.name", "BATCH"),
		attribute.Int("db.operation.batch.size", data.Batch.Len()))
}

// TraceBatchQuery implements pgx.BatchTracer: each statement is an event.
func (t *queryTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchQueryData) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	attrs := []attribute.KeyValue{attribute.String("db.query.text", data.SQL)}
	if data.Err != nil {
		attrs = append(attrs, attribute.String("error", data.Err.Error()))
	}
	span.AddEvent("query", trace.WithAttributes(attrs...))
}

// TraceBatchEnd implements pgx.BatchTracer.
func (t *queryTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchEndData) {
	end(ctx, data.Err)
}

// operation is the statement's first keyword in upper case ("SELECT",
// "INSERT", "BEGIN"), the low-cardinality part of a span name.
func operation(sql string) string {
	sql = strings.TrimSpace(sql)
	// Skip leading "-- comment" lines, as sqlc writes "-- name: X :one".
	for strings.HasPrefix(sql, "--") {
		nl := strings.IndexByte(sql, '\n')
		if nl < 0 {
			return "SQL"
		}
		sql = strings.TrimSpace(sql[nl+1:])
	}
	end := strings.IndexFunc(sql, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
	if end < 0 {
		end = len(sql)
	}
	if end == 0 {
		return "SQL"
	}
	return strings.ToUpper(sql[:end])
}
