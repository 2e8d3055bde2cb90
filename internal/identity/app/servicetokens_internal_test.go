package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func TestLoadServiceClientsNamesTheVariable(t *testing.T) {
	if c, err := loadServiceClients(""); err != nil || len(c) != 0 {
		t.Fatalf("no file: %v, %v; want no clients", c, err)
	}
	bad := filepath.Join(t.TempDir(), "clients")
	if err := os.WriteFile(bad, []byte("orders=nothex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{bad, filepath.Join(t.TempDir(), "missing")} {
		if _, err := loadServiceClients(file); err == nil || !strings.Contains(err.Error(), "config: SERVICE_CLIENTS_FILE:") {
			t.Errorf("%s: got %v, want an error naming SERVICE_CLIENTS_FILE", file, err)
		}
	}
}

func TestServiceTokenConfig(t *testing.T) {
	var c ServiceTokenConfig
	if err := config.LoadFrom(config.FromMap(nil), &c); err != nil || c.TTL != 10*time.Minute {
		t.Fatalf("defaults %+v, %v", c, err)
	}
	for _, ttl := range []string{"30s", "2h"} {
		if err := config.LoadFrom(config.FromMap(map[string]string{"SERVICE_TOKEN_TTL": ttl}), &c); err == nil || !strings.Contains(err.Error(), "SERVICE_TOKEN_TTL") {
			t.Errorf("%s: got %v", ttl, err)
		}
	}
}
