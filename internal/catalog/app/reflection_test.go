package app_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shipshape-dev/shipshape/internal/platform/grpcreflect"
)

// With GRPC_REFLECTION=true a generic client lists catalog's API and calls
// it without the .proto files, as `grpcurl -plaintext -d '{"idOrSlug":
// "storm-lantern"}' localhost:9082 catalog.v1.CatalogService/GetProduct`
// does; the default keeps reflection off.
func TestReflectionServesGenericClientsOnlyWhenEnabled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	on := grpcreflect.New(startCatalog(t, map[string]string{"GRPC_REFLECTION": "true"}).conn)
	services, err := on.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(services, "catalog.v1.CatalogService") {
		t.Errorf("services = %v, want catalog.v1.CatalogService", services)
	}
	got, err := on.InvokeJSON(ctx, "catalog.v1.CatalogService/GetProduct", `{"idOrSlug": "storm-lantern"}`)
	if err != nil {
		t.Fatal(err)
	}
	var resp struct{ Product struct{ Slug string } }
	if err := json.Unmarshal([]byte(got), &resp); err != nil || resp.Product.Slug != "storm-lantern" {
		t.Errorf("GetProduct through reflection = %s (%v), want the storm-lantern product", got, err)
	}

	off := grpcreflect.New(startCatalog(t, nil).conn)
	if _, err := off.Services(ctx); status.Code(err) != codes.Unimplemented {
		t.Errorf("reflection with the default setting: err = %v, want Unimplemented", err)
	}
}
