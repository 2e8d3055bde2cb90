package app_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/cart/app"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func TestConfigNamesTheBadVariable(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://x@localhost/cart", "CATALOG_GRPC_TARGET": "127.0.0.1:9082"}
	lookup := func(over map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			if v, ok := over[k]; ok {
				return v, v != ""
			}
			v, ok := base[k]
			return v, ok
		}
	}
	var cfg app.Config
	if err := config.LoadFrom(lookup(nil), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.CatalogTimeout.String() != "2s" {
		t.Fatalf("default CATALOG_TIMEOUT = %s", cfg.CatalogTimeout)
	}
	for _, tc := range []struct {
		over map[string]string
		name string
	}{
		{map[string]string{"CATALOG_GRPC_TARGET": ""}, "CATALOG_GRPC_TARGET"},
		{map[string]string{"CATALOG_TIMEOUT": "0s"}, "CATALOG_TIMEOUT"},
		{map[string]string{"CATALOG_TIMEOUT": "1m"}, "CATALOG_TIMEOUT"},
		{map[string]string{"CATALOG_TIMEOUT": "soon"}, "CATALOG_TIMEOUT"},
		{map[string]string{"DATABASE_URL": ""}, "DATABASE_URL"},
	} {
		var cfg app.Config
		err := config.LoadFrom(lookup(tc.over), &cfg)
		if err == nil || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%v: got %v, want an error naming %s", tc.over, err, tc.name)
		}
	}
}
