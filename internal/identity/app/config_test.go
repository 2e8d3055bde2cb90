package app_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestConfigErrorsNameTheVariable(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"no signing key":            {map[string]string{"JWT_SIGNING_KEY_FILE": ""}, "JWT_SIGNING_KEY_FILE: required"},
		"access TTL too short":      {map[string]string{"ACCESS_TOKEN_TTL": "1s"}, "ACCESS_TOKEN_TTL"},
		"access TTL not a duration": {map[string]string{"ACCESS_TOKEN_TTL": "soon"}, "ACCESS_TOKEN_TTL"},
		"refresh TTL below access":  {map[string]string{"ACCESS_TOKEN_TTL": "1h", "REFRESH_TOKEN_TTL": "30m"}, "REFRESH_TOKEN_TTL"},
		"refresh TTL too long":      {map[string]string{"REFRESH_TOKEN_TTL": "9000h"}, "REFRESH_TOKEN_TTL"},
	}
	for name, tc := range cases {
		env := testEnv(options{dbURL: "postgres://x@127.0.0.1/x", keyFile: "/key.pem", env: tc.env})
		lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		var cfg app.Config
		if err := config.LoadFrom(lookup, &cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming %s", name, err, tc.want)
		}
	}
	cfg := stacktest.Load[app.Config](t, testEnv(options{dbURL: "postgres://x@127.0.0.1/x", keyFile: "/key.pem"}))
	if cfg.AccessTokenTTL.String() != "15m0s" || cfg.RefreshTokenTTL.String() != "720h0m0s" || len(cfg.PreviousKeyFiles) != 0 {
		t.Fatalf("defaults %+v", cfg)
	}
}

func TestServeRefusesABadKeyFile(t *testing.T) {
	cfg := stacktest.Load[app.Config](t, testEnv(options{dbURL: migrated.NewDatabase(t), keyFile: t.TempDir() + "/missing.pem"}))
	if err := app.Serve(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "JWT_SIGNING_KEY_FILE") {
		t.Fatalf("got %v, want an error naming JWT_SIGNING_KEY_FILE", err)
	}
}
