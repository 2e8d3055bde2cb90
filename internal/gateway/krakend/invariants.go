package krakend

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/gateway/trustedproxy"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// Development is the only environment allowed a debug endpoint and a
// wildcard CORS origin.
const Development = "development"

// CheckInvariants reports every violation of the rules the gateway keeps in
// env, each message naming its endpoint ("service" for service-wide ones).
// The auth level of an endpoint comes from api; an endpoint api does not
// know is treated as needing a token (CheckRoutes reports it as well).
func CheckInvariants(env string, cfg Config, api routes.API) error {
	authOf := map[string]string{}
	for _, r := range api.Routes {
		authOf[r.Name()] = r.Auth
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	strictEnv := env != Development

	if strictEnv && cfg.DebugEndpoint {
		bad("service", "debug_endpoint (/__debug/) must be off in %s", env)
	}
	if c := cfg.ExtraConfig.CORS; c != nil && strictEnv {
		for _, origin := range c.AllowOrigins {
			if strings.Contains(origin, "*") {
				bad("service", "security/cors allow_origins %q: no wildcard outside development", origin)
			}
		}
	}
	if h := cfg.ExtraConfig.HTTPSecurity; h != nil && strictEnv && h.IsDevelopment {
		bad("service", "security/http is_development must be false in %s (it turns HSTS off)", env)
	}
	for _, problem := range routerProblems(cfg.ExtraConfig.Router) {
		bad("service", "%s", problem)
	}

	for _, e := range cfg.Endpoints {
		name := e.Name()
		level, known := authOf[name]
		if !known {
			level = routes.AuthUser
		}
		if strictEnv && (strings.HasPrefix(e.Endpoint, "/__debug") || strings.HasPrefix(e.Endpoint, "/__echo")) {
			bad(name, "debug endpoints are development-only")
		}
		for _, problem := range validatorProblems(level, e.ExtraConfig.Validator) {
			bad(name, "%s", problem)
		}
		for _, problem := range rateLimitProblems(e.ExtraConfig.RateLimit) {
			bad(name, "%s", problem)
		}
		if d, err := time.ParseDuration(e.Timeout); err != nil || d <= 0 {
			bad(name, "no endpoint timeout (it bounds every backend call): %q", e.Timeout)
		}
		for _, problem := range backendProblems(e) {
			bad(name, "%s", problem)
		}
	}
	return errors.Join(errs...)
}

func validatorProblems(level string, v *Validator) []string {
	if level == routes.AuthPublic {
		if v != nil {
			return []string{"public route must not validate tokens (auth/validator present)"}
		}
		return nil
	}
	if v == nil {
		return []string{fmt.Sprintf("%s route without auth/validator", level)}
	}
	var out []string
	if v.Alg != "ES256" {
		out = append(out, fmt.Sprintf("auth/validator alg %q, identity signs ES256", v.Alg))
	}
	if v.JWKURL == "" {
		out = append(out, "auth/validator has no jwk_url")
	}
	if !v.Cache {
		out = append(out, "auth/validator must cache the JWKS (cache: true)")
	}
	if v.Issuer == "" || len(v.Audience) == 0 {
		out = append(out, "auth/validator must check issuer and audience")
	}
	if level == routes.AuthAdmin && (v.RolesKey == "" || !slices.Contains(v.Roles, auth.RoleAdmin)) {
		out = append(out, fmt.Sprintf("admin route: auth/validator must require roles [%q] (roles_key %q, roles %v)",
			auth.RoleAdmin, v.RolesKey, v.Roles))
	}
	return out
}

// routerProblems keeps client IPs honest: rate limits and the services'
// per-client limits key on them, so only the proxies in front of the
// gateway (the ingress controller and the storefront) may name a client
// in X-Forwarded-For, and no other header counts.
func routerProblems(r *Router) []string {
	if r == nil {
		return []string{"no router settings: KrakenD would take client IPs from X-Forwarded-For and X-Real-IP of any peer; " +
			"set forwarded_by_client_ip, remote_ip_headers and trusted_proxies"}
	}
	if r.ForwardedByClientIP != nil && !*r.ForwardedByClientIP {
		return nil // the connection's address is the client
	}
	if len(r.TrustedProxies) == 0 {
		return []string{"router: client IPs from X-Forwarded-For need trusted_proxies (the ingress controller's and the storefront's pods); " +
			"without them every peer is trusted"}
	}
	var out []string
	if _, err := trustedproxy.Parse(r.TrustedProxies); err != nil {
		out = append(out, fmt.Sprintf("router trusted_proxies: %v: list only the proxies' own range", err))
	}
	if len(r.RemoteIPHeaders) != 1 || !strings.EqualFold(r.RemoteIPHeaders[0], "X-Forwarded-For") {
		out = append(out, fmt.Sprintf("router remote_ip_headers %q: want exactly [\"X-Forwarded-For\"], the header the proxies in front set", r.RemoteIPHeaders))
	}
	return out
}

func rateLimitProblems(rl *RateLimit) []string {
	switch {
	case rl == nil:
		return []string{"no qos/ratelimit/router"}
	case rl.MaxRate <= 0 && rl.ClientMaxRate <= 0:
		return []string{"qos/ratelimit/router sets neither max_rate nor client_max_rate"}
	case rl.ClientMaxRate > 0 && rl.Strategy != "ip" && (rl.Strategy != "header" || rl.Key == ""):
		return []string{fmt.Sprintf("qos/ratelimit/router client limit needs strategy ip, or header with a key (strategy %q, key %q)", rl.Strategy, rl.Key)}
	}
	return nil
}

func backendProblems(e Endpoint) []string {
	var out []string
	if len(e.Backend) == 0 {
		out = append(out, "no backend")
	}
	if e.OutputEncoding == NoOp && len(e.Backend) != 1 {
		out = append(out, "a no-op endpoint proxies exactly one backend")
	}
	for _, b := range e.Backend {
		call := b.URLPattern
		if len(b.Host) == 0 {
			out = append(out, fmt.Sprintf("backend %s has no host", call))
		}
		if (e.OutputEncoding == NoOp) != (b.Encoding == NoOp) {
			out = append(out, fmt.Sprintf("backend %s: encoding %q with output_encoding %q (no-op needs both)", call, b.Encoding, e.OutputEncoding))
		}
		cb := b.ExtraConfig.CircuitBreaker
		if cb == nil {
			out = append(out, fmt.Sprintf("backend %s has no qos/circuit-breaker", call))
		} else if cb.Interval <= 0 || cb.Timeout <= 0 || cb.MaxErrors <= 0 {
			out = append(out, fmt.Sprintf("backend %s: qos/circuit-breaker needs positive interval, timeout and max_errors", call))
		}
	}
	return out
}
