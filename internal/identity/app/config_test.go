package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/app"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func TestConfigErrorsNameTheVariable(t *testing.T) {
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"no signing key":             {map[string]string{"JWT_SIGNING_KEY_FILE": ""}, "JWT_SIGNING_KEY_FILE: required"},
		"access TTL too short":       {map[string]string{"ACCESS_TOKEN_TTL": "1s"}, "ACCESS_TOKEN_TTL"},
		"access TTL not a duration":  {map[string]string{"ACCESS_TOKEN_TTL": "soon"}, "ACCESS_TOKEN_TTL"},
		"refresh TTL below access":   {map[string]string{"ACCESS_TOKEN_TTL": "1h", "REFRESH_TOKEN_TTL": "30m"}, "REFRESH_TOKEN_TTL"},
		"refresh TTL too long":       {map[string]string{"REFRESH_TOKEN_TTL": "9000h"}, "REFRESH_TOKEN_TTL"},
		"session shorter than token": {map[string]string{"SESSION_MAX_LIFETIME": "24h"}, "SESSION_MAX_LIFETIME"},
		"refresh grace too long":     {map[string]string{"REFRESH_GRACE": "2m"}, "REFRESH_GRACE"},
		"no free account failures":   {map[string]string{"SIGNIN_ACCOUNT_FREE_FAILURES": "0"}, "SIGNIN_ACCOUNT_FREE_FAILURES"},
		"address failures not int":   {map[string]string{"SIGNIN_ADDRESS_FREE_FAILURES": "many"}, "SIGNIN_ADDRESS_FREE_FAILURES"},
		"backoff too short":          {map[string]string{"SIGNIN_BACKOFF": "1ms"}, "SIGNIN_BACKOFF"},
		"max backoff below backoff":  {map[string]string{"SIGNIN_BACKOFF": "1m", "SIGNIN_MAX_BACKOFF": "30s"}, "SIGNIN_MAX_BACKOFF"},
		"window below max backoff":   {map[string]string{"SIGNIN_FAILURE_WINDOW": "10m"}, "SIGNIN_FAILURE_WINDOW"},
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
	if cfg.AccessTokenTTL.String() != "15m0s" || cfg.RefreshTokenTTL.String() != "720h0m0s" || len(cfg.PreviousKeyFiles) != 0 ||
		cfg.RefreshGrace != 10*time.Second || cfg.SessionMaxLifetime != 720*time.Hour {
		t.Fatalf("defaults %+v", cfg)
	}
	if p := cfg.SignIn.Policy(); p.AccountAllowance != 5 || p.AddressAllowance != 20 || p.Backoff != time.Second ||
		p.MaxBackoff != 15*time.Minute || p.Window != time.Hour {
		t.Fatalf("sign-in throttle defaults %+v", p)
	}
}

func TestServeRefusesABadKeyFile(t *testing.T) {
	cfg := stacktest.Load[app.Config](t, testEnv(options{dbURL: migrated.NewDatabase(t), keyFile: t.TempDir() + "/missing.pem"}))
	if err := app.Serve(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "JWT_SIGNING_KEY_FILE") {
		t.Fatalf("got %v, want an error naming JWT_SIGNING_KEY_FILE", err)
	}
}
