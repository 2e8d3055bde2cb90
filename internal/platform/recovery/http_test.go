package recovery

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

func TestHTTPRecovers(t *testing.T) {
	var buf logtest.Buffer
	mux := http.NewServeMux()
	mux.HandleFunc("/early", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "999")
		panic("early secret")
	})
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("late secret")
	})
	mux.HandleFunc("/abort", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "fine") })
	srv := httptest.NewServer(HTTPMiddleware(slog.New(slog.NewJSONHandler(&buf, nil)), mux))
	defer srv.Close()

	// POST throughout: the client would silently retry an aborted GET.
	post := func(path string) (*http.Response, error) {
		return http.Post(srv.URL+path, "text/plain", nil)
	}

	resp, err := post("/early")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || string(body) != internalBody || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("early: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// Headers already sent: the response must be cut off, not completed.
	resp, err = post("/late")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("late: body read completed; want truncated response")
	}
	resp.Body.Close()

	if _, err := post("/abort"); err == nil {
		t.Fatal("abort: want connection error")
	}

	resp, err = post("/ok")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("ok: %d", resp.StatusCode)
	}

	// ErrAbortHandler is not ours to log; the other two are.
	lines := buf.Lines(t)
	if len(lines) != 2 || lines[0]["panic"] != "early secret" || lines[1]["panic"] != "late secret" ||
		lines[0]["http.path"] != "/early" || lines[0]["level"] != "ERROR" {
		t.Fatalf("log lines %v", lines)
	}
}

func TestHTTPPassesThroughWithoutPanic(t *testing.T) {
	rec := httptest.NewRecorder()
	HTTPMiddleware(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Fatalf("got %d", rec.Code)
	}
}
