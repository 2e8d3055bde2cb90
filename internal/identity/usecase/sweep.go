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

// Sweep deletes refresh tokens expired for longer than expiredRetention and
// returns how many. Every replica may run it: concurrent deletes of the
// same rows are harmless.
func (id *Identity) Sweep(ctx context.Context) (int, error) {
	before := id.Now().Add(-expiredRetention)
	return periodic.Drain(ctx, sweepBatch, func(ctx context.Context, limit int) (int, error) {
		return id.Store.DeleteExpiredRefreshTokens(ctx, before, limit)
	})
}
