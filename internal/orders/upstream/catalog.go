package upstream

import (
	"context"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// reservationTTL gives a checkout's reservation ample time: it is confirmed
// right after the order commits, or by recovery within seconds.
const reservationTTL = 30 * 60

// Catalog prices products and reserves stock in catalog.
type Catalog struct {
	Client catalogv1.CatalogServiceClient
}

// Product returns a product's current name and price.
func (c Catalog) Product(ctx context.Context, id string) (usecase.Product, error) {
	resp, err := c.Client.GetProduct(ctx, &catalogv1.GetProductRequest{IdOrSlug: id})
	if err != nil {
		return usecase.Product{}, fromServiceStatus(err)
	}
	p := resp.GetProduct()
	return usecase.Product{ID: p.GetId(), Slug: p.GetSlug(), Name: p.GetName(),
		Price: domain.Money{Currency: p.GetPrice().GetCurrencyCode(), AmountMinor: p.GetPrice().GetAmountMinor()}}, nil
}

// Reserve takes stock for items under reservationID (idempotent).
func (c Catalog) Reserve(ctx context.Context, reservationID string, items []domain.CartItem) error {
	req := &catalogv1.ReserveStockRequest{ReservationId: reservationID, TtlSeconds: reservationTTL}
	for _, it := range items {
		req.Items = append(req.Items, &catalogv1.StockItem{ProductId: it.ProductID, Quantity: it.Quantity})
	}
	_, err := c.Client.ReserveStock(ctx, req)
	return fromServiceStatus(err)
}

// Confirm makes the reservation permanent.
func (c Catalog) Confirm(ctx context.Context, reservationID string) error {
	_, err := c.Client.ConfirmReservation(ctx, &catalogv1.ConfirmReservationRequest{ReservationId: reservationID})
	return fromServiceStatus(err)
}

// Release gives the stock back; a reservation catalog never saw (the crash
// came before it arrived) counts as released.
func (c Catalog) Release(ctx context.Context, reservationID string) error {
	_, err := c.Client.ReleaseStock(ctx, &catalogv1.ReleaseStockRequest{ReservationId: reservationID})
	if err = fromServiceStatus(err); apperr.Is(err, apperr.KindNotFound) {
		return nil
	}
	return err
}
