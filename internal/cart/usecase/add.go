package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// Add adds qty units of a product to the user's cart (see domain.Cart.Add).
func (c *Carts) Add(ctx context.Context, userID, productID string, qty int32) (domain.PricedCart, error) {
	if err := domain.ValidateItem(productID, qty); err != nil {
		return domain.PricedCart{}, err
	}
	return c.change(ctx, userID, productID, func(cart *domain.Cart, p domain.Product) error {
		return cart.Add(p, qty)
	})
}
