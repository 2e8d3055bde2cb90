package usecase_test

import (
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
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
	second, err := e.id.Refresh(t.Context(), first.Refresh, clientA)
	if err != nil || second.Refresh == first.Refresh || second.Access == "" {
		t.Fatalf("refresh: %+v %v", second, err)
	}
	third, err := e.id.Refresh(t.Context(), second.Refresh, clientA)
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
	second, err := e.id.Refresh(t.Context(), first.Refresh, clientA)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	_, err = e.id.Refresh(t.Context(), first.Refresh, clientA)
	if !isInvalidRefresh(err) || !errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("replay: %v", err)
	}
	if _, err := e.id.Refresh(t.Context(), second.Refresh, clientA); !isInvalidRefresh(err) || errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("successor after theft: %v, want plain invalid", err)
	}
	if _, err := e.id.Refresh(t.Context(), other.Refresh, clientA); err != nil {
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
		if _, err := e.id.Refresh(t.Context(), tok, clientA); !isInvalidRefresh(err) {
			t.Errorf("%q: %v", tok, err)
		}
	}
	if _, err := e.id.Refresh(t.Context(), "", clientA); apperr.As(err).Kind != apperr.KindInvalidArgument {
		t.Fatalf("missing: %v", err)
	}
	e.clock.Advance(time.Hour) // RefreshTTL
	if _, err := e.id.Refresh(t.Context(), live.Refresh, clientA); !isInvalidRefresh(err) {
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
	second, _ := e.id.Refresh(t.Context(), first.Refresh, clientA)
	for range 2 { // idempotent, and any token of the family ends it
		if err := e.id.SignOut(t.Context(), first.Refresh); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.id.Refresh(t.Context(), second.Refresh, clientA)
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

// refreshAtOnce presents token n times concurrently from client.
func (e *env) refreshAtOnce(t *testing.T, token string, client netip.Addr, n int) ([]domain.Tokens, []error) {
	t.Helper()
	toks, errs := make([]domain.Tokens, n), make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			toks[i], errs[i] = e.id.Refresh(t.Context(), token, client)
		})
	}
	close(start)
	wg.Wait()
	return toks, errs
}

// Two replicas of one client (a storefront) refreshing one session at once
// both get the same successor, and the session goes on.
func TestConcurrentRefreshFromOneClientKeepsTheSession(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	toks, errs := e.refreshAtOnce(t, first.Refresh, clientA, 2)
	if errs[0] != nil || errs[1] != nil || toks[0].Refresh != toks[1].Refresh || toks[0].Access == "" || toks[1].Access == "" {
		t.Fatalf("refreshes: %v %v", errs, toks)
	}
	if got := e.counter(t, "identity_token_refreshes_total", "ok") + e.counter(t, "identity_token_refreshes_total", "replayed"); got != 2 {
		t.Fatalf("ok + replayed counted %v", got)
	}
	e.clock.Advance(time.Minute)
	next, err := e.id.Refresh(t.Context(), toks[0].Refresh, clientA)
	if err != nil {
		t.Fatalf("the shared successor: %v", err)
	}
	if _, err := e.id.Refresh(t.Context(), next.Refresh, clientA); err != nil {
		t.Fatalf("the session does not go on: %v", err)
	}
}

// The grace is one repeat: a third presentation is theft.
func TestGraceServesOneRepeat(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	second, err := e.id.Refresh(t.Context(), first.Refresh, clientA)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Second) // the grace's last instant
	again, err := e.id.Refresh(t.Context(), first.Refresh, clientA)
	if err != nil || again.Refresh != second.Refresh {
		t.Fatalf("repeat within the grace: %v (same successor: %v)", err, again.Refresh == second.Refresh)
	}
	if _, err := e.id.Refresh(t.Context(), first.Refresh, clientA); !errors.Is(err, usecase.ErrRefreshReused) {
		t.Fatalf("second repeat: %v", err)
	}
	if _, err := e.id.Refresh(t.Context(), second.Refresh, clientA); !isInvalidRefresh(err) {
		t.Fatalf("successor after the theft: %v", err)
	}
}

