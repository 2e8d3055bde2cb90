package logging

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
	"github.com/shipshape-dev/shipshape/internal/platform/requestid"
)

func TestHTTPAccessLog(t *testing.T) {
	var buf logtest.Buffer
	l := New(&buf, slog.LevelInfo)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hello") })
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "no")
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	srv := httptest.NewServer(requestid.HTTPMiddleware(HTTPMiddleware(l, mux)))
	defer srv.Close()

	for _, p := range []string{"/ok", "/fail"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	// The aborted request's line is written before the server drops the
	// connection, so the client error is our synchronisation point.
	// POST: the client would transparently retry an aborted GET.
	if _, err := http.Post(srv.URL+"/abort", "text/plain", nil); err == nil {
		t.Fatal("abort: want client error")
	}

	lines := buf.Lines(t)
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %v", lines)
	}
	want := []struct {
		path, level string
		status      float64
		bytes       float64
	}{{"/ok", "INFO", 200, 5}, {"/fail", "WARN", 503, 2}, {"/abort", "WARN", 500, 0}}
	for i, w := range want {
		line := lines[i]
		method := "GET"
		if w.path == "/abort" {
			method = "POST"
		}
		if line["http.method"] != method || line["http.path"] != w.path || line["http.status"] != w.status ||
			line["bytes"] != w.bytes || line["level"] != w.level || line["request_id"] == nil {
			t.Errorf("line %d = %v, want %+v", i, line, w)
		}
		if _, ok := line["duration_ms"].(float64); !ok {
			t.Errorf("line %d: duration_ms missing", i)
		}
	}
	if lines[2]["aborted"] != true {
		t.Errorf("abort line not marked: %v", lines[2])
	}
}

func TestRecorderKeepsFlushing(t *testing.T) {
	var buf logtest.Buffer
	flushed := false
	h := HTTPMiddleware(New(&buf, slog.LevelInfo), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// grpc-gateway streams through both of these paths.
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
		f, ok := w.(http.Flusher)
		if !ok {
			t.Fatal("wrapped writer is not an http.Flusher")
		}
		f.Flush()
		flushed = true
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/s", nil))
	if !flushed || !rec.Flushed {
		t.Fatal("flush did not reach the underlying writer")
	}
	// Flush errors from the underlying writer must surface, not vanish.
	if err := http.NewResponseController(&recorder{ResponseWriter: nopWriter{}}).Flush(); !errors.Is(err, http.ErrNotSupported) {
		t.Fatalf("non-flushing writer: %v", err)
	}
}

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriter) WriteHeader(int)             {}
