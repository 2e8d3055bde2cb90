package usecase

import (
	"context"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// change runs one change of the user's cart:
//  1. look up, at once, the product the change is about (target, may be
//     empty) and the products already in the cart: everything catalog is
//     needed for, before anything is written;
//  2. apply op under the cart's lock; the change is saved only if the
//     resulting cart can be priced (one currency);
//  3. price the saved cart.
func (c *Carts) change(ctx context.Context, userID, target string, op func(*domain.Cart, domain.Product) error) (domain.PricedCart, error) {
	before, err := c.store.Cart(ctx, userID)
	if err != nil {
		return domain.PricedCart{}, err
	}
	ids := before.ProductIDs()
	if target != "" && !slices.Contains(ids, target) {
		ids = append(ids, target)
	}
	products, err := c.fetch(ctx, ids)
	if err != nil {
		return domain.PricedCart{}, err
	}
	var p domain.Product
	if target != "" {
		var ok bool
		if p, ok = products[target]; !ok {
			return domain.PricedCart{}, domain.UnknownProduct(target)
		}
	}
	after, err := c.store.Change(ctx, userID, func(cart *domain.Cart) error {
		if err := op(cart, p); err != nil {
			return err
		}
		_, err := domain.Price(*cart, products)
		return err
	})
	if err != nil {
		return domain.PricedCart{}, err
	}
	return c.price(ctx, after, products)
}
