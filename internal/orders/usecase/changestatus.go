package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ChangeStatus moves an order along its life (admin). Cancelling refunds the
// payment and then releases the stock, while the order row is locked; if
// either fails the order stays paid and the call can be repeated, since
// both steps are idempotent.
func (s *Service) ChangeStatus(ctx context.Context, orderID string, to domain.Status) (domain.Order, error) {
	o, err := s.Store.ChangeStatus(ctx, orderID, to, func(o domain.Order) error {
		if err := domain.CheckTransition(o.Status, to); err != nil {
			return err
		}
		if to != domain.StatusCancelled {
			return nil
		}
		if err := s.Payments.Refund(ctx, o.PaymentKey); err != nil && !errors.Is(err, payment.ErrNoCharge) {
			return err
		}
		return s.Catalog.Release(ctx, o.ReservationID)
	})
	if errors.Is(err, store.ErrNotFound) {
		return domain.Order{}, apperr.NotFound("order", orderID)
	}
	return o, err
}
