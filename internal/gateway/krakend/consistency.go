package krakend

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// CheckRoutes reports where cfg and the public API definition disagree:
// every route must be an endpoint exactly once, with the backends, query
// strings, headers and encoding the definition gives it, and no endpoint
// may exist that the definition lacks.
func CheckRoutes(cfg Config, api routes.API) error {
	want := map[string]routes.Route{}
	for _, r := range api.Routes {
		want[r.Name()] = r
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	seen := map[string]int{}
	for _, e := range cfg.Endpoints {
		name := e.Name()
		if seen[name]++; seen[name] == 2 {
			bad(name, "defined more than once")
		}
		r, ok := want[name]
		if !ok {
			bad(name, "not in gateway/routes.yaml")
			continue
		}
		if e.OutputEncoding != encodingOf(r) {
			bad(name, "output_encoding %q, want %q", e.OutputEncoding, encodingOf(r))
		}
		if !slices.Equal(e.InputQueryStrings, nonNil(r.Query)) {
			bad(name, "input_query_strings %v, routes.yaml has %v", e.InputQueryStrings, r.Query)
		}
		if !slices.Equal(e.InputHeaders, forwardedHeaders(r)) {
			bad(name, "input_headers %v, want %v", e.InputHeaders, forwardedHeaders(r))
		}
		var got []backendTo
		for _, b := range e.Backend {
			got = append(got, backendTo{URLPattern: b.URLPattern, Group: b.Group})
		}
		var expected []backendTo
		for _, b := range backendsOf(r) {
			expected = append(expected, backendTo{URLPattern: b.URLPattern, Group: b.Group})
		}
		if !slices.Equal(got, expected) {
			bad(name, "backends %v, routes.yaml gives %v", got, expected)
		}
	}
	for _, r := range api.Routes {
		if seen[r.Name()] == 0 {
			bad(r.Name(), "in gateway/routes.yaml but not in the KrakenD configuration")
		}
	}
	return errors.Join(errs...)
}
