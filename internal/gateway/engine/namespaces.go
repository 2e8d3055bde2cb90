package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/luraproject/lura/v2/config"
)

// Level is where an extra_config block sits in a KrakenD configuration.
type Level string

// The three places an extra_config can appear.
const (
	Service  Level = "service"
	Endpoint Level = "endpoint"
	Backend  Level = "backend"
)

// component is one extra_config namespace this build implements: the name
// the configuration uses (KrakenD CE's alias, e.g. "qos/circuit-breaker"),
// the namespace the component's Go package reads after lura normalises the
// aliases, and the levels where this build wires it.
type component struct {
	alias     string
	namespace string
	levels    []Level
}

// components are the KrakenD CE components compiled into this gateway. The
// alias/namespace pairs are KrakenD's public configuration contract; a
// namespace missing here makes Load fail instead of being silently ignored.
var components = []component{
	{"router", "github_com/luraproject/lura/router/gin", []Level{Service}},
	{"proxy", "github.com/devopsfaith/krakend/proxy", []Level{Endpoint, Backend}},
	{"backend/http", "github.com/devopsfaith/krakend/http", []Level{Backend}},
	{"qos/ratelimit/router", "qos/ratelimit/router", []Level{Endpoint}},
	{"qos/ratelimit/proxy", "qos/ratelimit/proxy", []Level{Backend}},
	{"qos/circuit-breaker", "github.com/devopsfaith/krakend-circuitbreaker/gobreaker", []Level{Backend}},
	{"auth/validator", "github.com/devopsfaith/krakend-jose/validator", []Level{Service, Endpoint}},
	{"auth/signer", "github.com/devopsfaith/krakend-jose/signer", []Level{Endpoint}},
	{"security/cors", "github_com/devopsfaith/krakend-cors", []Level{Service}},
	{"security/http", "github_com/devopsfaith/krakend-httpsecure", []Level{Service}},
	{"validation/json-schema", "github.com/devopsfaith/krakend-jsonschema", []Level{Endpoint}},
	{"telemetry/logging", "github_com/devopsfaith/krakend-gologging", []Level{Service}},
}

// registerAliases teaches lura's Normalize the aliases of every component,
// as KrakenD CE does at start-up.
func registerAliases() {
	for _, c := range components {
		if c.alias != c.namespace {
			config.ExtraConfigAlias[c.alias] = c.namespace
		}
	}
}

// Supported reports whether this build implements namespace (an alias or a
// full namespace) at level.
func Supported(level Level, namespace string) bool {
	for _, c := range components {
		if (namespace == c.alias || namespace == c.namespace) && slices.Contains(c.levels, level) {
			return true
		}
	}
	return false
}

// SupportedNamespaces lists the aliases this build implements at level.
func SupportedNamespaces(level Level) []string {
	var names []string
	for _, c := range components {
		if slices.Contains(c.levels, level) {
			names = append(names, c.alias)
		}
	}
	return names
}

// checkNamespaces fails, naming each place, when an extra_config uses a
// namespace this build does not implement. It runs before Normalize, so the
// names are the ones the file uses.
func checkNamespaces(cfg *config.ServiceConfig) error {
	var bad []string
	check := func(level Level, where string, extra config.ExtraConfig) {
		for ns := range extra {
			if !Supported(level, ns) {
				bad = append(bad, fmt.Sprintf("%s: %q (this build implements %s)",
					where, ns, strings.Join(SupportedNamespaces(level), ", ")))
			}
		}
	}
	check(Service, "service", cfg.ExtraConfig)
	for _, e := range cfg.Endpoints {
		name := e.Method + " " + e.Endpoint
		check(Endpoint, name, e.ExtraConfig)
		for i, b := range e.Backend {
			check(Backend, fmt.Sprintf("%s backend #%d (%s)", name, i+1, b.URLPattern), b.ExtraConfig)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("unsupported extra_config namespaces:\n  %s", strings.Join(bad, "\n  "))
}
