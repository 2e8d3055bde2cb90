package grpcclient

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	good := Config{Target: "dns:///catalog:9090", Retry: []string{"/catalog.v1.CatalogService/GetProduct"}}
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{}, "target is empty"},
		{Config{Target: "x:1", Timeout: -time.Second}, "negative"},
		{Config{Target: "x:1", Retry: []string{"catalog.v1.CatalogService/GetProduct"}}, "retry method"},
		{Config{Target: "x:1", Retry: []string{"/catalog.v1.CatalogService"}}, "retry method"},
		{Config{Target: "x:1", Retry: []string{"//GetProduct"}}, "retry method"},
		{Config{Target: "x:1", Retry: []string{"/a.S/M/extra"}}, "retry method"},
	} {
		if err := tc.c.validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.c, err, tc.want)
		}
	}
}

func TestTimeoutDefault(t *testing.T) {
	if d := (Config{}).timeout(); d != DefaultTimeout {
		t.Fatalf("zero timeout means %v, want %v", d, DefaultTimeout)
	}
	if d := (Config{Timeout: time.Second}).timeout(); d != time.Second {
		t.Fatalf("got %v", d)
	}
}
