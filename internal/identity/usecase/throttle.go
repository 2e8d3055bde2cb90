package usecase

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"time"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Throttled is the answer while a sign-in is refused: the same whether or
// not the account exists, and given before any password is checked.
func Throttled(wait time.Duration) error {
	return &apperr.Error{Kind: apperr.KindResourceExhausted, RetryAfter: wait,
		Message: fmt.Sprintf("too many failed sign-ins; try again in %d seconds", int(math.Ceil(wait.Seconds())))}
}

// errBlocked makes ChangeSignInFailures roll back a refused attempt.
var errBlocked = errors.New("sign-in blocked")

// throttleKeys are the counters one sign-in touches: the account, and the
// client address when it is known.
func throttleKeys(email string, client netip.Addr) []domain.ThrottleKey {
	keys := []domain.ThrottleKey{{Kind: domain.ThrottleAccount, Key: email}}
	if key := clientKey(client); key != "" {
		keys = append(keys, domain.ThrottleKey{Kind: domain.ThrottleAddress, Key: key})
	}
	return keys
}

// countAttempt counts a sign-in attempt on every key before its password
// is checked, or refuses it, counting nothing, while any key is blocked.
// Counting first means a burst of concurrent guesses cannot all slip
// through before the first failure is recorded.
func (id *Identity) countAttempt(ctx context.Context, keys []domain.ThrottleKey) error {
	var wait time.Duration
	var by string
	err := id.Store.ChangeSignInFailures(ctx, keys, func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
		now := id.Now()
		next := make([]domain.SignInFailures, len(cur))
		for i, c := range cur {
			var blocked time.Duration
			next[i], blocked = id.Throttle.Attempt(c, now)
			if blocked > wait {
				wait, by = blocked, c.Key.Kind
			}
		}
		if wait > 0 {
			return nil, errBlocked
		}
		return next, nil
	})
	if errors.Is(err, errBlocked) {
		id.Metrics.throttled.WithLabelValues(by).Inc()
		return Throttled(wait)
	}
	return err
}

// takeBack undoes the counted attempt of a successful sign-in. A failure
// is only logged: the sign-in stands, and the counter ages out.
func (id *Identity) takeBack(ctx context.Context, keys []domain.ThrottleKey) {
	err := id.Store.ChangeSignInFailures(ctx, keys, func(cur []domain.SignInFailures) ([]domain.SignInFailures, error) {
		for i, c := range cur {
			cur[i] = id.Throttle.Succeeded(c)
		}
		return cur, nil
	})
	if err != nil {
		id.Logger.WarnContext(ctx, "sign-in failure counters not reset", "error", err)
	}
}
