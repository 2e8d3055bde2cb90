package listeners

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

func ok(context.Context) error { return nil }

func TestEvaluateAllPassing(t *testing.T) {
	r := &readiness{checks: map[string]Check{"db": ok, "cache": ok}, timeout: time.Second}
	if got := r.evaluate(context.Background()); got != nil {
		t.Fatalf("got %v, want nil", got)
	}
}

func TestEvaluateNamesFailingCheck(t *testing.T) {
	r := &readiness{checks: map[string]Check{
		"db":    func(context.Context) error { return errors.New("database: refused") },
		"cache": ok,
	}, timeout: time.Second}
	want := map[string]string{"db": "database: refused"}
	if got := r.evaluate(context.Background()); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestEvaluateBoundsChecksByTimeout(t *testing.T) {
	r := &readiness{checks: map[string]Check{"slow": func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}}, timeout: 10 * time.Millisecond}
	got := r.evaluate(context.Background())
	if got["slow"] != context.DeadlineExceeded.Error() {
		t.Fatalf("got %v", got)
	}
}

func TestEvaluateDrainingSkipsChecks(t *testing.T) {
	ran := false
	r := &readiness{checks: map[string]Check{"db": func(context.Context) error { ran = true; return nil }}, timeout: time.Second}
	r.draining.Store(true)
	want := map[string]string{"shutdown": "draining"}
	if got := r.evaluate(context.Background()); !reflect.DeepEqual(got, want) || ran {
		t.Fatalf("got %v (check ran: %v), want %v", got, ran, want)
	}
}

func serveReadyz(r *readiness) (*httptest.ResponseRecorder, map[string]any) {
	w := httptest.NewRecorder()
	r.serveHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w, body
}

func TestServeHTTPReady(t *testing.T) {
	w, body := serveReadyz(&readiness{checks: map[string]Check{"db": ok}, timeout: time.Second})
	if w.Code != http.StatusOK || body["status"] != "ready" {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("headers %v", w.Header())
	}
}

func TestServeHTTPNotReady(t *testing.T) {
	r := &readiness{checks: map[string]Check{"db": func(context.Context) error { return errors.New("down") }}, timeout: time.Second}
	w, body := serveReadyz(r)
	want := map[string]any{"status": "not ready", "failed": map[string]any{"db": "down"}}
	if w.Code != http.StatusServiceUnavailable || !reflect.DeepEqual(body, want) {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	r.draining.Store(true)
	if w, _ := serveReadyz(r); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("draining: got %d", w.Code)
	}
}
