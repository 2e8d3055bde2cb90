package usecase

import (
	"context"
	"errors"
	"time"

	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// RecoveryResult counts what one recovery pass repaired.
type RecoveryResult struct {
	Aborted   int // interrupted checkouts undone (stock released, charge refunded)
	Confirmed int // paid orders whose reservation was confirmed late
}

// Recover finishes what crashes and outages interrupted. A checkout still
// pending after grace has no live request working on it (a live one holds
// its row lock): its stock is released, any charge refunded, and it is
// marked aborted so the same key may try again. Orders whose reservation
// was never confirmed get confirmed. Every step is idempotent, so passes may
// overlap across replicas.
func (s *Service) Recover(ctx context.Context, grace time.Duration) (RecoveryResult, error) {
	var res RecoveryResult
	var err error
	res.Aborted, err = s.Store.StalePending(ctx, s.now().Add(-grace), 50, func(t *store.CheckoutTx) error {
		if err := s.Catalog.Release(ctx, t.C.ReservationID); err != nil {
			return err
		}
		if err := s.Payments.Refund(ctx, t.C.PaymentKey()); err != nil && !errors.Is(err, payment.ErrNoCharge) {
			return err
		}
		s.Log.InfoContext(ctx, "recovered an interrupted checkout", "checkout", t.C.ID, "attempt", t.C.Attempt)
		return t.Abort(ctx)
	})
	if err != nil {
		return res, err
	}
	orders, err := s.Store.Unconfirmed(ctx, s.now().Add(-afterCommitTimeout), 50)
	if err != nil {
		return res, err
	}
	for _, o := range orders {
		if err := s.Catalog.Confirm(ctx, o.ReservationID); err != nil {
			if apperr.Is(err, apperr.KindFailedPrecondition) {
				// The reservation expired before anyone confirmed it: its
				// stock went back and may be sold again. Needs a person.
				s.Log.ErrorContext(ctx, "paid order lost its stock reservation", "order", o.ID, "reservation", o.ReservationID)
			}
			return res, err
		}
		if err := s.Store.MarkConfirmed(ctx, o.ID); err != nil {
			return res, err
		}
		res.Confirmed++
	}
	return res, nil
}

// RunRecovery runs Recover at start and then every interval until ctx ends.
func (s *Service) RunRecovery(ctx context.Context, grace, interval time.Duration) {
	periodic.Every(ctx, interval, true, func(ctx context.Context) {
		res, err := s.Recover(ctx, grace)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.WarnContext(ctx, "recovery pass failed", "error", err)
		case res.Aborted+res.Confirmed > 0:
			s.Log.InfoContext(ctx, "recovery pass", "aborted", res.Aborted, "confirmed", res.Confirmed)
		}
	})
}
