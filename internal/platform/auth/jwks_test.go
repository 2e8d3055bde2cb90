package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer is identity's JWKS endpoint, with the keys, status and body
// under the test's control and every fetch counted.
type jwksServer struct {
	srv     *httptest.Server
	fetches atomic.Int32

	mu     sync.Mutex
	keys   []JWK
	status int
	body   string // overrides the key set when set
}

func newJWKSServer(t *testing.T) *jwksServer {
	s := &jwksServer{status: http.StatusOK}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		w.WriteHeader(s.status)
		if s.body != "" {
			_, _ = w.Write([]byte(s.body))
			return
		}
		_ = json.NewEncoder(w).Encode(JWKSet{Keys: s.keys})
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *jwksServer) publish(keys ...JWK) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

func (s *jwksServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func newJWK(t *testing.T) JWK {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk, err := PublicJWK(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return jwk
}

// fakeClock drives the cache's notion of time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestJWKS(s *jwksServer) (*JWKS, *fakeClock) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	j := NewJWKS(s.srv.URL, nil)
	j.now = clock.now
	return j, clock
}

func mustKey(t *testing.T, j *JWKS, kid string) {
	t.Helper()
	if k, err := j.PublicKey(context.Background(), kid); err != nil || k == nil {
		t.Fatalf("key %s: %v", kid, err)
	}
}

func mustUnknown(t *testing.T, j *JWKS, kid string) {
	t.Helper()
	if _, err := j.PublicKey(context.Background(), kid); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("key %s: got %v, want ErrUnknownKey", kid, err)
	}
}

func wantFetches(t *testing.T, s *jwksServer, n int32) {
	t.Helper()
	if got := s.fetches.Load(); got != n {
		t.Fatalf("%d fetches, want %d", got, n)
	}
}

func TestJWKSCachesAndFetchesAgainForANewKey(t *testing.T) {
	s := newJWKSServer(t)
	a, b := newJWK(t), newJWK(t)
	s.publish(a)
	j, clock := newTestJWKS(s)

	mustKey(t, j, a.Kid)
	mustKey(t, j, a.Kid)
	wantFetches(t, s, 1)

	// Identity rotated: the new key id is fetched once the rate limit allows.
	s.publish(a, b)
	clock.advance(jwksMinInterval)
	mustKey(t, j, b.Kid)
	mustKey(t, j, a.Kid)
	wantFetches(t, s, 2)
}

func TestJWKSRateLimitsUnknownKeyIDs(t *testing.T) {
	s := newJWKSServer(t)
	a := newJWK(t)
	s.publish(a)
	j, clock := newTestJWKS(s)
	mustKey(t, j, a.Kid)

	for range 5 {
		mustUnknown(t, j, "forged")
	}
	wantFetches(t, s, 1)

	clock.advance(jwksMinInterval)
	mustUnknown(t, j, "forged")
	mustUnknown(t, j, "forged-again")
	wantFetches(t, s, 2)
}

func TestJWKSDropsRetiredKeysAfterMaxAge(t *testing.T) {
	s := newJWKSServer(t)
	a, b := newJWK(t), newJWK(t)
	s.publish(a, b)
	j, clock := newTestJWKS(s)
	mustKey(t, j, a.Kid)

	s.publish(b)
	clock.advance(jwksMaxAge - time.Second)
	mustKey(t, j, a.Kid) // still within the age the set is trusted for
	wantFetches(t, s, 1)

	clock.advance(time.Second)
	mustUnknown(t, j, a.Kid)
	mustKey(t, j, b.Kid)
	wantFetches(t, s, 2)
}

func TestJWKSKeepsKeysWhileIdentityIsDown(t *testing.T) {
	s := newJWKSServer(t)
	a := newJWK(t)
	s.publish(a)
	j, clock := newTestJWKS(s)
	mustKey(t, j, a.Kid)

	s.fail(http.StatusServiceUnavailable)
	clock.advance(jwksMaxAge + time.Minute)
	mustKey(t, j, a.Kid)
	wantFetches(t, s, 2)
	// A key we never saw stays unknown rather than unverifiable: we have a
	// set, and it does not hold that key.
	clock.advance(jwksMinInterval)
	mustUnknown(t, j, "other")
}

func TestJWKSUnreachableIsNotAnUnknownKey(t *testing.T) {
	s := newJWKSServer(t)
	s.fail(http.StatusInternalServerError)
	j, clock := newTestJWKS(s)
	_, err := j.PublicKey(context.Background(), "k")
	if err == nil || errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("got %v, want a fetch error", err)
	}

	// Identity comes back: the next fetch after the rate limit succeeds.
	a := newJWK(t)
	s.publish(a)
	s.fail(http.StatusOK)
	if _, err := j.PublicKey(context.Background(), a.Kid); err == nil {
		t.Fatal("fetched again inside the rate limit")
	}
	clock.advance(jwksMinInterval)
	mustKey(t, j, a.Kid)
}

func TestJWKSRefusesBadDocuments(t *testing.T) {
	for name, body := range map[string]string{
		"not JSON":  "<html>",
		"too large": `{"keys":[],"pad":"` + strings.Repeat("x", jwksMaxBytes) + `"}`,
	} {
		s := newJWKSServer(t)
		s.body = body
		j, _ := newTestJWKS(s)
		if _, err := j.PublicKey(context.Background(), "k"); err == nil || errors.Is(err, ErrUnknownKey) {
			t.Errorf("%s: got %v, want a fetch error", name, err)
		}
	}
	s := newJWKSServer(t)
	j := NewJWKS(s.srv.URL+"/%zz", nil)
	if _, err := j.PublicKey(context.Background(), "k"); err == nil {
		t.Error("bad URL: want an error")
	}
}

func TestJWKSConcurrentLookupsFetchOnce(t *testing.T) {
	s := newJWKSServer(t)
	a := newJWK(t)
	s.publish(a)
	j := NewJWKS(s.srv.URL, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			if _, err := j.PublicKey(context.Background(), a.Kid); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	wantFetches(t, s, 1)
}

// A caller whose request is cancelled does not cancel the fetch the others
// are waiting for.
func TestJWKSFetchOutlivesCancelledCaller(t *testing.T) {
	s := newJWKSServer(t)
	a := newJWK(t)
	s.publish(a)
	j, _ := newTestJWKS(s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.PublicKey(ctx, a.Kid); err != nil {
		t.Fatalf("fetch failed with the caller's cancellation: %v", err)
	}
}
