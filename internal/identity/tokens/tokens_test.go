package tokens_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func TestAccessTokenClaims(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	signer, _ := auth.NewSigner(key)
	a := tokens.NewAccess(signer, "iss-x", "aud-y", 15*time.Minute)
	u := domain.User{ID: "11111111-2222-3333-4444-555555555555", Email: "a@b.example", Roles: []string{"customer", "admin"}}
	before := time.Now().Truncate(time.Second)
	tok, err := a.Issue(u)
	if err != nil {
		t.Fatal(err)
	}
	var c auth.Claims
	parsed, err := jwt.ParseWithClaims(tok, &c, func(*jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithIssuer("iss-x"), jwt.WithAudience("aud-y"), jwt.WithExpirationRequired())
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Header["kid"] != signer.KeyID() || c.Subject != u.ID || c.Email != u.Email || len(c.Roles) != 2 || c.Roles[1] != "admin" {
		t.Fatalf("claims %+v header %v", c, parsed.Header)
	}
	if c.ID == "" || c.IssuedAt == nil || c.NotBefore == nil || c.IssuedAt.Before(before) ||
		c.ExpiresAt.Sub(c.IssuedAt.Time) != 15*time.Minute {
		t.Fatalf("time claims %+v", c.RegisteredClaims)
	}
	again, _ := a.Issue(u)
	var c2 auth.Claims
	_, _ = jwt.ParseWithClaims(again, &c2, func(*jwt.Token) (any, error) { return &key.PublicKey, nil })
	if c2.ID == c.ID {
		t.Fatal("jti repeats")
	}
}

func TestRefreshTokens(t *testing.T) {
	tok, hash := tokens.NewRefresh()
	if len(tok) != 43 || len(hash) != 32 {
		t.Fatalf("token %q (%d), hash %d bytes", tok, len(tok), len(hash))
	}
	got, ok := tokens.HashRefresh(tok)
	if !ok || !bytes.Equal(got, hash) {
		t.Fatal("hash of the issued token differs")
	}
	other, _ := tokens.NewRefresh()
	if other == tok {
		t.Fatal("tokens repeat")
	}
	for _, bad := range []string{"", "short", tok + "A", tok[:42] + "+", tok[:42] + "=", tok[:41] + "=="} {
		if _, ok := tokens.HashRefresh(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
