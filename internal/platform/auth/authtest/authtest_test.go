package authtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/auth/authtest"
)

func authenticator(i *authtest.Issuer) auth.Authenticator {
	env := i.Env()
	return auth.Config{JWKSURL: env["JWKS_URL"], Issuer: env["JWT_ISSUER"], Audience: env["JWT_AUDIENCE"]}.Authenticator()
}

func TestTokenIsAcceptedWithEnv(t *testing.T) {
	i := authtest.NewIssuer(t)
	p, err := authenticator(i).Authenticate(context.Background(), i.Token(t, "u1", auth.RoleCustomer, auth.RoleAdmin))
	if err != nil || p.Subject != "u1" || !p.HasRole(auth.RoleCustomer) || !p.HasRole(auth.RoleAdmin) {
		t.Fatalf("got %+v, %v", p, err)
	}
}

func TestTokenLifetime(t *testing.T) {
	i := authtest.NewIssuer(t)
	var c auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(i.Token(t, "u1"), &c); err != nil {
		t.Fatal(err)
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life != authtest.TokenLifetime {
		t.Fatalf("lifetime %v, want %v", life, authtest.TokenLifetime)
	}
}

func TestSignKeepsClaimsAsGiven(t *testing.T) {
	i := authtest.NewIssuer(t)
	expired := i.Sign(t, auth.Claims{RegisteredClaims: jwt.RegisteredClaims{
		Issuer: authtest.DefaultIssuer, Audience: jwt.ClaimStrings{authtest.DefaultAudience}, Subject: "u1",
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(-time.Hour)),
	}})
	if _, err := authenticator(i).Authenticate(context.Background(), expired); !apperr.Is(err, apperr.KindUnauthenticated) {
		t.Fatalf("expired token: got %v, want Unauthenticated", err)
	}
}

func TestRotateKeepsOldKeysPublished(t *testing.T) {
	i := authtest.NewIssuer(t)
	a := authenticator(i)
	before := i.Token(t, "u1")
	if _, err := a.Authenticate(context.Background(), before); err != nil {
		t.Fatal(err)
	}
	i.Rotate(t)
	after := i.Token(t, "u2")
	if kid(t, before) == kid(t, after) {
		t.Fatal("Rotate kept the signing key")
	}
	// The verifier that fetched before the rotation already knows the new
	// key (published in advance), and a fresh one gets them all.
	for _, v := range []auth.Authenticator{a, authenticator(i)} {
		for _, tok := range []string{before, after} {
			if _, err := v.Authenticate(context.Background(), tok); err != nil {
				t.Fatalf("after rotation: %v", err)
			}
		}
	}
	var set auth.JWKSet
	resp, err := http.Get(i.JWKSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// The two that signed and the next one.
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil || len(set.Keys) != 3 {
		t.Fatalf("published %d keys (%v), want 3", len(set.Keys), err)
	}
}

func TestJWKSServedOnlyAtWellKnownPath(t *testing.T) {
	i := authtest.NewIssuer(t)
	resp, err := http.Get(i.JWKSURL() + "x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d, want 404", resp.StatusCode)
	}
}

func kid(t *testing.T, tok string) string {
	t.Helper()
	parsed, _, err := jwt.NewParser().ParseUnverified(tok, &auth.Claims{})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := parsed.Header["kid"].(string)
	return k
}
