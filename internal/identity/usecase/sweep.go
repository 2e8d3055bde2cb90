package usecase

import (
	"context"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// expiredRetention is how long expired refresh tokens are kept, for
// investigating a theft report.
const expiredRetention = 24 * time.Hour

// sweepBatch bounds one delete statement.
const sweepBatch = 1000

// Swept is what one sweep deleted.
type Swept struct {
	RefreshTokens  int // expired for longer than expiredRetention
	SuccessorSeals int // of tokens rotated longer ago than the grace
	SignInFailures int // counters left alone for the throttle's window
}

// Sweep deletes rows that no longer matter. Every replica may run it:
// concurrent deletes of the same rows are harmless.
func (id *Identity) Sweep(ctx context.Context) (Swept, error) {
	now := id.Now()
	var s Swept
	var err error
	s.RefreshTokens, err = periodic.Drain(ctx, sweepBatch, func(ctx context.Context, limit int) (int, error) {
		return id.Store.DeleteExpiredRefreshTokens(ctx, now.Add(-expiredRetention), limit)
	})
	if err != nil {
		return s, err
	}
	s.SuccessorSeals, err = periodic.Drain(ctx, sweepBatch, func(ctx context.Context, limit int) (int, error) {
		return id.Store.DeleteSuccessorSeals(ctx, now.Add(-id.RefreshGrace), limit)
	})
	if err != nil {
		return s, err
	}
	s.SignInFailures, err = periodic.Drain(ctx, sweepBatch, func(ctx context.Context, limit int) (int, error) {
		return id.Store.DeleteSignInFailures(ctx, id.Throttle.ForgetBefore(now), limit)
	})
	return s, err
}
