package engine_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
)

// catalogAnswers serves the two catalog calls of the storefront home page;
// the categories call fails with 500 when categoriesDown is set.
func catalogAnswers(categoriesDown *atomic.Bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/v1/products":
			_, _ = w.Write([]byte(`{"products":[{"id":"p1","name":"Mug"}],"nextPageToken":""}`))
		case r.URL.Path == "/v1/categories" && !categoriesDown.Load():
			_, _ = w.Write([]byte(`{"categories":[{"slug":"kitchen"}]}`))
		default:
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"code":"INTERNAL","message":"down"}`))
		}
	}
}

// TestAggregatedHome: GET /api/v1/storefront/home merges the featured
// products (pageSize 8) and the categories under their group keys; when
// the categories call fails, the gateway still answers 200 with the part
// it has and marks the response incomplete, as configured, not a 500.
func TestAggregatedHome(t *testing.T) {
	catalog := newUpstream(t)
	var down atomic.Bool
	catalog.setAnswer(catalogAnswers(&down))
	g := startGateway(t, setup{env: "development", hosts: map[string][]string{"catalog": {catalog.URL}}})

	r := get(t, g.URL+"/api/v1/storefront/home")
	doc := homeDocument(t, r)
	if first(doc, "featured", "products")["id"] != "p1" || first(doc, "categories", "categories")["slug"] != "kitchen" {
		t.Fatalf("merged document: %s", r.Body)
	}
	if c := r.Header.Get("X-Krakend-Completed"); c != "true" {
		t.Errorf("X-KrakenD-Completed %q, want true", c)
	}
	if n := catalog.calls.Load(); n != 2 {
		t.Errorf("catalog got %d calls, want 2", n)
	}

	down.Store(true)
	r = get(t, g.URL+"/api/v1/storefront/home")
	t.Logf("categories down: %d %s (X-KrakenD-Completed %s)", r.Status, r.Body, r.Header.Get("X-Krakend-Completed"))
	doc = homeDocument(t, r)
	if _, has := doc["categories"]; has || first(doc, "featured", "products")["id"] != "p1" {
		t.Fatalf("partial document: %s", r.Body)
	}
	if c := r.Header.Get("X-Krakend-Completed"); c != "false" {
		t.Errorf("X-KrakenD-Completed %q, want false", c)
	}
}

// homeDocument decodes a 200 answer of the home endpoint.
func homeDocument(t *testing.T, r response) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || r.Status != http.StatusOK {
		t.Fatalf("%d %s (%v), want 200 with a JSON document", r.Status, r.Body, err)
	}
	return doc
}

// first is the first element of the list doc[group][list], or nil.
func first(doc map[string]any, group, list string) map[string]any {
	part, _ := doc[group].(map[string]any)
	items, _ := part[list].([]any)
	if len(items) == 0 {
		return nil
	}
	m, _ := items[0].(map[string]any)
	return m
}

// TestQueryAndHeaderFiltering: only the route's query parameters and
// headers reach the service.
func TestQueryAndHeaderFiltering(t *testing.T) {
	g := startGateway(t, setup{env: "development"})
	r := get(t, g.URL+"/api/v1/products?category=kitchen&pageSize=5&debug=1", "X-Request-Id", "rid-1", "Cookie", "session=secret")
	if r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	got, _ := g.upstream.lastRequest(t)
	if q := got.URL.Query(); q.Get("category") != "kitchen" || q.Get("pageSize") != "5" || q.Has("debug") {
		t.Errorf("query %q reached the service", got.URL.RawQuery)
	}
	if got.Header.Get("X-Request-Id") != "rid-1" || got.Header.Get("Cookie") != "" {
		t.Errorf("headers reached the service: %v", got.Header)
	}
}

// TestLoadBalancing: a backend with two hosts spreads requests over both.
func TestLoadBalancing(t *testing.T) {
	a, b := newUpstream(t), newUpstream(t)
	g := startGateway(t, setup{env: "development", hosts: map[string][]string{"catalog": {a.URL, b.URL}}})
	const n = 40
	for range n {
		if s := get(t, g.URL+"/api/v1/categories").Status; s != http.StatusOK {
			t.Fatalf("%d", s)
		}
	}
	t.Logf("%d requests: host A got %d, host B got %d", n, a.calls.Load(), b.calls.Load())
	if a.calls.Load() == 0 || b.calls.Load() == 0 || a.calls.Load()+b.calls.Load() != n {
		t.Fatalf("requests not spread over both hosts: %d and %d", a.calls.Load(), b.calls.Load())
	}
}
