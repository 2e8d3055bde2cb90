package servicetoken

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc/metadata"
)

// fakeIdentity issues numbered tokens of a fixed lifetime, or fails.
type fakeIdentity struct {
	calls   atomic.Int32
	fail    atomic.Bool
	release chan struct{} // if set, each fetch waits for it
}

func (f *fakeIdentity) fetch(ctx context.Context) (Token, error) {
	if f.release != nil {
		<-f.release
	}
	n := f.calls.Add(1)
	if f.fail.Load() {
		return Token{}, errors.New("identity down")
	}
	if _, leaked := metadata.FromIncomingContext(ctx); leaked {
		return Token{}, errors.New("the caller's incoming metadata reached the fetch")
	}
	return Token{Value: "token-" + string(rune('0'+n)), ExpiresIn: 10 * time.Minute}, nil
}

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newSource(f *fakeIdentity) (*Source, *clock) {
	c := &clock{now: time.Unix(1_800_000_000, 0)}
	s := NewSource(f.fetch)
	s.now = c.Now
	return s, c
}

func mustToken(t *testing.T, s *Source, ctx context.Context) string {
	t.Helper()
	tok, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestSourceCachesUntilHalfTheLifetime(t *testing.T) {
	f := &fakeIdentity{}
	s, c := newSource(f)
	// A caller's incoming metadata (its end user's token) must not reach
	// identity with the fetch.
	ctx := metadata.NewIncomingContext(t.Context(), metadata.Pairs("authorization", "Bearer user"))
	if got := mustToken(t, s, ctx); got != "token-1" {
		t.Fatalf("first token %q", got)
	}
	c.Add(4*time.Minute + 59*time.Second)
	if got := mustToken(t, s, ctx); got != "token-1" || f.calls.Load() != 1 {
		t.Fatalf("before half-life: %q after %d fetches, want the cached token-1", got, f.calls.Load())
	}
	c.Add(time.Second)
	if got := mustToken(t, s, ctx); got != "token-2" || f.calls.Load() != 2 {
		t.Fatalf("at half-life: %q after %d fetches, want a fresh token-2", got, f.calls.Load())
	}
}

func TestSourceKeepsAValidTokenWhileIdentityIsDown(t *testing.T) {
	f := &fakeIdentity{}
	s, c := newSource(f)
	mustToken(t, s, t.Context())
	f.fail.Store(true)
	c.Add(9 * time.Minute) // past half-life, more than 30s before expiry
	if got := mustToken(t, s, t.Context()); got != "token-1" {
		t.Fatalf("while identity is down: %q, want the still-valid token-1", got)
	}
	c.Add(31 * time.Second) // within 30s of expiry: no longer sent
	if tok, err := s.Token(t.Context()); err == nil {
		t.Fatalf("an expiring token was handed out: %q", tok)
	}
	f.fail.Store(false)
	if got := mustToken(t, s, t.Context()); got == "token-1" {
		t.Fatal("identity is back but the old token is still used")
	}
}

func TestSourceSharesOneFetchBetweenConcurrentCalls(t *testing.T) {
	f := &fakeIdentity{release: make(chan struct{})}
	s, _ := newSource(f)
	var wg sync.WaitGroup
	got := make([]string, 20)
	for i := range got {
		wg.Go(func() { got[i] = mustToken(t, s, t.Context()) })
	}
	time.AfterFunc(50*time.Millisecond, func() { close(f.release) })
	wg.Wait()
	for i, tok := range got {
		if tok != got[0] {
			t.Fatalf("call %d got %q, call 0 got %q", i, tok, got[0])
		}
	}
	if n := f.calls.Load(); n > 2 {
		t.Fatalf("%d fetches for 20 concurrent calls, want them shared", n)
	}
}

func TestSourceCallerGivingUpWithoutAToken(t *testing.T) {
	f := &fakeIdentity{release: make(chan struct{})}
	defer close(f.release)
	s, _ := newSource(f)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the caller's deadline", err)
	}
}
