package usecase

import (
	"context"
	"time"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// ExpireDue expires up to limit held reservations whose time passed by asOf
// and returns their stock; it reports how many it expired, so a sweeper
// calls it until fewer than limit come back.
func (c *Catalog) ExpireDue(ctx context.Context, asOf time.Time, limit int) (int, error) {
	n, err := c.store.ExpireDue(ctx, asOf, limit)
	if n > 0 {
		// Which products got stock back is not worth a query: expiry is rare
		// and the cache refills within its TTL.
		c.cache.InvalidateAll()
		c.metrics.ended(domain.StatusExpired, n)
	}
	return n, err
}
