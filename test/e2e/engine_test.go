package e2e_test

import (
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/engine"
	"github.com/shipshape-dev/shipshape/internal/gateway/engine/enginetest"
)

// startGateway serves the public API with shipshape's gateway in front of
// s: the development krakend.json with the services' addresses and
// identity's JWKS, as `make run` serves it. It returns the API's base URL
// ("http://127.0.0.1:port/api/v1").
func startGateway(t testing.TB, s *system) string {
	t.Helper()
	return enginetest.Start(t, gatewayConfig(t, s), engine.Options{}).URL + "/api/v1"
}

// gatewayConfig is the development krakend.json pointed at s, its
// timeouts scaled by raceSlowdown.
func gatewayConfig(t testing.TB, s *system) enginetest.Config {
	t.Helper()
	cfg := enginetest.Rendered(t, "development")
	cfg.Retarget(t, map[string][]string{
		"identity": {s.identity.REST}, "catalog": {s.catalog.REST}, "cart": {s.cart.REST}, "orders": {s.orders.REST},
	}, "http://127.0.0.1:1", s.identity.REST+"/.well-known/jwks.json")
	scale := func(obj map[string]any) {
		if v, ok := obj["timeout"].(string); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatalf("timeout %q: %v", v, err)
			}
			obj["timeout"] = (d * raceSlowdown).String()
		}
	}
	scale(cfg)
	for _, e := range cfg.Endpoints() {
		scale(e)
	}
	return cfg
}
