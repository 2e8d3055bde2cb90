package engine_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// upstream is a test service on a loopback listener: it counts and records
// the requests it gets and answers with its handler (200 {"ok":true} by
// default).
type upstream struct {
	URL    string
	calls  atomic.Int64
	mu     sync.Mutex
	last   *http.Request
	body   []byte
	answer http.HandlerFunc
}

func newUpstream(t testing.TB) *upstream {
	t.Helper()
	u := &upstream{}
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	u.URL = srv.URL
	return u
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	u.calls.Add(1)
	u.mu.Lock()
	u.last, u.body = r.Clone(context.Background()), body
	answer := u.answer
	u.mu.Unlock()
	if answer != nil {
		answer(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (u *upstream) setAnswer(h http.HandlerFunc) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.answer = h
}

// lastRequest is the latest request the upstream got, with its body.
func (u *upstream) lastRequest(t testing.TB) (*http.Request, []byte) {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.last == nil {
		t.Fatal("the upstream got no request")
	}
	return u.last, u.body
}

// setup says where a test gateway's backends are and how its configuration
// differs from the rendered one.
type setup struct {
	env string
	// hosts of each service (identity, catalog, cart, orders); a service
	// not listed gets the default upstream.
	hosts map[string][]string
	// issuer's JWKS replaces the environment's jwk_url.
	issuer *authtest.Issuer
	// mutate edits the configuration before it is written.
	mutate func(cfg map[string]any)
}

// testGateway is the engine serving a rendered environment on a loopback
// port, its backends on test upstreams.
type testGateway struct {
	URL      string
	upstream *upstream // every service not given hosts
	issuer   *authtest.Issuer
	stop     func() error
}

// startGateway renders s.env exactly as `gateway-config render` does,
// points its backends and JWKS at test servers, quiets its logs, and runs
// the engine until the test ends.
func startGateway(t testing.TB, s setup) *testGateway {
	t.Helper()
	g := &testGateway{upstream: newUpstream(t), issuer: s.issuer}
	if g.issuer == nil {
		g.issuer = authtest.NewIssuer(t)
	}
	cfg := renderedConfig(t, s.env)
	retarget(t, cfg, s.hosts, g.upstream.URL, g.issuer.JWKSURL())
	if s.mutate != nil {
		s.mutate(cfg)
	}
	file := writeConfig(t, cfg)
	loaded, err := engine.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g.URL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- engine.Run(ctx, loaded, engine.Options{Listener: ln}) }()
	var once sync.Once
	var runErr error
	g.stop = func() error {
		once.Do(func() { cancel(); runErr = <-done })
		return runErr
	}
	t.Cleanup(func() { _ = g.stop() })
	stacktest.Eventually(t, 20*time.Second, "gateway health", func() bool { return stacktest.Probe(g.URL+"/__health") == 200 })
	return g
}

// stopBeforeNext stops g before a test starts another gateway: lura keeps
// some router options in package variables, which a second engine sets.
func stopBeforeNext(t testing.TB, g *testGateway) {
	t.Helper()
	if err := g.stop(); err != nil {
		t.Fatal(err)
	}
}

// renderedConfig is env's krakend.json as a generic JSON document.
func renderedConfig(t testing.TB, env string) map[string]any {
	t.Helper()
	data, err := krakend.Render(env)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func writeConfig(t testing.TB, cfg map[string]any) string {
	t.Helper()
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "krakend.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// retarget points every backend at the test hosts of its service and every
// validator at the test JWKS, and keeps logs to critical ones.
func retarget(t testing.TB, cfg map[string]any, hosts map[string][]string, fallback, jwks string) {
	t.Helper()
	byPort := servicesByPort(t)
	for _, e := range endpoints(cfg) {
		if v := obj(e, "extra_config", "auth/validator"); v != nil {
			v["jwk_url"] = jwks
		}
		for _, b := range backends(e) {
			svc := serviceOf(t, b, byPort)
			if h, ok := hosts[svc]; ok {
				b["host"] = toAny(h)
			} else {
				b["host"] = []any{fallback}
			}
		}
	}
	ensure(cfg, "extra_config", "telemetry/logging")["level"] = "CRITICAL"
	ensure(cfg, "extra_config", "router")["disable_access_log"] = true
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

// endpoint returns the endpoint of cfg with method and path.
func endpoint(t testing.TB, cfg map[string]any, method, path string) map[string]any {
	t.Helper()
	for _, e := range endpoints(cfg) {
		if e["method"] == method && e["endpoint"] == path {
			return e
		}
	}
	t.Fatalf("no endpoint %s %s", method, path)
	return nil
}

func endpoints(cfg map[string]any) []map[string]any {
	var out []map[string]any
	for _, e := range cfg["endpoints"].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}

func backends(e map[string]any) []map[string]any {
	var out []map[string]any
	for _, b := range e["backend"].([]any) {
		out = append(out, b.(map[string]any))
	}
	return out
}

// obj looks up a nested object by keys; nil when one is missing.
func obj(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}

// ensure is obj that creates the missing objects.
func ensure(m map[string]any, keys ...string) map[string]any {
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

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// response is an answer of the gateway, body read.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// call sends a request through client (http.DefaultClient when nil) with
// headers given as "Name", "value" pairs.
func call(t testing.TB, client *http.Client, method, url string, body io.Reader, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(raw)}
}

func get(t testing.TB, url string, header ...string) response {
	t.Helper()
	return call(t, nil, http.MethodGet, url, nil, header...)
}

func post(t testing.TB, url, body string, header ...string) response {
	t.Helper()
	return call(t, nil, http.MethodPost, url, strings.NewReader(body), header...)
}

// clientFrom is an HTTP client whose connections come from the loopback
// address ip (127.0.0.2, ...), so the gateway sees another client IP.
func clientFrom(ip string) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext}}
}
