// Package routes loads and validates the public API definition
// (gateway/routes.yaml), from which the KrakenD endpoints and the local
// stand-in are generated.
package routes

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/gateway"
)

// Auth levels of a route.
const (
	AuthPublic = "public"
	AuthUser   = "user"
	AuthAdmin  = "admin"
)

// Rate-limit classes; each environment's settings give their numbers.
var LimitClasses = []string{"default", "auth", "checkout"}

// Journeys group the routes by what a shopper (or the staff) is doing:
// each journey has its service level objectives (the monitoring
// component's slos.yaml) or says there why it has none.
var Journeys = []string{"browse", "account", "cart", "checkout", "admin"}

// Prefix is where every public route lives.
const Prefix = "/api/v1/"

// Service is a backend service.
type Service struct {
	// Port is its REST port in `make run`; in Kubernetes every service
	// listens on 8080 behind a Service of its own name.
	Port int `yaml:"port"`
}

// Part is one backend call of an aggregated route.
type Part struct {
	Service string            `yaml:"service"`
	Backend string            `yaml:"backend"`
	Query   map[string]string `yaml:"query"`
	Group   string            `yaml:"group"`
}

// Route is one public route.
type Route struct {
	Method  string   `yaml:"method"`
	Path    string   `yaml:"path"`
	Service string   `yaml:"service"`
	Backend string   `yaml:"backend"`
	Auth    string   `yaml:"auth"`
	Limit   string   `yaml:"limit"`
	Journey string   `yaml:"journey"`
	Query   []string `yaml:"query"`
	Headers []string `yaml:"headers"`
	Parts   []Part   `yaml:"parts"`
	// Plain marks a backend outside the service's OpenAPI contract.
	Plain bool `yaml:"plain"`
}

// Aggregated reports a route served by several backend calls.
func (r Route) Aggregated() bool { return len(r.Parts) > 0 }

// Name identifies the route in messages: "GET /api/v1/cart".
func (r Route) Name() string { return r.Method + " " + r.Path }

// Pattern is the route as the gateway's router matches it and its metrics
// label it ("/api/v1/products/:idOrSlug" for "/api/v1/products/{idOrSlug}").
func (r Route) Pattern() string { return paramPattern.ReplaceAllString(r.Path, ":$1") }

// API is the whole definition.
type API struct {
	Services map[string]Service `yaml:"services"`
	Routes   []Route            `yaml:"routes"`
}

// Load parses and validates gateway/routes.yaml.
func Load() (API, error) { return Parse(gateway.RoutesYAML) }

// Parse reads a definition strictly (unknown keys are errors) and validates it.
func Parse(data []byte) (API, error) {
	var api API
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&api); err != nil {
		return API{}, fmt.Errorf("routes: %w", err)
	}
	return api, api.Validate()
}

var (
	paramPattern = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9]*)\}`)
	pathPattern  = regexp.MustCompile(`^(/[a-z0-9-]+|/\{[A-Za-z][A-Za-z0-9]*\})+$`)
	methods      = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// Params returns the {names} of a path in order.
func Params(path string) []string {
	var out []string
	for _, m := range paramPattern.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// Validate reports every problem, each naming its route.
func (api API) Validate() error {
	var errs []string
	seen := map[string]bool{}
	for _, r := range api.Routes {
		bad := func(format string, args ...any) { errs = append(errs, r.Name()+": "+fmt.Sprintf(format, args...)) }
		if !slices.Contains(methods, r.Method) {
			bad("unknown method")
		}
		if !strings.HasPrefix(r.Path, Prefix) || !pathPattern.MatchString(r.Path) {
			bad("path must be under %s with lowercase segments and {param}s", Prefix)
		}
		if seen[r.Name()] {
			bad("defined twice")
		}
		seen[r.Name()] = true
		if !slices.Contains([]string{AuthPublic, AuthUser, AuthAdmin}, r.Auth) {
			bad("auth must be public, user or admin")
		}
		if !slices.Contains(LimitClasses, r.Limit) {
			bad("limit must be one of %v", LimitClasses)
		}
		if !slices.Contains(Journeys, r.Journey) {
			bad("journey must be one of %v", Journeys)
		}
		calls := r.Parts
		if !r.Aggregated() {
			calls = []Part{{Service: r.Service, Backend: r.Backend}}
		} else if r.Service != "" || r.Backend != "" || r.Method != "GET" {
			bad("an aggregated route is a GET with parts and no service or backend of its own")
		}
		for _, p := range calls {
			if _, ok := api.Services[p.Service]; !ok {
				bad("unknown service %q", p.Service)
			}
			if !strings.HasPrefix(p.Backend, "/v1/") || !pathPattern.MatchString(p.Backend) {
				bad("backend %q must be a /v1/ path", p.Backend)
			}
			if !slices.Equal(Params(p.Backend), Params(r.Path)) {
				bad("backend %q must use the same {params} as the path", p.Backend)
			}
			if r.Aggregated() && p.Group == "" {
				bad("every part needs a group")
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("routes:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}
