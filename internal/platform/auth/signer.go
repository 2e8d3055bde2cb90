package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the access token's claims: the registered ones plus roles.
type Claims struct {
	jwt.RegisteredClaims
	Roles []string `json:"roles,omitempty"`
	Email string   `json:"email,omitempty"`
}

// Signer issues ES256 JWTs with one private key; the header names its key id.
type Signer struct {
	key *ecdsa.PrivateKey
	jwk JWK
}

// NewSigner wraps a P-256 private key.
func NewSigner(key *ecdsa.PrivateKey) (*Signer, error) {
	jwk, err := PublicJWK(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	return &Signer{key: key, jwk: jwk}, nil
}

// KeyID is the key's thumbprint, sent as the token's "kid".
func (s *Signer) KeyID() string { return s.jwk.Kid }

// PublicJWK is the key to publish in the JWKS.
func (s *Signer) PublicJWK() JWK { return s.jwk }

// Sign returns the compact serialization of a token with claims.
func (s *Signer) Sign(claims jwt.Claims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims)
	t.Header["kid"] = s.jwk.Kid
	return t.SignedString(s.key)
}

// GenerateKeyPEM makes a new P-256 private key in PKCS#8 PEM form.
func GenerateKeyPEM() ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParseKeyPEM reads a P-256 private key (PKCS#8 or SEC 1 "EC PRIVATE KEY").
func ParseKeyPEM(data []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("signing key: no PEM block")
	}
	var parsed any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		parsed, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		parsed, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("signing key: unexpected PEM type %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	key, ok := parsed.(*ecdsa.PrivateKey)
	if !ok || key.Curve != elliptic.P256() {
		return nil, errors.New("signing key: must be an ECDSA P-256 key")
	}
	return key, nil
}
