package krakend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

func loadAPI(t *testing.T) routes.API {
	t.Helper()
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// checkFixture decodes testdata/name and checks its invariants in env.
func checkFixture(t *testing.T, name, env string) error {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Decode(data)
	if err != nil {
		return err
	}
	return CheckInvariants(env, cfg, loadAPI(t))
}

func TestTheValidFixturePasses(t *testing.T) {
	// Every failing fixture is this one with one mistake seeded, so each
	// failure below is caused by its mistake alone.
	for _, env := range Environments {
		if err := checkFixture(t, "valid.json", env); err != nil {
			t.Errorf("%s: %v", env, err)
		}
	}
}

func TestEverySeededMistakeFailsNamingItsEndpoint(t *testing.T) {
	cases := []struct {
		fixture, env string
		want         []string // all must appear in the error
	}{
		{"unknown_field.json", "development", []string{"GET /api/v1/cart:", `unknown field "input_header"`}},
		{"unknown_namespace.json", "development", []string{"GET /api/v1/cart:", `unknown field "qos/ratelimit/redis"`}},
		{"missing_validator.json", "development", []string{"GET /api/v1/cart: user route without auth/validator"}},
		{"admin_without_roles.json", "development", []string{"PATCH /api/v1/admin/orders/{id}: admin route: auth/validator must require roles"}},
		{"public_with_validator.json", "development", []string{"GET /api/v1/categories: public route must not validate tokens"}},
		{"missing_ratelimit.json", "development", []string{"GET /api/v1/categories: no qos/ratelimit/router"}},
		{"missing_timeout.json", "development", []string{"GET /api/v1/categories: no endpoint timeout"}},
		{"missing_circuit_breaker.json", "development", []string{"GET /api/v1/cart: backend /v1/cart has no qos/circuit-breaker"}},
		{"wildcard_cors.json", "production", []string{`service: security/cors allow_origins "*"`}},
		{"wildcard_cors.json", "staging", []string{`service: security/cors allow_origins "*"`}},
		{"debug_endpoint.json", "production", []string{"service: debug_endpoint (/__debug/) must be off in production"}},
		{"trusts_every_proxy.json", "production", []string{`service: router trusted_proxies: trusted proxy "0.0.0.0/0" trusts every IPv4 address`}},
		{"trusts_every_proxy.json", "development", []string{`trusted proxy "0.0.0.0/0" trusts every IPv4 address`}},
		{"trusts_private_ranges.json", "production", []string{`service: router trusted_proxies: trusted proxy "10.0.0.0/8" trusts all of the private range 10.0.0.0/8`}},
		{"router_default_trust.json", "staging", []string{"service: no router settings: KrakenD would take client IPs from X-Forwarded-For and X-Real-IP of any peer"}},
	}
	for _, c := range cases {
		t.Run(c.fixture+"/"+c.env, func(t *testing.T) {
			err := checkFixture(t, c.fixture, c.env)
			if err == nil {
				t.Fatal("passed")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

func TestDevelopmentMayUseWildcardCORSAndTheDebugEndpoint(t *testing.T) {
	for _, fixture := range []string{"wildcard_cors.json", "debug_endpoint.json"} {
		if err := checkFixture(t, fixture, Development); err != nil {
			t.Errorf("%s: %v", fixture, err)
		}
	}
}

func TestMoreInvariants(t *testing.T) {
	api := loadAPI(t)
	base := func(t *testing.T) Config {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", "valid.json"))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cases := map[string]struct {
		env  string
		edit func(*Config)
	}{
		"service: security/http is_development must be false in production": {"production", func(c *Config) {
			c.ExtraConfig.HTTPSecurity.IsDevelopment = true
		}},
		"GET /__debug/x: debug endpoints are development-only": {"production", func(c *Config) {
			e := c.Endpoints[1]
			e.Endpoint = "/__debug/x"
			c.Endpoints = append(c.Endpoints, e)
		}},
		// Unknown to routes.yaml: treated as needing a token.
		"GET /api/v1/secret: user route without auth/validator": {"development", func(c *Config) {
			e := c.Endpoints[1]
			e.Endpoint = "/api/v1/secret"
			c.Endpoints = append(c.Endpoints, e)
		}},
		`GET /api/v1/cart: auth/validator alg "RS256"`: {"development", func(c *Config) {
			c.Endpoints[0].ExtraConfig.Validator.Alg = "RS256"
		}},
		"GET /api/v1/cart: auth/validator must cache the JWKS": {"development", func(c *Config) {
			c.Endpoints[0].ExtraConfig.Validator.Cache = false
		}},
		"GET /api/v1/cart: qos/ratelimit/router client limit needs strategy": {"development", func(c *Config) {
			c.Endpoints[0].ExtraConfig.RateLimit.Strategy = "header"
		}},
		"GET /api/v1/cart: a no-op endpoint proxies exactly one backend": {"development", func(c *Config) {
			c.Endpoints[0].Backend = append(c.Endpoints[0].Backend, c.Endpoints[0].Backend[0])
		}},
		"GET /api/v1/categories: backend /v1/categories has no host": {"development", func(c *Config) {
			c.Endpoints[1].Backend[0].Host = nil
		}},
		"service: router: client IPs from X-Forwarded-For need trusted_proxies": {"production", func(c *Config) {
			c.ExtraConfig.Router.TrustedProxies = nil
		}},
		`service: router remote_ip_headers ["X-Forwarded-For" "X-Real-IP"]: want exactly ["X-Forwarded-For"]`: {"production", func(c *Config) {
			c.ExtraConfig.Router.RemoteIPHeaders = append(c.ExtraConfig.Router.RemoteIPHeaders, "X-Real-IP")
		}},
		// Omitted is gin's default, which is on: still needs trusted_proxies.
		"service: router: client IPs from X-Forwarded-For need trusted_proxies (the ingress controller's": {"development", func(c *Config) {
			c.ExtraConfig.Router.ForwardedByClientIP = nil
			c.ExtraConfig.Router.TrustedProxies = []string{}
		}},
	}
	for want, c := range cases {
		cfg := base(t)
		c.edit(&cfg)
		err := CheckInvariants(c.env, cfg, api)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

func TestARouterThatIgnoresForwardedForNeedsNoTrustedProxies(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	off := false
	cfg.ExtraConfig.Router = &Router{ForwardedByClientIP: &off}
	if err := CheckInvariants("production", cfg, loadAPI(t)); err != nil {
		t.Fatal(err)
	}
}
