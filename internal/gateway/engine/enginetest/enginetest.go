// Package enginetest runs shipshape's gateway (internal/gateway/engine) in
// tests: a rendered environment's krakend.json, edited to point at test
// backends, served on a loopback port until the test ends.
package enginetest

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// Config is a krakend.json as a generic JSON document, for tests to edit.
type Config map[string]any

// Rendered is env's configuration exactly as `gateway-config render`
// writes it.
func Rendered(t testing.TB, env string) Config {
	t.Helper()
	data, err := krakend.Render(env)
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Retarget points every backend at the hosts of its service (fallback for
// a service hosts does not list) and every auth/validator at jwks, and
// keeps the gateway's logs to critical ones.
func (c Config) Retarget(t testing.TB, hosts map[string][]string, fallback, jwks string) {
	t.Helper()
	byPort := servicesByPort(t)
	for _, e := range c.Endpoints() {
		if v := Obj(e, "extra_config", "auth/validator"); v != nil {
			v["jwk_url"] = jwks
		}
		for _, b := range Backends(e) {
			h, ok := hosts[serviceOf(t, b, byPort)]
			if !ok {
				h = []string{fallback}
			}
			list := make([]any, len(h))
			for i, s := range h {
				list[i] = s
			}
			b["host"] = list
		}
	}
	Ensure(c, "extra_config", "telemetry/logging")["level"] = "CRITICAL"
	Ensure(c, "extra_config", "router")["disable_access_log"] = true
}

// serviceOf names a backend's service from its rendered host: a Kubernetes
// Service name (staging, production) or a `make run` port (development).
func serviceOf(t testing.TB, b map[string]any, byPort map[string]string) string {
	t.Helper()
	u, err := url.Parse(b["host"].([]any)[0].(string))
	if err != nil {
		t.Fatal(err)
	}
	if svc, ok := byPort[u.Port()]; ok && u.Hostname() == "127.0.0.1" {
		return svc
	}
	return u.Hostname()
}

func servicesByPort(t testing.TB) map[string]string {
	t.Helper()
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	byPort := map[string]string{}
	for name, s := range api.Services {
		byPort[strconv.Itoa(s.Port)] = name
	}
	return byPort
}

// Endpoints are the configuration's endpoints.
func (c Config) Endpoints() []map[string]any {
	var out []map[string]any
	for _, e := range c["endpoints"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

// Endpoint is the endpoint with method and path; a missing one fails t.
func (c Config) Endpoint(t testing.TB, method, path string) map[string]any {
	t.Helper()
	for _, e := range c.Endpoints() {
		if e["method"] == method && e["endpoint"] == path {
			return e
		}
	}
	t.Fatalf("no endpoint %s %s", method, path)
	return nil
}

// Backends are an endpoint's backends.
func Backends(e map[string]any) []map[string]any {
	var out []map[string]any
	for _, b := range e["backend"].([]any) {
		out = append(out, b.(map[string]any))
	}
	return out
}

// Obj looks up a nested object by keys; nil when one is missing.
func Obj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// Ensure is Obj that creates the missing objects.
func Ensure(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	return m
}

// Write saves the configuration in a temporary file and returns its path.
func (c Config) Write(t testing.TB) string {
	t.Helper()
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "krakend.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// Gateway is the engine serving a configuration on a loopback port.
type Gateway struct {
	URL    string // http://127.0.0.1:port
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

// Cancel ends the gateway's context, as SIGTERM does, without waiting.
func (g *Gateway) Cancel() { g.cancel() }

// Done is closed once Run has returned; Err is then its error.
func (g *Gateway) Done() <-chan struct{} { return g.done }

// Err is Run's error once Done is closed.
func (g *Gateway) Err() error { return g.err }

// Stop cancels and waits for Run, returning its error. It runs when the
// test ends too.
func (g *Gateway) Stop() error {
	g.cancel()
	<-g.done
	return g.err
}

// Start loads cfg as `gateway run -c` does and serves it on a free
// loopback port until the test ends; it returns once /__health answers.
func Start(t testing.TB, cfg Config, opts engine.Options) *Gateway {
	t.Helper()
	g := Launch(t, cfg, opts)
	stacktest.Eventually(t, 20*time.Second, "gateway health", func() bool { return stacktest.Probe(g.URL+"/__health") == 200 })
	return g
}

// Launch is Start without waiting for /__health.
func Launch(t testing.TB, cfg Config, opts engine.Options) *Gateway {
	t.Helper()
	loaded, err := engine.Load(cfg.Write(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opts.Listener = ln
	ctx, cancel := context.WithCancel(context.Background())
	g := &Gateway{URL: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan struct{})}
	go func() {
		g.err = engine.Run(ctx, loaded, opts)
		close(g.done)
	}()
	t.Cleanup(func() {
		if err := g.Stop(); err != nil {
			t.Errorf("gateway: %v", err)
		}
	})
	return g
}
