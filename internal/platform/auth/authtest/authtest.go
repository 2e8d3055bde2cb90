// Package authtest issues real identity-style tokens in tests: an ES256 key,
// its JWKS served over HTTP, and tokens a service started with Env accepts.
package authtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// DefaultIssuer and DefaultAudience are auth.Config's defaults; Token uses them.
const (
	DefaultIssuer   = "shipshape-identity"
	DefaultAudience = "shipshape"
)

// TokenLifetime is how long a Token stays valid, as identity's access tokens.
const TokenLifetime = 15 * time.Minute

// Issuer signs tokens and publishes every key it ever signed with, plus the
// next one: a key is published before it signs anything, as identity should
// do, so a verifier that fetched the JWKS already knows the key Rotate
// switches to.
type Issuer struct {
	srv *httptest.Server

	mu        sync.Mutex
	signer    *auth.Signer
	next      *auth.Signer
	published []auth.JWK
}

// NewIssuer starts the JWKS server; it is closed when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	first, next := NewSigner(t), NewSigner(t)
	i := &Issuer{signer: first, next: next, published: []auth.JWK{first.PublicJWK(), next.PublicJWK()}}
	i.srv = httptest.NewServer(http.HandlerFunc(i.serveJWKS))
	t.Cleanup(i.srv.Close)
	return i
}

func (i *Issuer) serveJWKS(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/.well-known/jwks.json" {
		http.NotFound(w, r)
		return
	}
	i.mu.Lock()
	doc, err := json.Marshal(auth.JWKSet{Keys: i.published})
	i.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
}

// JWKSURL is where the public keys are served.
func (i *Issuer) JWKSURL() string { return i.srv.URL + "/.well-known/jwks.json" }

// Env is the configuration that makes a service accept this issuer's tokens.
func (i *Issuer) Env() map[string]string {
	return map[string]string{"JWKS_URL": i.JWKSURL(), "JWT_ISSUER": DefaultIssuer, "JWT_AUDIENCE": DefaultAudience}
}

// Token returns a valid access token for subject with roles.
func (i *Issuer) Token(t testing.TB, subject string, roles ...string) string {
	t.Helper()
	now := time.Now()
	return i.Sign(t, auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    DefaultIssuer,
			Audience:  jwt.ClaimStrings{DefaultAudience},
			Subject:   subject,
			ID:        uuid.NewString(),
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(TokenLifetime)),
		},
		Roles: roles,
	})
}

// Sign signs claims exactly as given with the current key, for tests of
// tokens that must be refused (expired, wrong audience, ...).
func (i *Issuer) Sign(t testing.TB, claims auth.Claims) string {
	t.Helper()
	i.mu.Lock()
	s := i.signer
	i.mu.Unlock()
	tok, err := s.Sign(claims)
	if err != nil {
		t.Fatalf("authtest: sign: %v", err)
	}
	return tok
}

// Rotate switches to a new signing key; the old ones stay published, so
// tokens already handed out remain valid, as in identity's key rotation.
// The new key is the one published in advance; its successor is published
// now.
func (i *Issuer) Rotate(t testing.TB) {
	t.Helper()
	next := NewSigner(t)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.signer, i.next = i.next, next
	i.published = append(i.published, next.PublicJWK())
}

// NewSigner returns a signer with a new P-256 key, for tests that sign
// tokens of their own (its public key: PublicJWK().PublicKey()).
func NewSigner(t testing.TB) *auth.Signer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("authtest: %v", err)
	}
	s, err := auth.NewSigner(key)
	if err != nil {
		t.Fatalf("authtest: %v", err)
	}
	return s
}
