package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	cartv1 "github.com/shipshape-dev/shipshape/api/cart/v1"
	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

// toProto renders a priced cart. A line whose product catalog no longer has
// carries its id and quantity only (no price, nothing available). The
// subtotal is always present; its currency is empty while no line is
// priced. A cart never changed (version 0) has no update time.
func toProto(c domain.PricedCart) *cartv1.Cart {
	out := &cartv1.Cart{
		Items:     make([]*cartv1.CartItem, len(c.Lines)),
		Subtotal:  money(c.Subtotal),
		ItemCount: c.ItemCount,
		Version:   c.Version,
	}
	if c.Version > 0 {
		out.UpdateTime = timestamppb.New(c.UpdatedAt)
	}
	for i, l := range c.Lines {
		item := &cartv1.CartItem{ProductId: l.ProductID, Quantity: l.Quantity}
		if l.Known {
			item.Slug, item.Name, item.ImageUrl = l.Product.Slug, l.Product.Name, l.Product.ImageURL
			item.UnitPrice, item.LineTotal = money(l.Product.Price), money(l.LineTotal)
			item.Available = max(l.Product.Stock, 0)
		}
		out.Items[i] = item
	}
	return out
}

func money(m domain.Money) *cartv1.Money {
	return &cartv1.Money{CurrencyCode: m.Currency, AmountMinor: m.AmountMinor}
}
