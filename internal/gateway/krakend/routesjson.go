package krakend

import (
	"bytes"
	"encoding/json"
	"net/url"
	"path"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

// RoutesJSONPath is where the generated routes live in gateway/config.
// KrakenD templates can only read settings, so routes.yaml is rendered into
// a settings file that every environment shares.
var RoutesJSONPath = path.Join(SettingsDir, CommonSettings, "routes.json")

// AlwaysForwarded are the request headers every endpoint passes to its
// service besides a route's own (routes.yaml: "headers").
var AlwaysForwarded = []string{"Authorization", "Content-Type", "X-Request-Id"}

// Encodings of an endpoint and its backends.
const (
	// NoOp proxies the service's answer untouched: status, headers, body.
	NoOp = "no-op"
	// JSON merges the backends' JSON bodies (aggregated endpoints only).
	JSON = "json"
)

// routeEntry is one endpoint of routes.json; the templates read its keys.
type routeEntry struct {
	Endpoint string      `json:"endpoint"`
	Method   string      `json:"method"`
	Auth     string      `json:"auth"`
	Limit    string      `json:"limit"`
	Encoding string      `json:"encoding"`
	Query    []string    `json:"input_query_strings"`
	Headers  []string    `json:"input_headers"`
	Backends []backendTo `json:"backends"`
}

// backendTo is one call an endpoint makes.
type backendTo struct {
	Service    string `json:"service"`
	URLPattern string `json:"url_pattern"`
	// Group is where an aggregated endpoint places this call's answer; ""
	// for a plain proxy.
	Group string `json:"group"`
}

// RoutesJSON renders the definition as settings/common/routes.json.
func RoutesJSON(api routes.API) ([]byte, error) {
	doc := struct {
		Endpoints []routeEntry `json:"endpoints"`
	}{Endpoints: []routeEntry{}}
	for _, r := range api.Routes {
		doc.Endpoints = append(doc.Endpoints, routeEntry{
			Endpoint: r.Path,
			Method:   r.Method,
			Auth:     r.Auth,
			Limit:    r.Limit,
			Encoding: encodingOf(r),
			Query:    nonNil(r.Query),
			Headers:  forwardedHeaders(r),
			Backends: backendsOf(r),
		})
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	// A url_pattern may carry "&": keep it readable in the committed file.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func encodingOf(r routes.Route) string {
	if r.Aggregated() {
		return JSON
	}
	return NoOp
}

func forwardedHeaders(r routes.Route) []string {
	return append(append([]string{}, AlwaysForwarded...), r.Headers...)
}

func backendsOf(r routes.Route) []backendTo {
	if !r.Aggregated() {
		return []backendTo{{Service: r.Service, URLPattern: r.Backend}}
	}
	var out []backendTo
	for _, p := range r.Parts {
		out = append(out, backendTo{Service: p.Service, URLPattern: partURL(p), Group: p.Group})
	}
	return out
}

// partURL is a part's backend path with its fixed query (sorted, escaped).
func partURL(p routes.Part) string {
	if len(p.Query) == 0 {
		return p.Backend
	}
	q := url.Values{}
	for k, v := range p.Query {
		q.Set(k, v)
	}
	return p.Backend + "?" + q.Encode()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
