package engine_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
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
	mutate func(cfg enginetest.Config)
	// opts are the engine's options.
	opts engine.Options
}

// testGateway is the engine serving a rendered environment on a loopback
// port, its backends on test upstreams.
type testGateway struct {
	*enginetest.Gateway
	upstream *upstream // every service not given hosts
	issuer   *authtest.Issuer
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
	cfg := enginetest.Rendered(t, s.env)
	cfg.Retarget(t, s.hosts, g.upstream.URL, g.issuer.JWKSURL())
	if s.mutate != nil {
		s.mutate(cfg)
	}
	g.Gateway = enginetest.Start(t, cfg, s.opts)
	return g
}

// stopBeforeNext stops g before a test starts another gateway: lura keeps
// some router options in package variables, which a second engine sets.
func stopBeforeNext(t testing.TB, g *testGateway) {
	t.Helper()
	if err := g.Stop(); err != nil {
		t.Fatal(err)
	}
}

// Short names for the configuration helpers the tests use most.
var (
	obj      = enginetest.Obj
	ensure   = enginetest.Ensure
	backends = enginetest.Backends
)

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
