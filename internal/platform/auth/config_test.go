package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

func load(t *testing.T, env map[string]string) (auth.Config, error) {
	t.Helper()
	var c auth.Config
	err := config.LoadFrom(config.FromMap(env), &c)
	return c, err
}

func TestConfigDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c != (auth.Config{Issuer: "shipshape-identity", Audience: "shipshape"}) {
		t.Fatalf("defaults %+v", c)
	}
}

func TestConfigRefusesBadURL(t *testing.T) {
	for _, u := range []string{"identity:8081/.well-known/jwks.json", "ftp://identity/jwks", "http://", "http://[::1"} {
		_, err := load(t, map[string]string{"JWKS_URL": u})
		if err == nil || !strings.Contains(err.Error(), "config: JWKS_URL: invalid URL") {
			t.Errorf("%q: got %v, want an error naming JWKS_URL", u, err)
		}
	}
	if _, err := load(t, map[string]string{"JWKS_URL": "http://identity:8080/.well-known/jwks.json"}); err != nil {
		t.Fatal(err)
	}
	for variable, c := range map[string]auth.Config{
		"JWT_ISSUER":   {Audience: "shipshape"},
		"JWT_AUDIENCE": {Issuer: "shipshape-identity"},
	} {
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), variable) {
			t.Errorf("got %v, want an error naming %s", err, variable)
		}
	}
}

func TestConfigWithoutJWKSRefusesEveryToken(t *testing.T) {
	iss := authtest.NewIssuer(t)
	a := auth.Config{Issuer: "shipshape-identity", Audience: "shipshape"}.Authenticator()
	if _, err := a.Authenticate(context.Background(), iss.Token(t, "u1")); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("got %v, want Unauthenticated", err)
	}
}

func TestConfigAuthenticatorVerifiesAgainstJWKS(t *testing.T) {
	iss := authtest.NewIssuer(t)
	c, err := load(t, iss.Env())
	if err != nil {
		t.Fatal(err)
	}
	a := c.Authenticator()
	p, err := a.Authenticate(context.Background(), iss.Token(t, "u1", auth.RoleAdmin))
	if err != nil || p.Subject != "u1" || !p.HasRole(auth.RoleAdmin) {
		t.Fatalf("got %+v, %v", p, err)
	}
	wrongAudience := c
	wrongAudience.Audience = "other"
	if _, err := wrongAudience.Authenticator().Authenticate(context.Background(), iss.Token(t, "u1")); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("audience not checked: %v", err)
	}
}
