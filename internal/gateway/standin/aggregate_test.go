package standin

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// catalogParts answers the storefront home's parts like catalog does.
func catalogParts(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/v1/products":
		_, _ = w.Write([]byte(`{"products":[{"slug":"storm-lantern"}],"nextPageToken":""}` + "\n"))
	case "/v1/categories":
		_, _ = w.Write([]byte(`{"categories":[{"slug":"lighting"}]}`))
	default:
		http.NotFound(w, r)
	}
}

func TestTheHomePageMergesItsParts(t *testing.T) {
	s := start(t, nil)
	s.backend.setAnswer(catalogParts)
	res := s.do(t, "GET", "/api/v1/storefront/home?pageSize=100", "", "Authorization", "Bearer whatever", "X-Request-Id", "home-1")
	want := `{"featured":{"products":[{"slug":"storm-lantern"}],"nextPageToken":""},"categories":{"categories":[{"slug":"lighting"}]}}`
	if res.Status != 200 || res.Body != want || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %q %v", res.Status, res.Body, res.Header)
	}
	got := map[string]received{}
	for _, g := range s.backend.requests() {
		got[g.Path] = g
	}
	// The part's own query, never the client's.
	if p := got["/v1/products"]; p.Method != "GET" || p.RawQuery != "pageSize=8" {
		t.Fatalf("featured part: %s ?%s", p.Method, p.RawQuery)
	}
	for path, g := range got {
		if g.Header.Get("Authorization") != "Bearer whatever" || g.Header.Get("X-Request-Id") != "home-1" {
			t.Errorf("%s: headers %v", path, g.Header)
		}
	}
	if len(got) != 2 {
		t.Fatalf("backend got %v", got)
	}
}

func TestAFailedPartFailsTheWholeAnswerNamingIt(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"an error status": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/categories" {
				http.Error(w, "db down", http.StatusInternalServerError)
				return
			}
			catalogParts(w, r)
		},
		"a body that is not JSON": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/categories" {
				_, _ = w.Write([]byte("<html>"))
				return
			}
			catalogParts(w, r)
		},
	}
	for name, answer := range cases {
		t.Run(name, func(t *testing.T) {
			s := start(t, nil)
			s.backend.setAnswer(answer)
			res := s.do(t, "GET", "/api/v1/storefront/home", "")
			body := res.errorBody(t)
			if res.Status != 502 || body["code"] != "UNAVAILABLE" || !strings.Contains(body["message"].(string), `part "categories"`) {
				t.Fatalf("%d %v", res.Status, body)
			}
			if strings.Contains(res.Body, "db down") {
				t.Fatalf("the backend's error leaked: %s", res.Body)
			}
		})
	}
}

func TestAPartWithNoBackendFails(t *testing.T) {
	s := start(t, func(o *Options) { o.Backends["catalog"] = "http://127.0.0.1:1" })
	res := s.do(t, "GET", "/api/v1/storefront/home", "")
	if body := res.errorBody(t); res.Status != 502 || body["code"] != "UNAVAILABLE" || !strings.Contains(body["message"].(string), `part "featured" (catalog)`) {
		t.Fatalf("%d %v", res.Status, body)
	}
}

func TestASlowPartTimesOut(t *testing.T) {
	s := start(t, func(o *Options) { o.Timeout = 200 * time.Millisecond })
	s.backend.setAnswer(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/products" {
			<-r.Context().Done() // until the stand-in gives up
			return
		}
		catalogParts(w, r)
	})
	res := s.do(t, "GET", "/api/v1/storefront/home", "")
	body := res.errorBody(t)
	if res.Status != 504 || body["code"] != "DEADLINE_EXCEEDED" || !strings.Contains(body["message"].(string), `part "featured"`) {
		t.Fatalf("%d %v", res.Status, body)
	}
}
