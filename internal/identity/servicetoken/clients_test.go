package servicetoken_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/servicetoken"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func TestParseClients(t *testing.T) {
	h := servicetoken.HashSecret("secret")
	c, err := servicetoken.ParseClients("# services\norders=" + strings.ToUpper(h) + "\n\n cart = " + h + " ,")
	if err != nil || len(c) != 2 {
		t.Fatalf("got %v, %v", c, err)
	}
	for _, bad := range []string{"orders", "orders=abc", "Orders=" + h, "orders=" + h + ",orders=" + h, "=" + h, "orders=" + h[:62] + "zz"} {
		if _, err := servicetoken.ParseClients(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestHashSecretIgnoresSurroundingWhitespace(t *testing.T) {
	if servicetoken.HashSecret(" s3cret\n") != servicetoken.HashSecret("s3cret") || len(servicetoken.HashSecret("x")) != 64 {
		t.Fatal("HashSecret must hash the trimmed secret as 64 hex digits")
	}
}

func TestLoadClientsNamesTheVariable(t *testing.T) {
	if c, err := servicetoken.LoadClients(""); err != nil || len(c) != 0 {
		t.Fatalf("no file: %v, %v; want no clients", c, err)
	}
	bad := filepath.Join(t.TempDir(), "clients")
	if err := os.WriteFile(bad, []byte("orders=nothex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{bad, filepath.Join(t.TempDir(), "missing")} {
		if _, err := servicetoken.LoadClients(file); err == nil || !strings.Contains(err.Error(), "config: SERVICE_CLIENTS_FILE:") {
			t.Errorf("%s: got %v, want an error naming SERVICE_CLIENTS_FILE", file, err)
		}
	}
}

func TestConfig(t *testing.T) {
	var c servicetoken.Config
	if err := config.LoadFrom(config.FromMap(nil), &c); err != nil || c.TTL != 10*time.Minute {
		t.Fatalf("defaults %+v, %v", c, err)
	}
	for _, ttl := range []string{"30s", "2h"} {
		if err := config.LoadFrom(config.FromMap(map[string]string{"SERVICE_TOKEN_TTL": ttl}), &c); err == nil || !strings.Contains(err.Error(), "SERVICE_TOKEN_TTL") {
			t.Errorf("%s: got %v", ttl, err)
		}
	}
}
