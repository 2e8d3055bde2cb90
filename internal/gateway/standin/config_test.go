package standin

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

func load(t *testing.T, env map[string]string) (Config, error) {
	t.Helper()
	api, err := routes.Load()
	if err != nil {
		t.Fatal(err)
	}
	return LoadConfig(api, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
}

func TestDefaultsAreTheMakeRunPorts(t *testing.T) {
	cfg, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"identity": "http://127.0.0.1:8081", "catalog": "http://127.0.0.1:8082",
		"cart": "http://127.0.0.1:8083", "orders": "http://127.0.0.1:8084"}
	if !maps.Equal(cfg.Backends(), want) || cfg.Addr != "127.0.0.1:8080" || cfg.BackendTimeout != 10*time.Second {
		t.Fatalf("%+v", cfg)
	}
	if cfg.Auth.JWKSURL != "http://127.0.0.1:8081/.well-known/jwks.json" || cfg.Auth.Issuer != "shipshape-identity" {
		t.Fatalf("auth %+v", cfg.Auth)
	}
	if got := fmt.Sprint(cfg.Trusted()); got != "[127.0.0.0/8 ::1/128]" {
		t.Fatalf("trusted proxies %s, want loopback", got)
	}
}

func TestTheEnvironmentOverrides(t *testing.T) {
	cfg, err := load(t, map[string]string{"GATEWAY_ADDR": ":9000", "IDENTITY_URL": "http://identity:8080/",
		"CATALOG_URL": "http://catalog:8080", "LOG_LEVEL": "debug"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9000" || cfg.CatalogURL != "http://catalog:8080" || cfg.CartURL != "http://127.0.0.1:8083" ||
		cfg.Auth.JWKSURL != "http://identity:8080/.well-known/jwks.json" {
		t.Fatalf("%+v", cfg)
	}
	cfg, err = load(t, map[string]string{"JWKS_URL": "https://keys.example/jwks.json"})
	if err != nil || cfg.Auth.JWKSURL != "https://keys.example/jwks.json" {
		t.Fatalf("%v %+v", err, cfg.Auth)
	}
}

func TestBadSettingsAreNamed(t *testing.T) {
	_, err := load(t, map[string]string{"GATEWAY_ADDR": "8080", "CART_URL": "cart:8080", "ORDERS_URL": "http://o?x=1",
		"BACKEND_TIMEOUT": "0s", "SHUTDOWN_TIMEOUT": "soon", "LOG_LEVEL": "loud", "JWKS_URL": "keys",
		"TRUSTED_PROXY_CIDRS": "127.0.0.1,0.0.0.0/0"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, name := range []string{"GATEWAY_ADDR", "CART_URL", "ORDERS_URL", "BACKEND_TIMEOUT", "SHUTDOWN_TIMEOUT", "LOG_LEVEL", "JWKS_URL", "TRUSTED_PROXY_CIDRS"} {
		if !strings.Contains(err.Error(), "config: "+name+":") {
			t.Errorf("%s not named in: %v", name, err)
		}
	}
}
