package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestJWKRoundTripAndThumbprint(t *testing.T) {
	pemKey, err := GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseKeyPEM(pemKey)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := json.Marshal(JWKSet{Keys: []JWK{s.PublicJWK()}})
	keys, err := ParseJWKSet(doc)
	if err != nil || !keys[s.KeyID()].Equal(&key.PublicKey) {
		t.Fatalf("round trip lost the key: %v", err)
	}
	again, _ := PublicJWK(&key.PublicKey)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherJWK, _ := PublicJWK(&other.PublicKey)
	if again.Kid != s.KeyID() || otherJWK.Kid == s.KeyID() || len(s.KeyID()) != 43 {
		t.Fatal("kid must be the key's SHA-256 thumbprint: stable per key, distinct across keys")
	}
}

func TestParseJWKSetSkipsForeignKeys(t *testing.T) {
	doc := `{"keys":[{"kty":"RSA","kid":"r","n":"AQAB","e":"AQAB"},{"kty":"EC","crv":"P-256","kid":"bad","x":"AA","y":"AA"}]}`
	keys, err := ParseJWKSet([]byte(doc))
	if err != nil || len(keys) != 0 {
		t.Fatalf("keys = %v, err = %v; want none usable", keys, err)
	}
	if _, err := ParseJWKSet([]byte("{")); err == nil {
		t.Fatal("malformed JSON must fail")
	}
}

func TestSignedTokenCarriesKidAndVerifies(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	s, _ := NewSigner(key)
	tok, err := s.Sign(Claims{RegisteredClaims: jwt.RegisteredClaims{Subject: "u1"}, Roles: []string{RoleCustomer}})
	if err != nil {
		t.Fatal(err)
	}
	var got Claims
	parsed, err := jwt.ParseWithClaims(tok, &got, func(t *jwt.Token) (any, error) { return &key.PublicKey, nil },
		jwt.WithValidMethods([]string{Algorithm}))
	if err != nil || parsed.Header["kid"] != s.KeyID() || got.Subject != "u1" || got.Roles[0] != RoleCustomer {
		t.Fatalf("token did not verify as signed: %v %v", err, parsed.Header)
	}
	if _, err := ParseKeyPEM([]byte("not pem")); err == nil {
		t.Fatal("garbage must not parse as a key")
	}
}
