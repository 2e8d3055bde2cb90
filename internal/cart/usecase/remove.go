package usecase

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// Remove deletes a product's line from the user's cart. The product itself
// is not looked up (it may be gone from catalog); the rest of the cart is,
// for the response.
func (c *Carts) Remove(ctx context.Context, userID, productID string) (domain.PricedCart, error) {
	if err := domain.ValidateProductID(productID); err != nil {
		return domain.PricedCart{}, err
	}
	return c.change(ctx, userID, "", func(cart *domain.Cart, _ domain.Product) error {
		return cart.Remove(productID)
	})
}
