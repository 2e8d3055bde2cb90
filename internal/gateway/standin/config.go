package standin

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/gateway/trustedproxy"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/logging"
)

// Config is the stand-in's environment. Service URLs default to the
// routes.yaml ports on loopback (`make run`), JWKS_URL to identity's.
type Config struct {
	Addr            string        `env:"GATEWAY_ADDR" default:"127.0.0.1:8080"`
	IdentityURL     string        `env:"IDENTITY_URL"`
	CatalogURL      string        `env:"CATALOG_URL"`
	CartURL         string        `env:"CART_URL"`
	OrdersURL       string        `env:"ORDERS_URL"`
	BackendTimeout  time.Duration `env:"BACKEND_TIMEOUT" default:"10s"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" default:"10s"`
	LogLevel        string        `env:"LOG_LEVEL" default:"info"`
	// TrustedProxies may name the client in X-Forwarded-For (the storefront
	// on loopback under `make run`), as KrakenD's trusted_proxies.
	TrustedProxies []string `env:"TRUSTED_PROXY_CIDRS" default:"127.0.0.0/8,::1/128"`
	// Auth is JWKS_URL, JWT_ISSUER and JWT_AUDIENCE, as in every service.
	Auth auth.Config
}

// urlVars names each service's URL variable; the fields above hold them.
var urlVars = map[string]string{"identity": "IDENTITY_URL", "catalog": "CATALOG_URL", "cart": "CART_URL", "orders": "ORDERS_URL"}

// LoadConfig reads the configuration through lookup (os.LookupEnv in the
// command), reporting every bad variable by name.
func LoadConfig(api routes.API, lookup func(string) (string, bool)) (Config, error) {
	local := func(service string) string {
		if s, ok := api.Services[service]; ok {
			return fmt.Sprintf("http://127.0.0.1:%d", s.Port)
		}
		return ""
	}
	// Pre-set fields without a default tag keep their value when unset.
	cfg := Config{IdentityURL: local("identity"), CatalogURL: local("catalog"), CartURL: local("cart"), OrdersURL: local("orders")}
	if err := config.LoadFrom(lookup, &cfg); err != nil {
		return Config{}, err
	}
	if cfg.Auth.JWKSURL == "" {
		cfg.Auth.JWKSURL = strings.TrimSuffix(cfg.IdentityURL, "/") + "/.well-known/jwks.json"
	}
	return cfg, nil
}

// Trusted is TrustedProxies parsed, for Options.TrustedProxies (checked by Validate).
func (c Config) Trusted() []netip.Prefix {
	p, _ := trustedproxy.Parse(c.TrustedProxies)
	return p
}

// Backends maps each service to its base URL, for Options.Backends.
func (c Config) Backends() map[string]string {
	return map[string]string{"identity": c.IdentityURL, "catalog": c.CatalogURL, "cart": c.CartURL, "orders": c.OrdersURL}
}

// Validate reports every bad setting by its variable.
func (c Config) Validate() error {
	errs := []error{config.CheckAddr("GATEWAY_ADDR", c.Addr)}
	backends := c.Backends()
	for _, service := range slices.Sorted(maps.Keys(backends)) {
		base := backends[service]
		u, err := url.Parse(base)
		if base == "" {
			errs = append(errs, config.Errorf(urlVars[service], "required but not set"))
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			errs = append(errs, config.Errorf(urlVars[service], "invalid URL %q: want http(s)://host[:port]", base))
		}
	}
	if c.BackendTimeout <= 0 {
		errs = append(errs, config.Errorf("BACKEND_TIMEOUT", "must be positive"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, config.Errorf("SHUTDOWN_TIMEOUT", "must be positive"))
	}
	if _, err := logging.ParseLevel(c.LogLevel); err != nil {
		errs = append(errs, config.Errorf("LOG_LEVEL", "%v", err))
	}
	if _, err := trustedproxy.Parse(c.TrustedProxies); err != nil {
		errs = append(errs, config.Errorf("TRUSTED_PROXY_CIDRS", "%v", err))
	}
	return errors.Join(errs...)
}
