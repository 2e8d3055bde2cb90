package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// Algorithm is the only JWT signature algorithm we issue and accept: ECDSA
// P-256 with SHA-256, supported by KrakenD CE's auth/validator.
const Algorithm = "ES256"

// JWK is a public P-256 key in JSON Web Key form (RFC 7517).
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// JWKSet is the document served at /.well-known/jwks.json.
type JWKSet struct {
	Keys []JWK `json:"keys"`
}

// PublicJWK describes pub; its key id is the RFC 7638 thumbprint, so the id
// follows from the key and cannot be reused for another one.
func PublicJWK(pub *ecdsa.PublicKey) (JWK, error) {
	if pub.Curve != elliptic.P256() {
		return JWK{}, errors.New("jwk: only P-256 keys are supported")
	}
	raw, err := pub.Bytes() // uncompressed point: 0x04 || X || Y
	if err != nil {
		return JWK{}, fmt.Errorf("jwk: %w", err)
	}
	enc := base64.RawURLEncoding
	k := JWK{Kty: "EC", Crv: "P-256", X: enc.EncodeToString(raw[1:33]), Y: enc.EncodeToString(raw[33:65]), Alg: Algorithm, Use: "sig"}
	// The thumbprint hashes the required members in lexicographic order.
	sum := sha256.Sum256([]byte(fmt.Sprintf(`{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, k.X, k.Y)))
	k.Kid = enc.EncodeToString(sum[:])
	return k, nil
}

// PublicKey parses k, refusing anything but a P-256 signing key on the curve.
func (k JWK) PublicKey() (*ecdsa.PublicKey, error) {
	if k.Kty != "EC" || k.Crv != "P-256" || (k.Alg != "" && k.Alg != Algorithm) || (k.Use != "" && k.Use != "sig") {
		return nil, fmt.Errorf("jwk %q: not an ES256 signing key", k.Kid)
	}
	x, errX := base64.RawURLEncoding.DecodeString(k.X)
	y, errY := base64.RawURLEncoding.DecodeString(k.Y)
	if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
		return nil, fmt.Errorf("jwk %q: malformed coordinates", k.Kid)
	}
	raw := append(append([]byte{4}, x...), y...)
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return nil, fmt.Errorf("jwk %q: %w", k.Kid, err)
	}
	return pub, nil
}

// ParseJWKSet decodes a JWKS document into keys by id; keys that are not
// ES256 signing keys are skipped, not fatal, so a provider may publish others.
func ParseJWKSet(data []byte) (map[string]*ecdsa.PublicKey, error) {
	var set JWKSet
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	keys := map[string]*ecdsa.PublicKey{}
	for _, k := range set.Keys {
		if pub, err := k.PublicKey(); err == nil && k.Kid != "" {
			keys[k.Kid] = pub
		}
	}
	return keys, nil
}
