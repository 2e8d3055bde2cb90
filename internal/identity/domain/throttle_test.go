package domain_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

var policy = domain.ThrottlePolicy{AccountAllowance: 3, AddressAllowance: 10, Backoff: time.Second,
	MaxBackoff: 10 * time.Second, Window: time.Hour}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::ffff":   "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
	} {
		if got := domain.AddressKey(netip.MustParseAddr(in)); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestWaitDoublesUpToTheMaximum(t *testing.T) {
	want := map[int]time.Duration{0: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second, 6: 8 * time.Second,
		7: 10 * time.Second, 1000: 10 * time.Second}
	for failures, w := range want {
		if got := policy.Wait(failures, 3); got != w {
			t.Errorf("%d failures: wait %s, want %s", failures, got, w)
		}
	}
	if got := (domain.ThrottlePolicy{}).Wait(100, 0); got != 0 {
		t.Errorf("the zero policy waits %s", got)
	}
}

func TestAttemptCountsBlocksAndForgets(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := domain.SignInFailures{Key: domain.ThrottleKey{Kind: domain.ThrottleAccount, Key: "ada@example.org"}}
	for i := 1; i <= 3; i++ {
		next, blocked := policy.Attempt(c, now)
		if blocked != 0 || next.Failures != i || !next.LastAt.Equal(now) {
			t.Fatalf("attempt %d: %+v blocked %s", i, next, blocked)
		}
		c = next
	}
	// The third failure used up the allowance: refused for a second.
	if !c.BlockedUntil.Equal(now.Add(time.Second)) {
		t.Fatalf("blocked until %v", c.BlockedUntil)
	}
	same, blocked := policy.Attempt(c, now.Add(400*time.Millisecond))
	if blocked != 600*time.Millisecond || same != c {
		t.Fatalf("blocked attempt: %+v %s", same, blocked)
	}
	c, blocked = policy.Attempt(c, now.Add(time.Second))
	if blocked != 0 || c.Failures != 4 || !c.BlockedUntil.Equal(now.Add(3*time.Second)) {
		t.Fatalf("after the wait: %+v %s", c, blocked)
	}
	// A quiet window later the count starts again.
	later := now.Add(2 * time.Hour)
	c, blocked = policy.Attempt(c, later)
	if blocked != 0 || c.Failures != 1 || !c.BlockedUntil.IsZero() {
		t.Fatalf("after the window: %+v %s", c, blocked)
	}
}

func TestSucceededTakesTheAttemptBack(t *testing.T) {
	blockedUntil := time.Now().Add(time.Minute)
	account := domain.SignInFailures{Key: domain.ThrottleKey{Kind: domain.ThrottleAccount}, Failures: 3, BlockedUntil: blockedUntil}
	if got := policy.Succeeded(account); got.Failures != 0 || !got.BlockedUntil.IsZero() {
		t.Fatalf("account: %+v", got)
	}
	address := domain.SignInFailures{Key: domain.ThrottleKey{Kind: domain.ThrottleAddress}, Failures: 10, BlockedUntil: blockedUntil}
	if got := policy.Succeeded(address); got.Failures != 9 || !got.BlockedUntil.IsZero() {
		t.Fatalf("address at its allowance: %+v", got)
	}
	address.Failures = 12
	if got := policy.Succeeded(address); got.Failures != 11 || !got.BlockedUntil.Equal(blockedUntil) {
		t.Fatalf("address past its allowance keeps its block: %+v", got)
	}
}
