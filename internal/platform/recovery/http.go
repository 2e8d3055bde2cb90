package recovery

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
)

const internalBody = `{"code":"INTERNAL","message":"internal error"}` + "\n"

// HTTPMiddleware recovers a panicking handler: it logs the panic and, if no
// response header has gone out yet, answers 500 with a JSON error body. If
// the response had already started, it aborts the connection instead
// (panic(http.ErrAbortHandler)) so the client sees a failure rather than a
// truncated body that looks complete. http.ErrAbortHandler itself is
// re-panicked untouched: it is net/http's deliberate abort signal.
func HTTPMiddleware(l *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &trackingWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(p)
			}
			logPanic(r.Context(), l, p,
				slog.String("http.method", r.Method),
				slog.String("http.path", r.URL.Path),
			)
			if tw.wroteHeader {
				panic(http.ErrAbortHandler)
			}
			h := w.Header()
			// Drop headers describing the body the handler meant to send.
			h.Del("Content-Length")
			h.Del("Content-Encoding")
			h.Set("Content-Type", "application/json")
			h.Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, internalBody)
		}()
		next.ServeHTTP(tw, r)
	})
}

// trackingWriter records whether the response header has been sent.
type trackingWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (t *trackingWriter) WriteHeader(code int) {
	if code >= 200 { // 1xx leaves the final header still to be written
		t.wroteHeader = true
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wroteHeader = true
	return t.ResponseWriter.Write(b)
}

// Flush forwards to the underlying writer; flushing commits the header.
func (t *trackingWriter) Flush() { _ = t.FlushError() }

// FlushError is what http.ResponseController calls.
func (t *trackingWriter) FlushError() error {
	t.wroteHeader = true
	return http.NewResponseController(t.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach Hijack and deadlines.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
