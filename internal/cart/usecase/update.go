package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// Update sets the quantity of a line already in the user's cart.
func (c *Carts) Update(ctx context.Context, userID, productID string, qty int32) (domain.PricedCart, error) {
	if err := domain.ValidateItem(productID, qty); err != nil {
		return domain.PricedCart{}, err
	}
	return c.change(ctx, userID, productID, func(cart *domain.Cart, p domain.Product) error {
		return cart.Set(p, qty)
	})
}
