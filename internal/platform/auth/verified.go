package auth

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"sync"
	"time"
)

// maxVerified bounds the signatures remembered: tokens are short-lived
// and a service sees few distinct ones at a time (its callers' service
// tokens, its active users'), so 4096 covers a busy pod in about 0.5 MiB.
const maxVerified = 4096

// verifiedSignatures remembers tokens whose ES256 signature was checked,
// until they expire. A P-256 signature check is the dearest step of a
// request (0.06-0.15 ms of CPU on a 2-core machine), and a checkout made
// several, mostly of the same service token again: see docs/benchmarks.md,
// "Checkout: what bounds it", and ADR 0008. Only the signature is remembered; the claims
// (expiry, issuer, audience) are checked again on every use, and a token is
// trusted again only while the key that verified it is still published
// under its key id, so a retired key retires its tokens at once.
type verifiedSignatures struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]verifiedSignature
}

type verifiedSignature struct {
	kid   string
	key   *ecdsa.PublicKey
	until time.Time // the token's expiry plus the leeway
}

// lookup returns what verified token, if it is remembered and not expired
// at now.
func (c *verifiedSignatures) lookup(token string, now time.Time) (verifiedSignature, bool) {
	sum := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sum]
	if ok && now.After(e.until) {
		delete(c.entries, sum)
		return verifiedSignature{}, false
	}
	return e, ok
}

// remember records that token's signature was verified with key. When the
// map is full the expired entries go; if that frees nothing, all go (the
// next requests pay one check each again, and the bound holds).
func (c *verifiedSignatures) remember(token string, e verifiedSignature, now time.Time) {
	sum := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[[sha256.Size]byte]verifiedSignature)
	}
	if len(c.entries) >= maxVerified {
		for k, old := range c.entries {
			if now.After(old.until) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxVerified {
			clear(c.entries)
		}
	}
	c.entries[sum] = e
}

// len is the number of remembered signatures (tests).
func (c *verifiedSignatures) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
