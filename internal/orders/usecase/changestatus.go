package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ChangeStatus moves an order along its life (admin). A cancel is recorded
// first (cancelling), then the payment is refunded and the stock released,
// and only then is the order cancelled; no lock is held while the provider
// and catalog are called. If either call fails the order stays cancelling:
// it can no longer be shipped, and repeating the cancel, or recovery,
// finishes it (both calls are idempotent).
func (s *Service) ChangeStatus(ctx context.Context, orderID string, to domain.Status) (domain.Order, error) {
	if to != domain.StatusCancelled {
		return s.setStatus(ctx, orderID, to, to)
	}
	o, err := s.setStatus(ctx, orderID, to, domain.StatusCancelling)
	if err != nil {
		return o, err
	}
	return s.finishCancel(ctx, o)
}

// setStatus stores status stored if the order may become to.
func (s *Service) setStatus(ctx context.Context, orderID string, to, stored domain.Status) (domain.Order, error) {
	o, err := s.Store.ChangeStatus(ctx, orderID, stored, func(o domain.Order) error {
		return domain.CheckTransition(o.Status, to)
	})
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Order{}, apperr.NotFound("order", orderID)
	}
	return o, err
}

// finishCancel refunds and restocks a cancelling order and cancels it; an
// order a concurrent call finished first is returned as it is.
func (s *Service) finishCancel(ctx context.Context, o domain.Order) (domain.Order, error) {
	if err := s.Payments.Refund(ctx, o.PaymentKey); err != nil && !errors.Is(err, domain.ErrNoCharge) {
		return domain.Order{}, err
	}
	if err := s.Catalog.Release(ctx, o.ReservationID); err != nil {
		return domain.Order{}, err
	}
	done, err := s.setStatus(ctx, o.ID, domain.StatusCancelled, domain.StatusCancelled)
	if apperr.Is(err, apperr.KindFailedPrecondition) {
		return s.Order(ctx, o.ID)
	}
	return done, err
}
