package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// refreshBytes is the refresh token's entropy: 256 bits, far beyond guessing.
const refreshBytes = 32

// NewRefresh returns a new refresh token for the client and the hash to
// store. Only the hash is kept, so a leaked database cannot be replayed; a
// fast hash suffices because the secret is random, not a password.
func NewRefresh() (token string, hash []byte) {
	b := make([]byte, refreshBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	return token, sum[:]
}

// HashRefresh returns the stored form of token; ok is false when token
// cannot be one we issued (wrong length or alphabet), so it needs no lookup.
func HashRefresh(token string) (hash []byte, ok bool) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != refreshBytes {
		return nil, false
	}
	sum := sha256.Sum256([]byte(token))
	return sum[:], true
}
