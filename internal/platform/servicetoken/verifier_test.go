package servicetoken_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
	"github.com/shipshape-dev/shipshape/internal/platform/servicetoken"
)

const issuer = "shipshape-identity"

func keysOf(t *testing.T, signers ...*auth.Signer) auth.StaticKeys {
	t.Helper()
	keys := auth.StaticKeys{}
	for _, s := range signers {
		pub, err := s.PublicJWK().PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		keys[s.KeyID()] = pub
	}
	return keys
}

// userClaims are an admin's access-token claims, as identity issues them.
func userClaims(subject string) auth.Claims {
	now := time.Now()
	return auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: issuer, Audience: jwt.ClaimStrings{"shipshape"},
		Subject: subject, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))},
		Roles: []string{auth.RoleAdmin}}
}

func signed(t *testing.T, s *auth.Signer, claims jwt.Claims) string {
	t.Helper()
	tok, err := s.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifierAcceptsServiceTokens(t *testing.T) {
	s := authtest.NewSigner(t)
	v := servicetoken.NewVerifier(issuer, keysOf(t, s))
	c, err := v.Verify(context.Background(), signed(t, s, servicetoken.NewClaims(issuer, "orders", time.Now(), 10*time.Minute)))
	if err != nil || c.Service != "orders" {
		t.Fatalf("got %+v, %v", c, err)
	}
}

func TestVerifierRefuses(t *testing.T) {
	s, other := authtest.NewSigner(t), authtest.NewSigner(t)
	v := servicetoken.NewVerifier(issuer, keysOf(t, s))
	with := func(change func(*servicetoken.Claims)) string {
		c := servicetoken.NewClaims(issuer, "orders", time.Now(), 10*time.Minute)
		change(&c)
		return signed(t, s, c)
	}
	now := time.Now()
	user := userClaims("user-1")
	userWithServiceAudience := user
	userWithServiceAudience.Audience = jwt.ClaimStrings{servicetoken.Audience}

	for name, tok := range map[string]string{
		"a user's access token":       signed(t, s, user),
		"user claims, service aud":    signed(t, s, userWithServiceAudience),
		"wrong audience":              with(func(c *servicetoken.Claims) { c.Audience = jwt.ClaimStrings{"shipshape"} }),
		"expired":                     with(func(c *servicetoken.Claims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Hour)) }),
		"wrong issuer":                with(func(c *servicetoken.Claims) { c.Issuer = "someone-else" }),
		"subject not the service":     with(func(c *servicetoken.Claims) { c.Subject = "service:cart" }),
		"no svc claim":                with(func(c *servicetoken.Claims) { c.Service = "" }),
		"svc not a service name":      with(func(c *servicetoken.Claims) { c.Service, c.Subject = "Orders!", "service:Orders!" }),
		"signed with an unknown key":  signed(t, other, servicetoken.NewClaims(issuer, "orders", now, time.Minute)),
		"not a token":                 "not-a-token",
		"subject without the service": with(func(c *servicetoken.Claims) { c.Subject = "orders" }),
	} {
		c, err := v.Verify(context.Background(), tok)
		if !apperr.Is(err, apperr.KindUnauthenticated) {
			t.Errorf("%s: got %+v, %v; want Unauthenticated", name, c, err)
		} else if !strings.HasPrefix(apperr.As(err).Message, "invalid service token") {
			t.Errorf("%s: message %q does not say which token", name, apperr.As(err).Message)
		}
	}
}

// A service token never passes where a user's access token is expected.
func TestUserVerifierRefusesServiceTokens(t *testing.T) {
	s := authtest.NewSigner(t)
	users := auth.NewVerifier(issuer, "shipshape", keysOf(t, s))
	tok := signed(t, s, servicetoken.NewClaims(issuer, "orders", time.Now(), 10*time.Minute))
	if p, err := users.Authenticate(context.Background(), tok); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("service token as a user's: %+v, %v", p, err)
	}
}

func TestVerifierWithoutJWKSRefusesEverything(t *testing.T) {
	s := authtest.NewSigner(t)
	v := servicetoken.VerifierFor(auth.Config{Issuer: issuer, Audience: "shipshape"})
	_, err := v.Verify(context.Background(), signed(t, s, servicetoken.NewClaims(issuer, "orders", time.Now(), time.Minute)))
	if !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("got %v, want Unauthenticated", err)
	}
}

func TestNewClaims(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 600_000_000, time.UTC)
	c := servicetoken.NewClaims(issuer, "cart", now, 10*time.Minute)
	if c.Subject != "service:cart" || c.Service != "cart" || c.Issuer != issuer || len(c.Audience) != 1 ||
		c.Audience[0] != servicetoken.Audience || c.ID == "" {
		t.Fatalf("claims %+v", c)
	}
	if !c.IssuedAt.Equal(now.Truncate(time.Second)) || c.ExpiresAt.Sub(c.IssuedAt.Time) != 10*time.Minute {
		t.Fatalf("times %v .. %v", c.IssuedAt, c.ExpiresAt)
	}
	if again := servicetoken.NewClaims(issuer, "cart", now, time.Minute); again.ID == c.ID {
		t.Fatal("jti repeats")
	}
}
