package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
)

var (
	accountKey = domain.ThrottleKey{Kind: domain.ThrottleAccount, Key: "ada@example.org"}
	addressKey = domain.ThrottleKey{Kind: domain.ThrottleAddress, Key: "192.0.2.7"}
)

func TestChangeSignInFailuresStoresWhatChangeReturns(t *testing.T) {
	s, pool := newStore(t)
	at := time.Now().Truncate(time.Microsecond)
	var seen []domain.SignInFailures
	err := s.ChangeSignInFailures(t.Context(), []domain.ThrottleKey{addressKey, accountKey},
		func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
			seen = cur
			next := make([]domain.SignInFailures, len(cur))
			for i, c := range cur {
				next[i] = domain.SignInFailures{Key: c.Key, Failures: 2, LastAt: at, BlockedUntil: at.Add(time.Minute)}
			}
			return next, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	// New counters start at zero, in one order whatever the caller's.
	if len(seen) != 2 || seen[0].Key != accountKey || seen[1].Key != addressKey || seen[0].Failures != 0 ||
		!seen[0].LastAt.IsZero() || !seen[0].BlockedUntil.IsZero() {
		t.Fatalf("first look: %+v", seen)
	}
	_ = s.ChangeSignInFailures(t.Context(), []domain.ThrottleKey{accountKey},
		func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
			seen = cur
			return nil, nil
		})
	if len(seen) != 1 || seen[0].Failures != 2 || !seen[0].LastAt.Equal(at) || !seen[0].BlockedUntil.Equal(at.Add(time.Minute)) {
		t.Fatalf("stored: %+v", seen)
	}
	// An error rolls back, even the creation of new counters.
	refused := errors.New("refused")
	other := domain.ThrottleKey{Kind: domain.ThrottleAccount, Key: "bob@example.org"}
	err = s.ChangeSignInFailures(t.Context(), []domain.ThrottleKey{other},
		func([]domain.SignInFailures) ([]domain.SignInFailures, error) { return nil, refused })
	if !errors.Is(err, refused) || count(t, pool, `SELECT count(*) FROM signin_failures`) != 2 {
		t.Fatalf("refusal: %v", err)
	}
}

func TestConcurrentChangesApplyOneAfterAnother(t *testing.T) {
	s, _ := newStore(t)
	const n = 10
	var wg sync.WaitGroup
	for i := range n {
		// Opposite key orders must not deadlock.
		keys := []domain.ThrottleKey{accountKey, addressKey}
		if i%2 == 1 {
			keys = []domain.ThrottleKey{addressKey, accountKey}
		}
		wg.Go(func() {
			err := s.ChangeSignInFailures(t.Context(), keys, func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
				for i := range cur {
					cur[i].Failures++
					cur[i].LastAt = time.Now()
				}
				return cur, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_ = s.ChangeSignInFailures(t.Context(), []domain.ThrottleKey{accountKey, addressKey},
		func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
			if cur[0].Failures != n || cur[1].Failures != n {
				t.Errorf("counts %+v, want %d each: an increment was lost", cur, n)
			}
			return nil, nil
		})
}

func TestDeleteSignInFailures(t *testing.T) {
	s, pool := newStore(t)
	now := time.Now()
	set := func(k domain.ThrottleKey, last, blocked time.Time) {
		_ = s.ChangeSignInFailures(t.Context(), []domain.ThrottleKey{k}, func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
			return []domain.SignInFailures{{Key: k, Failures: 1, LastAt: last, BlockedUntil: blocked}}, nil
		})
	}
	set(accountKey, now.Add(-2*time.Hour), time.Time{})
	set(addressKey, now, now.Add(time.Minute))
	set(domain.ThrottleKey{Kind: domain.ThrottleAccount, Key: "old@example.org"}, now.Add(-3*time.Hour), now.Add(-3*time.Hour))
	n, err := s.DeleteSignInFailures(t.Context(), now.Add(-time.Hour), 100)
	if err != nil || n != 2 || count(t, pool, `SELECT count(*) FROM signin_failures WHERE key = '192.0.2.7'`) != 1 {
		t.Fatalf("deleted %d %v; want the 2 old counters", n, err)
	}
}
