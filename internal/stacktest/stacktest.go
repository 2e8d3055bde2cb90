// Package stacktest runs shipshape services in-process for tests, on real
// loopback listeners, each against its own real database.
package stacktest

import (
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
)

// ServeFunc runs one service until ctx ends, reporting its addresses.
type ServeFunc func(ctx context.Context, listening func(listeners.Addrs)) error

// Service is a running service.
type Service struct {
	Name  string
	Addrs listeners.Addrs
	// REST and Admin are base URLs ("http://127.0.0.1:port").
	REST, Admin string
	// Conn is a gRPC connection to it.
	Conn *grpc.ClientConn
	stop func()
}

// Stop ends the service now (it is also stopped at cleanup).
func (s *Service) Stop() { s.stop() }

// Run starts a service and stops it when the test ends, failing the test if
// it does not start in 30 s or does not shut down cleanly.
func Run(t testing.TB, name string, serve ServeFunc) *Service {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan listeners.Addrs, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, func(a listeners.Addrs) { addrs <- a }) }()
	var a listeners.Addrs
	select {
	case a = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("%s did not start: %v", name, err)
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("%s did not start within 30s", name)
	}
	conn, err := grpc.NewClient(a.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		_ = conn.Close()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s shutdown: %v", name, err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not stop within 30s", name)
		}
	}
	t.Cleanup(stop)
	return &Service{Name: name, Addrs: a, REST: "http://" + a.HTTP, Admin: "http://" + a.Admin, Conn: conn, stop: stop}
}

// Env is a service configuration for tests: its database, ephemeral
// loopback listeners, no drain delay, quiet logs, then the overrides in
// order (later maps win).
func Env(databaseURL string, overrides ...map[string]string) map[string]string {
	env := map[string]string{
		"DATABASE_URL": databaseURL, "HTTP_ADDR": "127.0.0.1:0", "GRPC_ADDR": "127.0.0.1:0", "ADMIN_ADDR": "127.0.0.1:0",
		"SHUTDOWN_DRAIN_DELAY": "0s", "HEALTH_INTERVAL": "100ms", "LOG_LEVEL": "error",
	}
	for _, o := range overrides {
		maps.Copy(env, o)
	}
	return env
}

// Load fills a service's Config from env, as the process would from its
// environment.
func Load[T any](t testing.TB, env map[string]string) T {
	t.Helper()
	var cfg T
	if err := config.LoadFrom(config.FromMap(env), &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Probe returns the status of a GET, or 0 when nothing answers.
func Probe(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// Eventually polls cond every 20 ms until it holds, failing the test after
// within.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Header is a request header set, e.g. Bearer(token).
type Header map[string]string

// Bearer is the Authorization header for token.
func Bearer(token string) Header { return Header{"Authorization": "Bearer " + token} }

// With returns h plus one more header.
func (h Header) With(k, v string) Header {
	out := maps.Clone(h)
	if out == nil {
		out = Header{}
	}
	out[k] = v
	return out
}

// Call sends a JSON request and decodes a JSON response into a map.
func Call(t testing.TB, method, url, body string, h Header) (int, map[string]any) {
	t.Helper()
	status, out, _ := Request(t, method, url, body, h)
	return status, out
}

// Request is Call that also returns the response headers. The body is nil
// when the response is empty or not JSON; invalid JSON fails the test.
func Request(t testing.TB, method, url, body string, h Header) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, decodeJSON(t, method+" "+url, resp), resp.Header
}
