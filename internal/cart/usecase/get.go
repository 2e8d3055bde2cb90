package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// Get returns the user's cart, priced by catalog now.
func (c *Carts) Get(ctx context.Context, userID string) (domain.PricedCart, error) {
	cart, err := c.store.Cart(ctx, userID)
	if err != nil {
		return domain.PricedCart{}, err
	}
	return c.price(ctx, cart, nil)
}
