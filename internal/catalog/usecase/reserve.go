package usecase

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ReserveRequest holds stock for an order being placed.
type ReserveRequest struct {
	ReservationID string
	Items         []domain.StockItem
	TTLSeconds    int32 // 0: the default lifetime
}

// ReserveStock holds stock for every item or for none. The reservation id
// makes it idempotent: a replay with the same items returns the first
// result and reserves nothing more; the id with other items is refused.
func (c *Catalog) ReserveStock(ctx context.Context, req ReserveRequest) (domain.Reservation, error) {
	r, err := c.reserve(ctx, req)
	c.metrics.reserved(r.Items, err)
	return r, err
}

func (c *Catalog) reserve(ctx context.Context, req ReserveRequest) (domain.Reservation, error) {
	if err := domain.RequireID("reservationId", req.ReservationID); err != nil {
		return domain.Reservation{}, err
	}
	items, err := domain.NormalizeItems("items", req.Items)
	if err != nil {
		return domain.Reservation{}, err
	}
	ttl, err := domain.ReservationTTL("ttlSeconds", req.TTLSeconds)
	if err != nil {
		return domain.Reservation{}, err
	}
	r, err := c.store.Reserve(ctx, req.ReservationID, items, ttl)
	c.invalidate(items)
	var short *domain.ItemError
	switch {
	case errors.As(err, &short):
		return domain.Reservation{}, itemRefused(req.Items, items[short.Index].ProductID, short)
	case err != nil:
		return domain.Reservation{}, err
	case !slices.Equal(r.Items, items):
		return domain.Reservation{}, &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "reservation id already used for other items",
			Fields: []apperr.FieldViolation{{Field: "reservationId", Reason: "was used with different items"}}}
	}
	return r, nil
}

// itemRefused names the item as the caller sent it: the store saw the items
// sorted by product, so its index is mapped back to the request's order.
func itemRefused(sent []domain.StockItem, productID string, e *domain.ItemError) error {
	i := slices.IndexFunc(sent, func(it domain.StockItem) bool { return it.ProductID == productID })
	if errors.Is(e, domain.ErrNotFound) {
		return &apperr.Error{Kind: apperr.KindNotFound, Message: fmt.Sprintf("product %q not found", productID),
			Fields: []apperr.FieldViolation{{Field: fmt.Sprintf("items[%d].productId", i), Reason: "no such product"}}}
	}
	return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "insufficient stock",
		Fields: []apperr.FieldViolation{{Field: fmt.Sprintf("items[%d].quantity", i), Reason: fmt.Sprintf("only %d left", e.Left)}}}
}
