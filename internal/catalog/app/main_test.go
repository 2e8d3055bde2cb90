package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/app"
	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/platform/server"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

const adminToken = "test-admin-token-0123456789abcdef"

var seeded = catalogtest.Seeded()

// catalog is a running catalog service on real loopback listeners.
type catalog struct {
	rest, admin string // base URLs
	client      catalogv1.CatalogServiceClient
	conn        *grpc.ClientConn
	dbURL       string
}

// env is the test configuration; overrides change single variables.
func env(dbURL string, overrides map[string]string) func(string) (string, bool) {
	vars := map[string]string{
		"DATABASE_URL": dbURL, "HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0", "ADMIN_ADDR": "127.0.0.1:0",
		"SHUTDOWN_DRAIN_DELAY": "0s", "HEALTH_INTERVAL": "100ms", "LOG_LEVEL": "error", "ADMIN_TOKEN": adminToken,
		// Tests change stock behind the service's back; the cache has its own test.
		"PRODUCT_CACHE_TTL": "0s",
	}
	for k, v := range overrides {
		vars[k] = v
	}
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

// startCatalog runs app.Serve in-process against a fresh seeded database and
// stops it when the test ends, checking that it shut down cleanly.
func startCatalog(t testing.TB, overrides map[string]string) *catalog {
	t.Helper()
	dbURL := seeded.NewDatabase(t)
	var cfg app.Config
	if err := config.LoadFrom(env(dbURL, overrides), &cfg); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan server.Addrs, 1)
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, cfg, func(a server.Addrs) { addrs <- a }) }()
	var a server.Addrs
	select {
	case a = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("catalog did not start: %v", err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("catalog did not start within 30s")
	}
	conn, err := grpc.NewClient(a.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = conn.Close()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("catalog did not stop within 30s")
		}
	})
	return &catalog{rest: "http://" + a.HTTP, admin: "http://" + a.Admin, client: catalogv1.NewCatalogServiceClient(conn), conn: conn, dbURL: dbURL}
}

// call sends a REST request and decodes the JSON response into a map.
func call(t testing.TB, method, url, body string, header map[string]string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: invalid JSON %q: %v", method, url, raw, err)
		}
	}
	return resp.StatusCode, out, resp.Header
}

// probe returns the status of a GET, or 0 when nothing answers.
func probe(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
