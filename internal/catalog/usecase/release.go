package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ReleaseStock gives a held or confirmed reservation's stock back (a failed
// checkout, a cancelled order). Releasing again, or after expiry, changes
// nothing and succeeds.
func (c *Catalog) ReleaseStock(ctx context.Context, id string) (domain.Reservation, error) {
	if err := domain.RequireID("reservationId", id); err != nil {
		return domain.Reservation{}, err
	}
	r, err := c.store.Release(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Reservation{}, apperr.NotFound("reservation", id)
	}
	if err != nil {
		return domain.Reservation{}, err
	}
	c.invalidate(r.Items)
	c.metrics.ended(domain.StatusReleased, 1)
	return r, nil
}
