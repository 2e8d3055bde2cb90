package auth

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

const (
	// jwksMinInterval rate-limits fetches: tokens with made-up key ids
	// cannot turn every request into a request to identity.
	jwksMinInterval = 5 * time.Second
	// jwksMaxAge is how long a fetched set is trusted before it is fetched
	// again, so a key identity stopped publishing stops being accepted.
	jwksMaxAge = 5 * time.Minute
	// jwksFetchTimeout bounds one fetch, whoever's request triggered it.
	jwksFetchTimeout = 5 * time.Second
	jwksMaxBytes     = 1 << 20
)

// JWKS is a KeySource backed by identity's JWKS document: fetched on first
// use, fetched again when a token names an unknown key (rotation) and when
// the set is older than jwksMaxAge, never more than once per jwksMinInterval.
// If identity is unreachable the keys already fetched keep working.
//
// Identity should publish a key before it signs with it: a token naming a
// key that appeared right after a fetch is refused until the rate limit
// allows the next one (at most jwksMinInterval).
type JWKS struct {
	url    string
	client *http.Client
	now    func() time.Time // replaced in tests

	fetchMu sync.Mutex // one fetch at a time; holders re-check the cache

	mu        sync.RWMutex
	keys      map[string]*ecdsa.PublicKey
	fetched   time.Time // last successful fetch
	attempted time.Time // last fetch, successful or not
	lastErr   error     // of the last fetch
}

// NewJWKS returns a key source for the JWKS at url; a nil client means one
// with a timeout.
func NewJWKS(url string, client *http.Client) *JWKS {
	if client == nil {
		client = &http.Client{Timeout: jwksFetchTimeout}
	}
	return &JWKS{url: url, client: client, now: time.Now}
}

// PublicKey returns the published key with id kid.
func (j *JWKS) PublicKey(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	key, ok, stale := j.lookup(kid)
	switch {
	case ok && !stale:
		return key, nil
	case ok:
		// Refresh in the caller that gets there first; the others keep using
		// the key they have instead of queueing behind a slow identity.
		if !j.fetchMu.TryLock() {
			return key, nil
		}
		defer j.fetchMu.Unlock()
		if j.due() {
			j.fetch(ctx)
		}
	default:
		j.fetchMu.Lock()
		defer j.fetchMu.Unlock()
		// Another caller may have fetched the key while we waited.
		if key, ok, _ := j.lookup(kid); ok {
			return key, nil
		}
		if j.due() {
			j.fetch(ctx)
		}
	}
	if key, ok, _ := j.lookup(kid); ok {
		return key, nil
	}
	return nil, j.missErr()
}

func (j *JWKS) lookup(kid string) (key *ecdsa.PublicKey, ok, stale bool) {
	j.mu.RLock()
	defer j.mu.RUnlock()
	key, ok = j.keys[kid]
	return key, ok, j.now().Sub(j.fetched) >= jwksMaxAge
}

// due reports whether the rate limit allows another fetch.
func (j *JWKS) due() bool {
	j.mu.RLock()
	defer j.mu.RUnlock()
	return j.attempted.IsZero() || j.now().Sub(j.attempted) >= jwksMinInterval
}

// missErr explains a key that is not there: unknown to a set we have, or
// no set because identity could not be reached (which is not the token's
// fault, so it must not read as "unauthenticated").
func (j *JWKS) missErr() error {
	j.mu.RLock()
	defer j.mu.RUnlock()
	if j.lastErr != nil && j.keys == nil {
		return j.lastErr
	}
	if j.lastErr != nil {
		return fmt.Errorf("%w (and the last refresh failed: %v)", ErrUnknownKey, j.lastErr)
	}
	return ErrUnknownKey
}

// fetch replaces the key set; on failure the old set stays. It runs under
// fetchMu. The caller's cancellation does not abort it: the result serves
// every caller, and a fetch cut short would block retries for a while.
func (j *JWKS) fetch(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jwksFetchTimeout)
	defer cancel()
	keys, err := j.get(ctx)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.attempted, j.lastErr = j.now(), err
	if err == nil {
		j.keys, j.fetched = keys, j.attempted
	}
}

func (j *JWKS) get(ctx context.Context) (map[string]*ecdsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := j.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: GET %s: status %d", j.url, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	if len(body) > jwksMaxBytes {
		return nil, fmt.Errorf("jwks: GET %s: document larger than %d bytes", j.url, jwksMaxBytes)
	}
	return ParseJWKSet(body)
}
