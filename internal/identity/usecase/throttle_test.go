package usecase_test

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// attempt signs in and reports the error kind (-1 for success).
func (e *env) attempt(t *testing.T, email, password string, client netip.Addr) (apperr.Kind, error) {
	t.Helper()
	_, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: email, Password: password, Client: client})
	if err == nil {
		return -1, nil
	}
	return apperr.As(err).Kind, err
}

func TestAccountIsBlockedAfterItsFreeFailures(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	for i := range 3 {
		// From different addresses: the account's counter is what matters.
		client := netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)})
		if kind, err := e.attempt(t, "ada@example.org", "wrong password", client); kind != apperr.KindUnauthenticated {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	verifies := e.verifies.Load()
	for _, pw := range []string{"wrong password", goodPassword} {
		kind, err := e.attempt(t, "ada@example.org", pw, clientB)
		wait := apperr.As(err).RetryAfter
		if kind != apperr.KindResourceExhausted || wait != time.Minute ||
			apperr.As(err).Message != "too many failed sign-ins; try again in 60 seconds" {
			t.Fatalf("blocked account, %q: %v (wait %s)", pw, err, wait)
		}
	}
	if e.verifies.Load() != verifies {
		t.Fatal("a refused sign-in checked a password")
	}
	// Another account from the same addresses is not affected.
	e.signUp(t, "bob@example.org")
	if kind, err := e.attempt(t, "bob@example.org", goodPassword, clientB); kind != -1 {
		t.Fatalf("other account: %v", err)
	}
	e.clock.Advance(59 * time.Second)
	if _, err := e.attempt(t, "ada@example.org", goodPassword, clientA); !apperr.Is(err, apperr.KindResourceExhausted) {
		t.Fatalf("before the backoff ends: %v", err)
	}
	e.clock.Advance(time.Second)
	if kind, err := e.attempt(t, "ada@example.org", goodPassword, clientA); kind != -1 {
		t.Fatalf("after the backoff: %v", err)
	}
	// The success cleared the account's counter: three free failures again.
	for i := range 3 {
		if kind, err := e.attempt(t, "ada@example.org", "wrong password", clientA); kind != apperr.KindUnauthenticated {
			t.Fatalf("failure %d after the reset: %v", i+1, err)
		}
	}
	if got := e.counter(t, "identity_signins_throttled_total", "account"); got != 3 {
		t.Fatalf("throttled sign-ins counted %v", got)
	}
	if got := e.counter(t, "identity_signins_total", "throttled"); got != 3 {
		t.Fatalf("throttled outcome counted %v", got)
	}
}

func TestBackoffDoublesPerFurtherFailure(t *testing.T) {
	e := setup(t, options{})
	for range 3 {
		_, _ = e.attempt(t, "ada@example.org", "wrong password", clientA)
	}
	for _, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 8 * time.Minute} {
		_, err := e.attempt(t, "ada@example.org", "wrong password", clientA)
		if wait := apperr.As(err).RetryAfter; wait != want {
			t.Fatalf("wait %s, want %s (%v)", wait, want, err)
		}
		e.clock.Advance(want)
		if kind, err := e.attempt(t, "ada@example.org", "wrong password", clientA); kind != apperr.KindUnauthenticated {
			t.Fatalf("after waiting %s: %v", want, err)
		}
	}
}

// An unknown e-mail is counted and refused exactly like an account, so the
// refusal tells nothing about which accounts exist.
func TestUnknownAccountIsThrottledTheSame(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	refusal := func(email string) *apperr.Error {
		for range 3 {
			_, _ = e.attempt(t, email, "wrong password", clientA)
		}
		_, err := e.attempt(t, email, "wrong password", clientA)
		return apperr.As(err)
	}
	known, unknown := refusal("ada@example.org"), refusal("nobody@example.org")
	if known.Kind != apperr.KindResourceExhausted || known.Kind != unknown.Kind || known.Message != unknown.Message ||
		len(known.Fields) != 0 || len(unknown.Fields) != 0 {
		t.Fatalf("known %v, unknown %v", known, unknown)
	}
}

func TestAddressIsBlockedAcrossAccounts(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	// Six accounts guessed once each, from one IPv6 /64.
	for i, email := range []string{"u1@example.org", "u2@example.org", "u3@example.org", "u4@example.org", "u5@example.org", "u6@example.org"} {
		client := clientA6
		if i%2 == 1 {
			client = clientB6
		}
		if kind, err := e.attempt(t, email, "wrong password", client); kind != apperr.KindUnauthenticated {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	if _, err := e.attempt(t, "ada@example.org", goodPassword, clientB6); !apperr.Is(err, apperr.KindResourceExhausted) {
		t.Fatalf("same /64: %v", err)
	}
	if kind, err := e.attempt(t, "ada@example.org", goodPassword, clientA); kind != -1 {
		t.Fatalf("another address: %v", err)
	}
	if got := e.counter(t, "identity_signins_throttled_total", "address"); got != 1 {
		t.Fatalf("throttled by address counted %v", got)
	}
}

func TestSuccessGivesBackTheAddressAttempt(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	for i := range 5 {
		_, _ = e.attempt(t, "guess"+string(rune('a'+i))+"@example.org", "wrong password", clientA)
	}
	// Five failures, one short of the allowance: successes from the same
	// address (users behind one NAT) do not use it up.
	for range 3 {
		if kind, err := e.attempt(t, "ada@example.org", goodPassword, clientA); kind != -1 {
			t.Fatal(err)
		}
	}
	if n := e.count(t, `SELECT failures FROM signin_failures WHERE kind = 'address' AND key = $1`, clientA.String()); n != 5 {
		t.Fatalf("address failures %d, want 5", n)
	}
}

// Concurrent guesses are counted before any password is checked, so a
// burst cannot all slip through while the first ones are still hashing.
func TestConcurrentGuessesAreCountedFirst(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	const n = 10
	kinds := make([]apperr.Kind, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			kinds[i], _ = e.attempt(t, "ada@example.org", "wrong password", netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}))
		})
	}
	close(start)
	wg.Wait()
	checked, refused := 0, 0
	for _, k := range kinds {
		switch k {
		case apperr.KindUnauthenticated:
			checked++
		case apperr.KindResourceExhausted:
			refused++
		}
	}
	if checked != 3 || refused != n-3 || e.verifies.Load() != 3 {
		t.Fatalf("checked %d, refused %d, verifications %d; want 3, %d, 3", checked, refused, e.verifies.Load(), n-3)
	}
}
