package engine_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

// claims are valid identity access-token claims, changed by edit.
func claims(edit func(*auth.Claims)) auth.Claims {
	now := time.Now()
	c := auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer: authtest.DefaultIssuer, Audience: jwt.ClaimStrings{authtest.DefaultAudience}, Subject: "user-1",
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)),
	}}
	if edit != nil {
		edit(&c)
	}
	return c
}

// unsigned is a token with "alg":"none" and valid claims.
func unsigned() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		enc([]byte(`{"iss":"shipshape-identity","aud":["shipshape"],"sub":"user-1","exp":4102444800}`)) + "."
}

// TestTokensAreCheckedAtTheEdge: a user route refuses, with 401 from the
// gateway, every token identity did not issue for this API, and the
// service never sees those requests; a valid token passes, reaching the
// service in its Authorization header (which the service verifies again).
func TestTokensAreCheckedAtTheEdge(t *testing.T) {
	identity := newUpstream(t)
	g := startGateway(t, setup{env: "development", hosts: map[string][]string{"identity": {identity.URL}}})
	stranger := authtest.NewIssuer(t) // a key the JWKS does not publish
	refused := map[string]string{
		"no token":        "",
		"not a bearer":    "Basic dXNlcjpwYXNz",
		"garbage":         "Bearer not-a-jwt",
		"alg none":        "Bearer " + unsigned(),
		"other issuer":    "Bearer " + g.issuer.Sign(t, claims(func(c *auth.Claims) { c.Issuer = "someone-else" })),
		"other audience":  "Bearer " + g.issuer.Sign(t, claims(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"another-api"} })),
		"expired":         "Bearer " + g.issuer.Sign(t, claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour)) })),
		"unknown key":     "Bearer " + stranger.Token(t, "user-1"),
		"tampered claims": "Bearer " + tamper(g.issuer.Token(t, "user-1")),
	}
	for name, header := range refused {
		if r := get(t, g.URL+"/api/v1/me", "Authorization", header); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, r.Status)
		}
	}
	if n := identity.calls.Load(); n != 0 {
		t.Fatalf("%d refused requests reached the service", n)
	}
	t.Logf("%d kinds of bad token refused at the edge, the service saw none", len(refused))

	token := g.issuer.Token(t, "user-1")
	if r := get(t, g.URL+"/api/v1/me", "Authorization", "Bearer "+token); r.Status != http.StatusOK {
		t.Fatalf("valid token: %d %s", r.Status, r.Body)
	}
	got, _ := identity.lastRequest(t)
	if got.Header.Get("Authorization") != "Bearer "+token || got.URL.Path != "/v1/me" {
		t.Fatalf("the service got %s with Authorization %q, want /v1/me with the caller's token", got.URL.Path, got.Header.Get("Authorization"))
	}
}

// tamper changes the payload of a signed token (the subject), keeping the
// signature, which then no longer matches.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"shipshape-identity","aud":["shipshape"],"sub":"admin-1","exp":4102444800}`))
	return strings.Join(parts, ".")
}

// TestAdminRoutesNeedTheAdminRole: a valid token without the admin role
// gets 403 from the gateway; with it, the request reaches the service.
func TestAdminRoutesNeedTheAdminRole(t *testing.T) {
	orders := newUpstream(t)
	g := startGateway(t, setup{env: "production", hosts: map[string][]string{"orders": {orders.URL}}})
	url := g.URL + "/api/v1/admin/orders/o-1"
	patch := func(token string) int {
		return call(t, nil, http.MethodPatch, url, strings.NewReader(`{"status":"ORDER_STATUS_SHIPPED"}`), "Authorization", "Bearer "+token).Status
	}
	if s := patch(g.issuer.Token(t, "user-1", auth.RoleCustomer)); s != http.StatusForbidden {
		t.Errorf("customer: %d, want 403", s)
	}
	if n := orders.calls.Load(); n != 0 {
		t.Fatalf("a refused request reached the service")
	}
	if s := patch(g.issuer.Token(t, "admin-1", auth.RoleCustomer, auth.RoleAdmin)); s != http.StatusOK {
		t.Fatalf("admin: %d, want 200", s)
	}
	got, body := orders.lastRequest(t)
	if got.Method != http.MethodPatch || got.URL.Path != "/v1/admin/orders/o-1" || string(body) != `{"status":"ORDER_STATUS_SHIPPED"}` {
		t.Errorf("the service got %s %s %s", got.Method, got.URL.Path, body)
	}
}

// TestClaimsPropagateAsConfigured: with propagate_claims on an endpoint,
// the gateway sets the header from the verified token, overwriting one the
// client sent. (shipshape's endpoints forward the token instead; this shows
// the component works should a route need it.)
func TestClaimsPropagateAsConfigured(t *testing.T) {
	identity := newUpstream(t)
	g := startGateway(t, setup{env: "development", hosts: map[string][]string{"identity": {identity.URL}},
		mutate: func(cfg enginetest.Config) {
			e := cfg.Endpoint(t, "GET", "/api/v1/me")
			obj(e, "extra_config", "auth/validator")["propagate_claims"] = []any{[]any{"sub", "X-User-Id"}}
			e["input_headers"] = append(e["input_headers"].([]any), "X-User-Id")
		}})
	token := g.issuer.Token(t, "user-42")
	if r := get(t, g.URL+"/api/v1/me", "Authorization", "Bearer "+token, "X-User-Id", "admin-1"); r.Status != http.StatusOK {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	got, _ := identity.lastRequest(t)
	if v := got.Header.Get("X-User-Id"); v != "user-42" {
		t.Fatalf("X-User-Id %q reached the service, want the token's subject user-42", v)
	}
}
