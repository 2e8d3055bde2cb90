package krakend

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
)

func TestRoutesJSONIsUpToDate(t *testing.T) {
	want, err := RoutesJSON(loadAPI(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(ConfigFS(), RoutesJSONPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("gateway/config/%s is stale: run `go run ./cmd/gateway-config routes`", RoutesJSONPath)
	}
}

func TestPartURLsCarryTheirFixedQuery(t *testing.T) {
	cases := map[string]routes.Part{
		"/v1/products":             {Backend: "/v1/products"},
		"/v1/products?pageSize=8":  {Backend: "/v1/products", Query: map[string]string{"pageSize": "8"}},
		"/v1/x?a=1+2&b=%26&z=last": {Backend: "/v1/x", Query: map[string]string{"z": "last", "b": "&", "a": "1 2"}},
	}
	for want, p := range cases {
		if got := partURL(p); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
