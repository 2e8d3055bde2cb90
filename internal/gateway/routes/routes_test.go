package routes

import (
	"strings"
	"testing"
)

func TestTheDefinitionIsValid(t *testing.T) {
	api, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Routes) < 20 {
		t.Fatalf("only %d routes", len(api.Routes))
	}
}

func TestMistakesAreReportedByRoute(t *testing.T) {
	base := "services: {catalog: {port: 8082}}\nroutes:\n"
	cases := map[string]string{
		"unknown method":           `- {method: FETCH, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: default}`,
		"path must be under":       `- {method: GET, path: /v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: default}`,
		"auth must be":             `- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: anyone, journey: browse, limit: default}`,
		"limit must be":            `- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: lots}`,
		"unknown service":          `- {method: GET, path: /api/v1/x, service: nope, backend: /v1/x, auth: public, journey: browse, limit: default}`,
		"same {params}":            `- {method: GET, path: "/api/v1/x/{id}", service: catalog, backend: "/v1/x/{slug}", auth: public, journey: browse, limit: default}`,
		"every part needs a group": `- {method: GET, path: /api/v1/x, auth: public, journey: browse, limit: default, parts: [{service: catalog, backend: /v1/x}]}`,
		"defined twice":            "- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: default}\n- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: default}",
		"journey must be":          `- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: wandering, limit: default}`,
		"field colour not found":   `- {method: GET, path: /api/v1/x, service: catalog, backend: /v1/x, auth: public, journey: browse, limit: default, colour: red}`,
	}
	for want, route := range cases {
		_, err := Parse([]byte(base + route))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v", want, err)
			continue
		}
		if want != "field colour not found" && !strings.Contains(err.Error(), "/api/v1/x") && !strings.Contains(err.Error(), "/v1/x") {
			t.Errorf("%s: the message must name the route: %v", want, err)
		}
	}
}

func TestPatternIsTheRoutersSyntax(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/cart":                          "/api/v1/cart",
		"/api/v1/products/{idOrSlug}":           "/api/v1/products/:idOrSlug",
		"/api/v1/cart/items/{productId}/x/{id}": "/api/v1/cart/items/:productId/x/:id",
	} {
		if got := (Route{Path: path}).Pattern(); got != want {
			t.Errorf("%s: got %s, want %s", path, got, want)
		}
	}
}
