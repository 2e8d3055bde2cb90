package logging

import (
	"log/slog"
	"net/http"
	"time"
)

// HTTPMiddleware writes one access-log line per request: info, or warn for a
// 5xx. The line is written from a defer so it also appears, marked
// "aborted", when a panic unwinds through it (e.g. http.ErrAbortHandler).
// Place it inside the request-id and tracing middleware and outside recovery.
func HTTPMiddleware(l *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		completed := false
		defer func() {
			st := rec.statusCode()
			attrs := make([]slog.Attr, 0, 6)
			if !completed {
				// A panic is unwinding through us: net/http will abort
				// the response, so an unwritten status is a failure.
				if rec.status == 0 {
					st = http.StatusInternalServerError
				}
				attrs = append(attrs, slog.Bool("aborted", true))
			}
			level := slog.LevelInfo
			if st >= 500 {
				level = slog.LevelWarn
			}
			attrs = append(attrs,
				slog.String("http.method", r.Method),
				slog.String("http.path", r.URL.Path),
				slog.Int("http.status", st),
				slog.Float64("duration_ms", durationMS(time.Since(start))),
				slog.Int64("bytes", rec.bytes),
			)
			l.LogAttrs(r.Context(), level, "http request", attrs...)
		}()
		next.ServeHTTP(rec, r)
		completed = true
	})
}

// recorder captures the status code and body size. Flushing is forwarded
// explicitly (grpc-gateway streams through it); Unwrap lets
// http.ResponseController reach the rest (Hijack, deadlines).
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	// Keep the first final status; 1xx responses are informational.
	if r.status == 0 && code >= 200 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Flush lets callers that type-assert http.Flusher keep streaming.
func (r *recorder) Flush() { _ = r.FlushError() }

// FlushError is what http.ResponseController calls; it reports when the
// underlying writer cannot flush instead of pretending it did.
func (r *recorder) FlushError() error {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return http.NewResponseController(r.ResponseWriter).Flush()
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// statusCode is what the client got: a handler that writes nothing gets 200.
func (r *recorder) statusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}