func TestRepeatOutsideTheGraceRevokesTheFamily(t *testing.T) {
	cases := map[string]struct {
		grace  time.Duration
		later  time.Duration
		first  netip.Addr
		repeat netip.Addr
	}{
		"after the grace":           {10 * time.Second, 10*time.Second + time.Microsecond, clientA, clientA},
		"from another client":       {10 * time.Second, 0, clientA, clientB},
		"from an unknown client":    {10 * time.Second, 0, netip.Addr{}, netip.Addr{}},
		"with the grace turned off": {0, 0, clientA, clientA},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := setup(t, options{deps: func(d *usecase.Deps) { d.RefreshGrace = tc.grace }})
			e.signUp(t, "ada@example.org")
			first := e.signIn(t, "ada@example.org")
			second, err := e.id.Refresh(t.Context(), first.Refresh, tc.first)
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(tc.later)
			if _, err := e.id.Refresh(t.Context(), first.Refresh, tc.repeat); !errors.Is(err, usecase.ErrRefreshReused) {
				t.Fatalf("repeat: %v, want reuse", err)
			}
			if _, err := e.id.Refresh(t.Context(), second.Refresh, tc.first); !isInvalidRefresh(err) {
				t.Fatalf("successor: %v, want it revoked", err)
			}
		})
	}
}

func TestRepeatFromTheSameIPv6NetworkIsTheSameClient(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	second, _ := e.id.Refresh(t.Context(), first.Refresh, clientA6)
	if again, err := e.id.Refresh(t.Context(), first.Refresh, clientB6); err != nil || again.Refresh != second.Refresh {
		t.Fatalf("repeat from the same /64: %v", err)
	}
}

// Many concurrent presentations: at most the rotation and one repeat
// succeed, with one successor, and the rest end the session.
func TestConcurrentRefreshBurstEndsTheSession(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	first := e.signIn(t, "ada@example.org")
	toks, errs := e.refreshAtOnce(t, first.Refresh, clientA, 8)
	successors := map[string]bool{}
	for i, err := range errs {
		switch {
		case err == nil:
			successors[toks[i].Refresh] = true
		case !isInvalidRefresh(err):
			t.Errorf("unexpected error %v", err)
		}
	}
	if len(successors) != 1 {
		t.Fatalf("%d different successors, want 1", len(successors))
	}
	if c := e.count(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); c != 0 {
		t.Fatalf("%d tokens still live", c)
	}
}

func TestSweepDeletesWhatNoLongerMatters(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	rotated := e.signIn(t, "ada@example.org") // its tokens expire in an hour
	if _, err := e.id.Refresh(t.Context(), rotated.Refresh, clientA); err != nil {
		t.Fatal(err)
	}
	_, _ = e.id.SignIn(t.Context(), usecase.Credentials{Email: "ada@example.org", Password: "wrong password", Client: clientA})
	if n, err := e.id.Sweep(t.Context()); err != nil || n != (usecase.Swept{}) {
		t.Fatalf("swept %+v %v; nothing is old enough", n, err)
	}
	e.clock.Advance(11 * time.Second) // past the grace
	if n, err := e.id.Sweep(t.Context()); err != nil || n != (usecase.Swept{SuccessorSeals: 1}) {
		t.Fatalf("swept %+v %v, want the seal", n, err)
	}
	e.clock.Advance(time.Hour + 24*time.Hour)
	// Both tokens expired a day ago; the account's and the address's
	// failure counters went idle.
	if n, err := e.id.Sweep(t.Context()); err != nil || n != (usecase.Swept{RefreshTokens: 2, SignInFailures: 2}) {
		t.Fatalf("swept %+v %v", n, err)
	}
}

// However often a session refreshes, it ends its lifetime after the
// sign-in (3 h here, with tokens living 1 h).
func TestSessionEndsAtItsMaxLifetime(t *testing.T) {
	e := setup(t, options{})
	e.signUp(t, "ada@example.org")
	signedIn := e.clock.Now()
	tok := e.signIn(t, "ada@example.org")
	for range 3 {
		e.clock.Advance(50 * time.Minute)
		next, err := e.id.Refresh(t.Context(), tok.Refresh, clientA)
		if err != nil {
			t.Fatalf("refresh after %s: %v", e.clock.Now().Sub(signedIn), err)
		}
		tok = next
	}
	// Refreshed at 2h30: the new token lives until 3h, not 3h30.
	if n := e.count(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND expires_at = $1`, signedIn.Add(3*time.Hour)); n != 1 {
		t.Fatal("the last token outlives its session")
	}
	// The lifetime is checked itself, not only through the token's expiry
	// (tokens issued before it existed, or under a longer setting).
	if _, err := e.pool.Exec(t.Context(), `UPDATE refresh_tokens SET expires_at = expires_at + interval '1 day'`); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute) // 3h
	if _, err := e.id.Refresh(t.Context(), tok.Refresh, clientA); !isInvalidRefresh(err) {
		t.Fatalf("refresh at the session's end: %v", err)
	}
}
