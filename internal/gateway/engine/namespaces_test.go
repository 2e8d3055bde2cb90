package engine_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
)

// TestEveryRenderedNamespaceIsImplemented walks every environment's
// rendered krakend.json: each extra_config namespace, at the level where it
// appears, must be one this build wires, and the file must load as is.
func TestEveryRenderedNamespaceIsImplemented(t *testing.T) {
	for _, env := range krakend.Environments {
		cfg := enginetest.Rendered(t, env)
		seen := map[string]bool{}
		check := func(level engine.Level, where string, extra map[string]any) {
			for ns := range extra {
				seen[ns] = true
				if !engine.Supported(level, ns) {
					t.Errorf("%s: %s: namespace %q is not implemented by this build", env, where, ns)
				}
			}
		}
		check(engine.Service, "service", obj(cfg, "extra_config"))
		for _, e := range cfg.Endpoints() {
			name := e["method"].(string) + " " + e["endpoint"].(string)
			check(engine.Endpoint, name, obj(e, "extra_config"))
			for _, b := range backends(e) {
				check(engine.Backend, name+" backend "+b["url_pattern"].(string), obj(b, "extra_config"))
			}
		}
		// The walk must have found the components the configuration is
		// about, or it checked nothing.
		for _, ns := range []string{"router", "security/cors", "security/http", "telemetry/logging",
			"qos/ratelimit/router", "auth/validator", "qos/circuit-breaker"} {
			if !seen[ns] {
				t.Errorf("%s: the rendered configuration has no %s", env, ns)
			}
		}
		if _, err := engine.Load(cfg.Write(t)); err != nil {
			t.Errorf("%s: %v", env, err)
		}
		t.Logf("%s: namespaces %v", env, slices.Sorted(maps.Keys(seen)))
	}
}

// TestUnimplementedNamespacesAreRefused: a namespace this build does not
// wire, or one at a level where it does nothing, stops the gateway at
// start-up, naming where it is, instead of being ignored.
func TestUnimplementedNamespacesAreRefused(t *testing.T) {
	cases := map[string]struct {
		edit func(cfg enginetest.Config)
		want string
	}{
		"endpoint cache": {func(cfg enginetest.Config) {
			ensure(cfg.Endpoint(t, "GET", "/api/v1/categories"), "extra_config")["qos/http-cache"] = map[string]any{}
		}, `GET /api/v1/categories: "qos/http-cache"`},
		"validator on a backend": {func(cfg enginetest.Config) {
			b := backends(cfg.Endpoint(t, "GET", "/api/v1/cart"))[0]
			ensure(b, "extra_config")["auth/validator"] = map[string]any{"alg": "ES256"}
		}, `GET /api/v1/cart backend #1 (/v1/cart): "auth/validator"`},
		"service telemetry": {func(cfg enginetest.Config) {
			ensure(cfg, "extra_config")["telemetry/opencensus"] = map[string]any{}
		}, `service: "telemetry/opencensus"`},
		"tls": {func(cfg enginetest.Config) {
			cfg["tls"] = map[string]any{"public_key": "cert.pem", "private_key": "key.pem"}
		}, "tls: not supported"},
		"dns service discovery": {func(cfg enginetest.Config) {
			backends(cfg.Endpoint(t, "GET", "/api/v1/me"))[0]["sd"] = "dns"
		}, `backend sd "dns"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := enginetest.Rendered(t, "production")
			c.edit(cfg)
			_, err := engine.Load(cfg.Write(t))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %s", err, c.want)
			}
		})
	}
}
