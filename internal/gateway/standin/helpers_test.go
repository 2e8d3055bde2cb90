package standin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

// received is what a backend got.
type received struct {
	Method, Path, RawPath, RawQuery string
	Header                          http.Header
	Body                            string
}

// backend is a test service that records every request and answers with
// its handler (200 {"ok":true} by default). All services of the definition
// point at the one backend; the path tells them apart.
type backend struct {
	mu     sync.Mutex
	got    []received
	answer http.HandlerFunc
}

func (b *backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.got = append(b.got, received{r.Method, r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Header.Clone(), string(body)})
	answer := b.answer
	b.mu.Unlock()
	if answer != nil {
		answer(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"ok":true}`))
}

func (b *backend) setAnswer(h http.HandlerFunc) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.answer = h
}

func (b *backend) requests() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.got...)
}

// last is the only request the backend got; anything else fails the test.
func (b *backend) last(t *testing.T) received {
	t.Helper()
	got := b.requests()
	if len(got) != 1 {
		t.Fatalf("backend got %d requests, want 1: %+v", len(got), got)
	}
	return got[0]
}

// testStandin is the stand-in for the real definition in front of one
// backend, both on real loopback listeners, with tokens from a real JWKS.
type testStandin struct {
	URL     string
	backend *backend
	issuer  *authtest.Issuer
}

func start(t *testing.T, mod func(*Options)) *testStandin {
	t.Helper()
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := &backend{}
	bsrv := httptest.NewServer(b)
	t.Cleanup(bsrv.Close)
	iss := authtest.NewIssuer(t)
	o := Options{API: api, Backends: map[string]string{}, Timeout: 5 * time.Second,
		Auth: auth.Config{JWKSURL: iss.JWKSURL(), Issuer: authtest.DefaultIssuer, Audience: authtest.DefaultAudience}.Authenticator()}
	for name := range api.Services {
		o.Backends[name] = bsrv.URL
	}
	if mod != nil {
		mod(&o)
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testStandin{URL: srv.URL, backend: b, issuer: iss}
}

func (s *testStandin) customer(t *testing.T) string {
	return "Bearer " + s.issuer.Token(t, "user-1", auth.RoleCustomer)
}

func (s *testStandin) admin(t *testing.T) string {
	return "Bearer " + s.issuer.Token(t, "admin-1", auth.RoleCustomer, auth.RoleAdmin)
}

// response is an answer of the stand-in, body read.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// errorBody decodes the JSON error body; a non-JSON answer fails the test.
func (r response) errorBody(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(r.Body), &m) != nil {
		t.Fatalf("not a JSON error: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	return m
}

// do sends a request with headers given as "Name", "value" pairs.
func (s *testStandin) do(t *testing.T, method, path, body string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get(MarkerHeader) != MarkerValue {
		t.Errorf("%s %s: no %s: %s header", method, path, MarkerHeader, MarkerValue)
	}
	return response{resp.StatusCode, resp.Header, string(raw)}
}
