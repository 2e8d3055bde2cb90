// Package upstream adapts the cart and catalog gRPC clients to the
// ports the use cases declare.
package upstream

import (
	"context"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

// Cart reads and clears the caller's cart; the caller's token travels with
// the call (grpcclient forwards it), so cart authorizes the user itself.
type Cart struct{ Client cartv1.CartServiceClient }

// Items returns the cart's lines and version.
func (c Cart) Items(ctx context.Context) ([]domain.CartItem, int64, error) {
	resp, err := c.Client.GetCart(ctx, &cartv1.GetCartRequest{})
	if err != nil {
		return nil, 0, fromStatus(err)
	}
	items := make([]domain.CartItem, 0, len(resp.GetCart().GetItems()))
	for _, it := range resp.GetCart().GetItems() {
		items = append(items, domain.CartItem{ProductID: it.GetProductId(), Quantity: it.GetQuantity()})
	}
	return items, resp.GetCart().GetVersion(), nil
}

// Clear empties the cart if it is still at version.
func (c Cart) Clear(ctx context.Context, version int64) error {
	_, err := c.Client.ClearCart(ctx, &cartv1.ClearCartRequest{IfVersion: version})
	return fromStatus(err)
}
