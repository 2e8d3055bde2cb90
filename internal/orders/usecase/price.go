package usecase

import (
	"context"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// price looks up every product's current price and name in catalog. A
// product catalog no longer has, or a cart mixing currencies, is a refusal.
func (s *Service) price(ctx context.Context, items []domain.CartItem) ([]domain.Line, domain.Money, error) {
	var lines []domain.Line
	var total domain.Money
	for i, it := range items {
		p, err := s.Catalog.Product(ctx, it.ProductID)
		if apperr.Is(err, apperr.KindNotFound) {
			return nil, total, refuse(&apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "a product in the cart is no longer sold",
				Fields: []apperr.FieldViolation{{Field: fmt.Sprintf("cart.items[%d].productId", i), Reason: "no such product"}}})
		}
		if err != nil {
			return nil, total, err
		}
		if total.Currency == "" {
			total.Currency = p.Price.Currency
		} else if total.Currency != p.Price.Currency {
			return nil, total, refuse(apperr.New(apperr.KindFailedPrecondition, "the cart mixes currencies"))
		}
		l := domain.Line{ProductID: p.ID, Slug: p.Slug, Name: p.Name, UnitPrice: p.Price.AmountMinor, Quantity: it.Quantity}
		total.AmountMinor += l.Total()
		lines = append(lines, l)
	}
	return lines, total, nil
}
