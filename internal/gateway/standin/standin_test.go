package standin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func TestUnknownRoutesAre404JSON(t *testing.T) {
	s := start(t, nil)
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/nope"}, {"GET", "/v1/products"}, {"GET", "/api/v1/products/x/y"},
		{"PUT", "/api/v1/cart"}, {"GET", "/api/v1/cart/"}, {"GET", "/"},
	} {
		res := s.do(t, c.method, c.path, "")
		body := res.errorBody(t)
		if res.Status != 404 || body["code"] != "NOT_FOUND" || body["requestId"] == "" {
			t.Errorf("%s %s: %d %v", c.method, c.path, res.Status, body)
		}
	}
	if got := s.backend.requests(); len(got) != 0 {
		t.Fatalf("unknown routes reached the backend: %v", got)
	}
}

func TestHealthAnswers200(t *testing.T) {
	s := start(t, nil)
	if res := s.do(t, "GET", HealthPath, ""); res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
}

func TestASlowBackendIs504(t *testing.T) {
	s := start(t, func(o *Options) { o.Timeout = 200 * time.Millisecond })
	s.backend.setAnswer(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	res := s.do(t, "GET", "/api/v1/categories", "")
	if body := res.errorBody(t); res.Status != 504 || body["code"] != "DEADLINE_EXCEEDED" || !strings.Contains(body["message"].(string), "catalog") {
		t.Fatalf("%d %v", res.Status, body)
	}
}

func TestADownBackendIs502(t *testing.T) {
	s := start(t, func(o *Options) { o.Backends["identity"] = "http://127.0.0.1:1" })
	res := s.do(t, "POST", "/api/v1/auth/signin", `{}`)
	if body := res.errorBody(t); res.Status != 502 || body["code"] != "UNAVAILABLE" || !strings.Contains(body["message"].(string), "identity") {
		t.Fatalf("%d %v", res.Status, body)
	}
}

func TestNewRefusesAnIncompleteSetup(t *testing.T) {
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	authn := authtest.StaticToken{}
	all := map[string]string{"identity": "http://a", "catalog": "http://b", "cart": "http://c", "orders": "http://d"}
	if _, err := New(Options{API: api, Backends: all}); err == nil || !strings.Contains(err.Error(), "authenticator") {
		t.Errorf("no authenticator: %v", err)
	}
	if _, err := New(Options{API: api, Backends: map[string]string{"identity": "http://a", "catalog": "ftp://b", "cart": "http://c"}, Auth: authn}); err == nil ||
		!strings.Contains(err.Error(), "service catalog") || !strings.Contains(err.Error(), "service orders") {
		t.Errorf("bad and missing base URLs: %v", err)
	}
	// Two patterns ServeMux cannot tell apart fail by route, not by panic.
	clash, err := routes.Parse([]byte(`services: {catalog: {port: 1}}
routes:
- {method: GET, path: "/api/v1/x/{id}", service: catalog, backend: "/v1/x/{id}", auth: public, journey: browse, limit: default}
- {method: GET, path: "/api/v1/x/{slug}", service: catalog, backend: "/v1/x/{slug}", auth: public, journey: browse, limit: default}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{API: clash, Backends: all, Auth: authn}); err == nil || !strings.Contains(err.Error(), "GET /api/v1/x/{slug}") {
		t.Errorf("clashing routes: %v", err)
	}
}
