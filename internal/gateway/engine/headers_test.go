package engine_test

import (
	"net/http"
	"testing"
)

// TestSecurityHeaders: every environment sends the security/http policy on
// proxied answers and on errors the gateway raises itself; HSTS only in
// staging and production, and only over HTTPS as the Ingress reports it.
func TestSecurityHeaders(t *testing.T) {
	want := map[string]string{
		"X-Frame-Options":         "DENY",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
	}
	for _, env := range []string{"development", "production"} {
		g := startGateway(t, setup{env: env})
		for name, r := range map[string]response{
			"proxied":   get(t, g.URL+"/api/v1/categories", "X-Forwarded-Proto", "https"),
			"401":       get(t, g.URL+"/api/v1/cart", "X-Forwarded-Proto", "https"),
			"not found": get(t, g.URL+"/api/v1/nothing-here", "X-Forwarded-Proto", "https"),
		} {
			for h, v := range want {
				if got := r.Header.Get(h); got != v {
					t.Errorf("%s %s (%d): %s %q, want %q", env, name, r.Status, h, got, v)
				}
			}
			hsts := r.Header.Get("Strict-Transport-Security")
			if wantHSTS := map[string]string{"production": "max-age=31536000; includeSubDomains"}[env]; hsts != wantHSTS {
				t.Errorf("%s %s: HSTS %q, want %q", env, name, hsts, wantHSTS)
			}
		}
		if hsts := get(t, g.URL+"/api/v1/categories").Header.Get("Strict-Transport-Security"); hsts != "" {
			t.Errorf("%s: HSTS over plain HTTP: %q", env, hsts)
		}
		stopBeforeNext(t, g)
	}
}

// TestCORS: development allows any origin; production only the
// storefront's. Preflights are answered by the gateway (204, as KrakenD CE)
// without calling a service.
func TestCORS(t *testing.T) {
	preflight := func(g *testGateway, origin string) response {
		return call(t, nil, http.MethodOptions, g.URL+"/api/v1/cart/items", nil,
			"Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization,content-type")
	}
	dev := startGateway(t, setup{env: "development"})
	r := preflight(dev, "http://localhost:3000")
	if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
		r.Header.Get("Access-Control-Allow-Methods") != "POST" || r.Header.Get("Access-Control-Max-Age") != "3600" {
		t.Errorf("development preflight: %d %v", r.Status, r.Header)
	}
	if n := dev.upstream.calls.Load(); n != 0 {
		t.Errorf("a preflight reached a service")
	}
	stopBeforeNext(t, dev)

	prod := startGateway(t, setup{env: "production"})
	r = preflight(prod, "https://shipshape.example")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://shipshape.example" {
		t.Errorf("production preflight from the storefront: %d %v", r.Status, r.Header)
	}
	r = preflight(prod, "https://evil.example")
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("production preflight from another origin was allowed: %v", r.Header)
	}
	r = get(t, prod.URL+"/api/v1/categories", "Origin", "https://shipshape.example")
	if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "https://shipshape.example" ||
		r.Header.Get("Access-Control-Expose-Headers") == "" {
		t.Errorf("production GET from the storefront: %d %v", r.Status, r.Header)
	}
	if r = get(t, prod.URL+"/api/v1/categories", "Origin", "https://evil.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("production GET from another origin: %v", r.Header)
	}
}
