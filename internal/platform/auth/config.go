package auth

import (
	"context"
	"net/url"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// Config says which tokens a service accepts: signed by a key in identity's
// JWKS, issued by Issuer, meant for Audience.
type Config struct {
	// JWKSURL is identity's /.well-known/jwks.json; empty: no token is
	// accepted (anonymous calls still work).
	JWKSURL  string `env:"JWKS_URL"`
	Issuer   string `env:"JWT_ISSUER" default:"shipshape-identity"`
	Audience string `env:"JWT_AUDIENCE" default:"shipshape"`
}

// Validate checks the URL up front, so a typo stops start-up instead of
// refusing every request later.
func (c Config) Validate() error {
	if c.JWKSURL != "" {
		u, err := url.Parse(c.JWKSURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return config.Errorf("JWKS_URL", "invalid URL %q: want http(s)://host/path", c.JWKSURL)
		}
	}
	if c.Issuer == "" {
		return config.Errorf("JWT_ISSUER", "must not be empty")
	}
	if c.Audience == "" {
		return config.Errorf("JWT_AUDIENCE", "must not be empty")
	}
	return nil
}

// Authenticator verifies tokens against the JWKS, or refuses every token
// when no JWKS is configured.
func (c Config) Authenticator() Authenticator {
	if c.JWKSURL == "" {
		return refuseAll{}
	}
	return NewVerifier(c.Issuer, c.Audience, NewJWKS(c.JWKSURL, nil))
}

// RefusesAll reports an authenticator that can verify no token at all.
func RefusesAll(a Authenticator) bool {
	_, ok := a.(refuseAll)
	return ok
}

// refuseAll is the authenticator of a service with no way to verify tokens:
// presenting one is an error rather than being silently ignored.
type refuseAll struct{}

func (refuseAll) Authenticate(context.Context, string) (Principal, error) {
	return Principal{}, apperr.New(apperr.KindUnauthenticated, "invalid token: token verification is not configured")
}
