package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// Clear empties the user's cart; with ifVersion > 0 only if it is still at
// that version (orders clears exactly what it checked out). A cleared cart
// is empty and needs no catalog; one left as it was is priced as usual.
func (c *Carts) Clear(ctx context.Context, userID string, ifVersion int64) (domain.PricedCart, bool, error) {
	if err := domain.ValidateIfVersion(ifVersion); err != nil {
		return domain.PricedCart{}, false, err
	}
	cart, cleared, err := c.store.Clear(ctx, userID, ifVersion)
	if err != nil {
		return domain.PricedCart{}, false, err
	}
	priced, err := c.price(ctx, cart, nil)
	return priced, cleared, err
}
