package krakend

import (
	"slices"
	"strings"
	"testing"
)

func render(t *testing.T, env string) Config {
	t.Helper()
	data, err := Render(env)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func endpoint(t *testing.T, cfg Config, name string) Endpoint {
	t.Helper()
	for _, e := range cfg.Endpoints {
		if e.Name() == name {
			return e
		}
	}
	t.Fatalf("no endpoint %s", name)
	return Endpoint{}
}

func TestEveryEnvironmentRendersAndPassesTheChecks(t *testing.T) {
	for _, env := range Environments {
		if err := Check(env); err != nil {
			t.Error(err)
		}
	}
}

func TestUnknownEnvironment(t *testing.T) {
	if _, err := Render("common"); err == nil || !strings.Contains(err.Error(), "unknown environment") {
		t.Fatalf("got %v", err)
	}
}

func TestEnvironmentsDifferWhereTheyShould(t *testing.T) {
	dev, prod := render(t, "development"), render(t, "production")
	if !dev.DebugEndpoint || !slices.Contains(dev.ExtraConfig.CORS.AllowOrigins, "*") {
		t.Error("development: want the debug endpoint and any origin")
	}
	if r := prod.ExtraConfig.Router; prod.DebugEndpoint || prod.ExtraConfig.HTTPSecurity.STSSeconds < 86400 ||
		r.ForwardedByClientIP == nil || !*r.ForwardedByClientIP || len(r.TrustedProxies) == 0 {
		t.Error("production: want no debug endpoint, HSTS and client IPs from the Ingress")
	}
	hosts := map[string]string{"development": "http://127.0.0.1:8083", "staging": "http://cart:8080", "production": "http://cart:8080"}
	for env, host := range hosts {
		cart := endpoint(t, render(t, env), "GET /api/v1/cart")
		if got := cart.Backend[0].Host; !slices.Equal(got, []string{host}) {
			t.Errorf("%s: cart host %v, want %s", env, got, host)
		}
	}
}

func TestTokensAreValidatedAsIdentityIssuesThem(t *testing.T) {
	for _, env := range Environments {
		cfg := render(t, env)
		v := endpoint(t, cfg, "GET /api/v1/orders").ExtraConfig.Validator
		// The values identity signs with (internal/platform/auth defaults).
		if v.Alg != "ES256" || v.Issuer != "shipshape-identity" || !slices.Equal(v.Audience, []string{"shipshape"}) ||
			!strings.HasSuffix(v.JWKURL, "/.well-known/jwks.json") || len(v.Roles) != 0 {
			t.Errorf("%s: user validator %+v", env, *v)
		}
		admin := endpoint(t, cfg, "POST /api/v1/admin/products").ExtraConfig.Validator
		if admin.RolesKey != "roles" || !slices.Equal(admin.Roles, []string{"admin"}) {
			t.Errorf("%s: admin validator %+v", env, *admin)
		}
	}
}

func TestLimitClasses(t *testing.T) {
	cfg := render(t, "production")
	checkout := endpoint(t, cfg, "POST /api/v1/orders").ExtraConfig.RateLimit
	if checkout.Strategy != "header" || checkout.Key != "Authorization" {
		t.Errorf("checkout is limited per token: %+v", *checkout)
	}
	signin := endpoint(t, cfg, "POST /api/v1/auth/signin").ExtraConfig.RateLimit
	browse := endpoint(t, cfg, "GET /api/v1/products").ExtraConfig.RateLimit
	if signin.Strategy != "ip" || signin.Every != "1m" || signin.ClientMaxRate >= browse.ClientMaxRate*60 {
		t.Errorf("sign-in must be stricter than browsing: %+v vs %+v", *signin, *browse)
	}
}

func TestTheStorefrontHomeAggregatesTwoCalls(t *testing.T) {
	home := endpoint(t, render(t, "staging"), "GET /api/v1/storefront/home")
	if home.OutputEncoding != JSON || len(home.Backend) != 2 {
		t.Fatalf("%+v", home)
	}
	got := []string{home.Backend[0].Group + " " + home.Backend[0].URLPattern, home.Backend[1].Group + " " + home.Backend[1].URLPattern}
	want := []string{"featured /v1/products?pageSize=8", "categories /v1/categories"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestProxiedEndpointsPassQueryAndHeaders(t *testing.T) {
	cfg := render(t, "development")
	orders := endpoint(t, cfg, "POST /api/v1/orders")
	if !slices.Contains(orders.InputHeaders, "Idempotency-Key") || orders.OutputEncoding != NoOp {
		t.Errorf("checkout: %+v", orders)
	}
	products := endpoint(t, cfg, "GET /api/v1/products")
	if !slices.Equal(products.InputQueryStrings, []string{"category", "pageSize", "pageToken"}) {
		t.Errorf("products query: %v", products.InputQueryStrings)
	}
}
