// Package keys loads identity's signing keys and publishes their public
// halves. One key signs; earlier keys stay published and accepted until
// every token they signed has expired, which is how keys rotate without
// signing anyone out.
package keys

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
)

// Set is the active signer plus every key tokens may be verified with.
type Set struct {
	Signer *auth.Signer
	// Verification holds the active and previous public keys by kid.
	Verification auth.StaticKeys
	jwks         []byte
}

// Load reads the active private key and any previous keys (private or
// public PEM files). Errors name the variable the file came from.
func Load(activeFile string, previousFiles []string) (*Set, error) {
	data, err := os.ReadFile(activeFile)
	if err != nil {
		return nil, config.Errorf("JWT_SIGNING_KEY_FILE", "%v", err)
	}
	key, err := auth.ParseKeyPEM(data)
	if err != nil {
		return nil, config.Errorf("JWT_SIGNING_KEY_FILE", "%s: %v", activeFile, err)
	}
	signer, err := auth.NewSigner(key)
	if err != nil {
		return nil, config.Errorf("JWT_SIGNING_KEY_FILE", "%s: %v", activeFile, err)
	}
	s := &Set{Signer: signer, Verification: auth.StaticKeys{signer.KeyID(): &key.PublicKey}}
	set := auth.JWKSet{Keys: []auth.JWK{signer.PublicJWK()}}
	for _, file := range previousFiles {
		pub, err := readPublicKey(file)
		if err != nil {
			return nil, config.Errorf("JWT_PREVIOUS_KEY_FILES", "%s: %v", file, err)
		}
		jwk, err := auth.PublicJWK(pub)
		if err != nil {
			return nil, config.Errorf("JWT_PREVIOUS_KEY_FILES", "%s: %v", file, err)
		}
		// The active key listed again (a rotation half done) is harmless.
		if _, dup := s.Verification[jwk.Kid]; dup {
			continue
		}
		s.Verification[jwk.Kid] = pub
		set.Keys = append(set.Keys, jwk)
	}
	if s.jwks, err = json.Marshal(set); err != nil {
		return nil, err
	}
	return s, nil
}

// readPublicKey accepts a P-256 private key (what the previous active key
// file was) or its "PUBLIC KEY" (PKIX) form, which is all a retired key needs.
func readPublicKey(file string) (*ecdsa.PublicKey, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		key, err := auth.ParseKeyPEM(data)
		if err != nil {
			return nil, err
		}
		return &key.PublicKey, nil
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	pub, ok := parsed.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		return nil, fmt.Errorf("public key: must be an ECDSA P-256 key")
	}
	return pub, nil
}

// JWKSHandler serves the public keys. Verifiers cache the document; five
// minutes bounds how long a newly added key can be unknown to them (they
// also refetch on an unknown kid), so publish a key before signing with it.
func (s *Set) JWKSHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(s.jwks)
	})
}
