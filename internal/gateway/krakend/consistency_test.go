package krakend

import (
	"strings"
	"testing"
)

func TestTheRenderedConfigFollowsRoutesYAML(t *testing.T) {
	api := loadAPI(t)
	cases := map[string]func(*Config){
		"GET /api/v1/cart: in gateway/routes.yaml but not in the KrakenD configuration": func(c *Config) {
			c.Endpoints = deleteEndpoint(c.Endpoints, "GET /api/v1/cart")
		},
		"GET /api/v1/me: defined more than once": func(c *Config) {
			c.Endpoints = append(c.Endpoints, c.Endpoints[4])
		},
		"PUT /api/v1/me: not in gateway/routes.yaml": func(c *Config) {
			e := c.Endpoints[4]
			e.Method = "PUT"
			c.Endpoints = append(c.Endpoints, e)
		},
		"GET /api/v1/products: input_query_strings [category]": func(c *Config) {
			findEndpoint(c, "GET /api/v1/products").InputQueryStrings = []string{"category"}
		},
		"POST /api/v1/orders: input_headers": func(c *Config) {
			findEndpoint(c, "POST /api/v1/orders").InputHeaders = AlwaysForwarded
		},
		"GET /api/v1/orders/{id}: backends [{ /v1/order/{id} }]": func(c *Config) {
			findEndpoint(c, "GET /api/v1/orders/{id}").Backend[0].URLPattern = "/v1/order/{id}"
		},
		`GET /api/v1/storefront/home: output_encoding "no-op", want "json"`: func(c *Config) {
			findEndpoint(c, "GET /api/v1/storefront/home").OutputEncoding = NoOp
		},
	}
	for want, edit := range cases {
		cfg := render(t, "production")
		edit(&cfg)
		err := CheckRoutes(cfg, api)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
	}
}

func findEndpoint(c *Config, name string) *Endpoint {
	for i := range c.Endpoints {
		if c.Endpoints[i].Name() == name {
			return &c.Endpoints[i]
		}
	}
	panic("no endpoint " + name)
}

func deleteEndpoint(es []Endpoint, name string) []Endpoint {
	var out []Endpoint
	for _, e := range es {
		if e.Name() != name {
			out = append(out, e)
		}
	}
	return out
}
