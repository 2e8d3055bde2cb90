package auth

import (
	"context"
	"crypto/ecdsa"
	"errors"
)

// ErrUnknownKey means no published key has the token's key id: the token is
// forged, or signed by a key that was retired.
var ErrUnknownKey = errors.New("unknown signing key")

// KeySource finds the public key a token names in its "kid" header. An error
// other than ErrUnknownKey means the keys could not be obtained right now.
type KeySource interface {
	PublicKey(ctx context.Context, kid string) (*ecdsa.PublicKey, error)
}

// StaticKeys is the KeySource of a service that holds its own keys (identity
// verifies the tokens it issued without fetching its own JWKS).
type StaticKeys map[string]*ecdsa.PublicKey

// PublicKey returns the key with id kid.
func (s StaticKeys) PublicKey(_ context.Context, kid string) (*ecdsa.PublicKey, error) {
	if k, ok := s[kid]; ok {
		return k, nil
	}
	return nil, ErrUnknownKey
}
