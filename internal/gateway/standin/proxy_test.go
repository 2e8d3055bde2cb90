package standin

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

func TestOnlyTheRoutesQueryParametersAndHeadersPass(t *testing.T) {
	s := start(t, nil)
	res := s.do(t, "GET", "/api/v1/products?category=lighting&pageSize=2&debug=1&pageSize=3", "",
		"Authorization", "Bearer anything", "X-Request-Id", "req-1", "Cookie", "session=1",
		"X-Forwarded-For", "10.0.0.1", "Idempotency-Key", "k1", "Accept-Language", "de")
	if res.Status != 200 || res.Body != `{"ok":true}` {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	got := s.backend.last(t)
	if got.Method != "GET" || got.Path != "/v1/products" || got.RawQuery != "category=lighting&pageSize=2&pageSize=3" {
		t.Fatalf("backend got %s %s?%s", got.Method, got.Path, got.RawQuery)
	}
	for _, h := range []string{"Cookie", "Idempotency-Key", "Accept-Language"} {
		if v := got.Header.Get(h); v != "" {
			t.Errorf("%s reached the backend: %q", h, v)
		}
	}
	if got.Header.Get("Authorization") != "Bearer anything" || got.Header.Get("X-Request-Id") != "req-1" {
		t.Errorf("Authorization or X-Request-Id not forwarded: %v", got.Header)
	}
	// No proxy is trusted here: the client is the connection's address.
	if xff := got.Header.Values("X-Forwarded-For"); !slices.Equal(xff, []string{"127.0.0.1"}) {
		t.Errorf("X-Forwarded-For at the backend: %q, want the peer only", xff)
	}
}

func TestARoutesExtraHeadersAndBodyPass(t *testing.T) {
	s := start(t, nil)
	res := s.do(t, "POST", "/api/v1/orders?dryRun=1", `{"card":{}}`, "Authorization", s.customer(t),
		"Content-Type", "application/json", "Idempotency-Key", "key-1", "Cookie", "c=1")
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	got := s.backend.last(t)
	if got.Method != "POST" || got.Path != "/v1/orders" || got.RawQuery != "" || got.Body != `{"card":{}}` {
		t.Fatalf("backend got %s %s?%s %q", got.Method, got.Path, got.RawQuery, got.Body)
	}
	if got.Header.Get("Idempotency-Key") != "key-1" || got.Header.Get("Content-Type") != "application/json" || got.Header.Get("Cookie") != "" {
		t.Fatalf("headers: %v", got.Header)
	}
	// The stand-in gives every request an id, and the backend the same one.
	if id := got.Header.Get("X-Request-Id"); id == "" || id != res.Header.Get("X-Request-Id") {
		t.Fatalf("request id: backend %q, client %q", id, res.Header.Get("X-Request-Id"))
	}
}

func TestParamsAreSubstitutedEscaped(t *testing.T) {
	s := start(t, nil)
	if res := s.do(t, "GET", "/api/v1/products/a%2Fb%3Fc%20d", ""); res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	got := s.backend.last(t)
	if got.Path != "/v1/products/a/b?c d" || got.RawPath != "/v1/products/a%2Fb%3Fc%20d" || got.RawQuery != "" {
		t.Fatalf("backend got path %q raw %q query %q", got.Path, got.RawPath, got.RawQuery)
	}
}

func TestDotSegmentsNeverReachAnotherBackendPath(t *testing.T) {
	s := start(t, nil)
	// Escaped dots get past ServeMux's path cleaning; the stand-in refuses them.
	for _, path := range []string{"/api/v1/products/%2e%2e", "/api/v1/products/%2E", "/api/v1/orders/%2e%2e"} {
		res := s.do(t, "GET", path, "", "Authorization", s.customer(t))
		if res.Status != 404 || res.errorBody(t)["code"] != "NOT_FOUND" {
			t.Errorf("%s: %d %s", path, res.Status, res.Body)
		}
	}
	// Plain ones are cleaned (and redirected) by ServeMux before routing.
	s.do(t, "GET", "/api/v1/products/..", "")
	for _, got := range s.backend.requests() {
		t.Errorf("a dot segment reached the backend: %s", got.Path)
	}
}

func TestTheBackendsAnswerComesBack(t *testing.T) {
	s := start(t, nil)
	s.backend.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", r.Header.Get("X-Request-Id"))
		w.Header().Set("Set-Cookie", "tracking=1")
		w.Header().Set("Server", "catalog")
		w.WriteHeader(http.StatusConflict)
		_, _ = w.Write([]byte(`{"code":"ALREADY_EXISTS"}`))
	})
	res := s.do(t, "POST", "/api/v1/admin/products", `{}`, "Authorization", s.admin(t), "X-Request-Id", "req-9")
	if res.Status != 409 || res.Body != `{"code":"ALREADY_EXISTS"}` || res.Header.Get("Content-Type") != "application/json" ||
		res.Header.Get("X-Request-Id") != "req-9" {
		t.Fatalf("%d %q %v", res.Status, res.Body, res.Header)
	}
	if res.Header.Get("Set-Cookie") != "" || res.Header.Get("Server") != "" {
		t.Fatalf("backend headers leaked: %v", res.Header)
	}
}

func TestAnImageIsPassedThrough(t *testing.T) {
	s := start(t, nil)
	s.backend.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte("<svg/>"))
	})
	res := s.do(t, "GET", "/api/v1/images/storm-lantern.svg", "")
	if res.Status != 200 || res.Body != "<svg/>" || res.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("%d %q %v", res.Status, res.Body, res.Header)
	}
	if got := s.backend.last(t); got.Path != "/v1/images/storm-lantern.svg" {
		t.Fatalf("backend got %s", got.Path)
	}
}

// Every route of the definition reaches its backend with its method.
func TestEveryRouteReachesItsBackend(t *testing.T) {
	s := start(t, nil)
	api, _ := routes.Load()
	for _, r := range api.Routes {
		before := len(s.backend.requests())
		res := s.do(t, r.Method, fill(r.Path, "x1"), "{}", "Authorization", s.admin(t), "Content-Type", "application/json")
		if res.Status != 200 {
			t.Errorf("%s: %d %s", r.Name(), res.Status, res.Body)
			continue
		}
		var want []string
		if r.Aggregated() {
			for _, p := range r.Parts {
				want = append(want, "GET "+p.Backend)
			}
		} else {
			want = []string{r.Method + " " + fill(r.Backend, "x1")}
		}
		var got []string
		for _, g := range s.backend.requests()[before:] {
			got = append(got, g.Method+" "+g.Path)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: backend got %v, want %v", r.Name(), got, want)
		}
	}
}

// fill puts value in for every {param} of path.
func fill(path, value string) string {
	for _, p := range routes.Params(path) {
		path = strings.ReplaceAll(path, "{"+p+"}", value)
	}
	return path
}
