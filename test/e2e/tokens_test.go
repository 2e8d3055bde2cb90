package e2e_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

func claims(mod func(*auth.Claims)) auth.Claims {
	c := auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: "shipshape-identity", Audience: jwt.ClaimStrings{"shipshape"},
		Subject: "user-1", IssuedAt: jwt.NewNumericDate(time.Now()), ExpiresAt: jwt.NewNumericDate(time.Now().Add(10 * time.Minute))},
		Roles: []string{auth.RoleCustomer}}
	if mod != nil {
		mod(&c)
	}
	return c
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, c auth.Claims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every forged or unacceptable token is refused with 401 by a real service
// verifying against identity's real JWKS; the genuine token is accepted.
func TestForgedAndInvalidTokensAreRefused(t *testing.T) {
	s, signer := startSystemWithSigner(t)
	good, err := signer.Sign(claims(nil))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, err := signer.PublicJWK().PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(pub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	mustSign := func(c auth.Claims) string {
		tok, err := signer.Sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"user-1"`, `"user-2"`, 1))) + "." + parts[2]

	cases := map[string]string{
		"expired":                         mustSign(claims(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour)) })),
		"wrong issuer":                    mustSign(claims(func(c *auth.Claims) { c.Issuer = "someone-else" })),
		"wrong audience":                  mustSign(claims(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"another-app"} })),
		"no expiry":                       mustSign(claims(func(c *auth.Claims) { c.ExpiresAt = nil })),
		"bad signature":                   sign(t, jwt.SigningMethodES256, signer.KeyID(), claims(nil), other),
		"unknown kid":                     sign(t, jwt.SigningMethodES256, "no-such-key", claims(nil), other),
		"alg none":                        sign(t, jwt.SigningMethodNone, signer.KeyID(), claims(nil), jwt.UnsafeAllowNoneSignatureType),
		"HS256 keyed with the public key": sign(t, jwt.SigningMethodHS256, signer.KeyID(), claims(nil), pubPEM),
		"tampered claims":                 tampered,
		"garbage":                         "not-a-jwt",
	}
	if status, body := stacktest.Call(t, "GET", s.cart.REST+"/v1/cart", "", stacktest.Bearer(good)); status != 200 {
		t.Fatalf("the genuine token was refused: %d %v", status, body)
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			for _, url := range []string{s.cart.REST + "/v1/cart", s.orders.REST + "/v1/orders", s.identity.REST + "/v1/me"} {
				if status, body := stacktest.Call(t, "GET", url, "", stacktest.Bearer(tok)); status != 401 || body["code"] != "UNAUTHENTICATED" {
					t.Fatalf("%s: %d %v, want 401", url, status, body)
				}
			}
		})
	}
}
