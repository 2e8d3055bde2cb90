package usecase_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// isInvalidRefresh reports the one answer for every unusable token.
func isInvalidRefresh(err error) bool {
	ae := apperr.As(err)
	return ae.Kind == apperr.KindUnauthenticated && ae.Message == "invalid refresh token"
}

func TestRefreshRotates(t *testing.T) {
	e := setup(t, options{})
	u := e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	if _, err := e.pool.Exec(t.Context(), `UPDATE users SET roles = '{customer,admin}'`); err != nil {
		t.Fatal(err)
	}
	second, err := e.id.Refresh(t.Context(), first.Refresh)
	if err != nil || second.Refresh == first.Refresh || second.Access == "" {
		t.Fatalf("refresh: %+v %v", second, err)
	}
	third, err := e.id.Refresh(t.Context(), second.Refresh)
	if err != nil || third.Refresh == second.Refresh {
		t.Fatalf("refresh of the successor: %v", err)
	}
	if n := e.count(t, `SELECT count(DISTINCT family_id) FROM refresh_tokens WHERE user_id = $1`, u.ID); n != 1 {
		t.Fatalf("%d families, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); n != 1 {
		t.Fatalf("%d live tokens, want 1", n)
	}
	if got := e.counter(t, "identity_token_refreshes_total", "ok"); got != 2 {
		t.Fatalf("ok refreshes counted %v", got)
	}
}

func TestReuseRevokesTheFamilyOnly(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	other := e.signIn(t, "ada@example.org") // another device
	second, err := e.id.Refresh(t.Context(), first.Refresh)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	_, err = e.id.Refresh(t.Context(), first.Refresh)
	if !isInvalidRefresh(err) || !errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("replay: %v", err)
	}
	if _, err := e.id.Refresh(t.Context(), second.Refresh); !isInvalidRefresh(err) || errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("successor after theft: %v, want plain invalid", err)
	}
	if _, err := e.id.Refresh(t.Context(), other.Refresh); err != nil {
		t.Fatalf("other session: %v", err)
	}
	if got := e.counter(t, "identity_token_refreshes_total", "reused"); got != 1 {
		t.Fatalf("reuse counted %v", got)
	}
}

func TestRefreshRefusesUnknownExpiredMalformedAndMissing(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	live := e.signIn(t, "ada@example.org")
	for _, tok := range []string{strings.Repeat("A", 43), "garbage"} {
		if _, err := e.id.Refresh(t.Context(), tok); !isInvalidRefresh(err) {
			t.Errorf("%q: %v", tok, err)
		}
	}
	if _, err := e.id.Refresh(t.Context(), ""); apperr.As(err).Kind != apperr.KindInvalidArgument {
		t.Fatalf("missing: %v", err)
	}
	e.clock.Advance(time.Hour) // RefreshTTL
	if _, err := e.id.Refresh(t.Context(), live.Refresh); !isInvalidRefresh(err) {
		t.Fatalf("expired: %v", err)
	}
	if got := e.counter(t, "identity_token_refreshes_total", "invalid"); got != 4 {
		t.Fatalf("invalid refreshes counted %v", got)
	}
}

func TestSignOut(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	second, _ := e.id.Refresh(t.Context(), first.Refresh)
	for range 2 { // idempotent, and any token of the family ends it
		if err := e.id.SignOut(t.Context(), first.Refresh); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.id.Refresh(t.Context(), second.Refresh)
	if !isInvalidRefresh(err) || errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("refresh after sign-out: %v", err)
	}
	// Unknown and malformed tokens sign out "successfully": no oracle.
	for _, tok := range []string{strings.Repeat("A", 43), "not-a-token"} {
		if err := e.id.SignOut(t.Context(), tok); err != nil {
			t.Fatalf("%q: %v", tok, err)
		}
	}
	if err := e.id.SignOut(t.Context(), ""); apperr.As(err).Kind != apperr.KindInvalidArgument {
		t.Fatalf("missing: %v", err)
	}
}

func TestConcurrentRefreshWithOneTokenSucceedsOnce(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = e.id.Refresh(t.Context(), first.Refresh)
		})
	}
	close(start)
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !isInvalidRefresh(err):
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d refreshes succeeded, want exactly 1", ok)
	}
	if c := e.count(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); c != 0 {
		t.Fatalf("%d tokens still live: the losers presented a rotated token", c)
	}
}

func TestSweepDeletesLongExpiredTokensAndIdleCounters(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	e.signIn(t, "ada@example.org") // the refresh token expires in an hour
	_, _ = e.id.SignIn(t.Context(), usecase.Credentials{Email: "ada@example.org", Password: "wrong password", Client: clientA})
	if n, err := e.id.Sweep(t.Context()); err != nil || n != (usecase.Swept{}) {
		t.Fatalf("swept %+v %v; nothing is old enough", n, err)
	}
	e.clock.Advance(time.Hour + 24*time.Hour + time.Second)
	// The failure counters of the account and the address went idle.
	if n, err := e.id.Sweep(t.Context()); err != nil || n != (usecase.Swept{RefreshTokens: 1, SignInFailures: 2}) {
		t.Fatalf("swept %+v %v", n, err)
	}
}
