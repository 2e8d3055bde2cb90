package standin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
	"github.com/shipshape-dev/shipshape/internal/platform/logtest"
)

// An in-flight request finishes after shutdown begins; then Serve returns.
func TestServeRunsAndShutsDownGracefully(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		_, _ = w.Write([]byte(`{"categories":[]}`))
	}))
	defer backend.Close()
	defer close(release) // before backend.Close, also on failure

	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(api, func(k string) (string, bool) {
		v, ok := map[string]string{"GATEWAY_ADDR": "127.0.0.1:0", "CATALOG_URL": backend.URL}[k]
		return v, ok
	})
	if err != nil {
		t.Fatal(err)
	}
	var logs logtest.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrs := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, api, cfg, logging.New(&logs, 0), func(a string) { addrs <- a }) }()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("not listening after 10s")
	}
	if resp, err := http.Get(base + HealthPath); err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}

	inflight := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/api/v1/categories")
		if err != nil {
			inflight <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		inflight <- resp.Status + " " + string(body)
	}()
	<-arrived
	cancel()
	// Shutdown has begun once the listener refuses new connections.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := http.Get(base + HealthPath); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("still accepting 10s after cancel")
		}
		time.Sleep(10 * time.Millisecond)
	}
	release <- struct{}{}
	if got := <-inflight; got != `200 OK {"categories":[]}` {
		t.Fatalf("in-flight request: %s", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if !strings.Contains(logs.String(), Notice) {
		t.Fatalf("the start-up notice is missing:\n%s", logs.String())
	}
	lines := logs.Lines(t)
	var access int
	for _, l := range lines {
		if l["msg"] == "http request" && l["request_id"] != nil {
			access++
		}
	}
	if access < 2 {
		t.Fatalf("want JSON access-log lines with request ids:\n%s", logs.String())
	}
}
