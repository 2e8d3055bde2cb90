package usecase

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/periodic"
)

// recoveryBatch is how many orders one of recovery's queries lists.
const recoveryBatch = 50

// RecoveryResult counts what one recovery pass did.
type RecoveryResult struct {
	Aborted   int // interrupted checkouts undone (stock released, charge refunded)
	Confirmed int // paid orders whose reservation was confirmed late
	Lost      int // paid orders found without their reservation, recorded
	Cancelled int // cancels that had stopped halfway, finished
	// Failed counts checkouts and orders an error kept from being handled
	// (each logged); the next pass tries them again.
	Failed int
}

// Recover finishes what crashes and outages interrupted, one checkout or
// order at a time, so that one that cannot be handled never holds up the
// others. A pending checkout whose lease ran out has no live request
// working on it (a live one renews its lease): recovery takes it over,
// releases its stock, refunds any charge and marks it aborted, so the same
// key may try again. Orders whose reservation was never confirmed get
// confirmed; one whose reservation catalog no longer holds is recorded as
// lost (and counted in MetricReservationsLost) for a person to resolve.
// Cancels that stopped halfway (an order left cancelling) are finished.
// Every step is idempotent, so passes may overlap across replicas. The
// error is for a pass that could not even list its work.
func (s *Service) Recover(ctx context.Context) (RecoveryResult, error) {
	var res RecoveryResult
	if err := s.abortStale(ctx, &res); err != nil {
		return res, err
	}
	awaiting := res.Failed
	before := s.now().Add(-afterCommitTimeout)
	err := eachOrder(ctx, before, s.Store.Unconfirmed, func(o domain.Order) { s.confirm(ctx, o, &res) })
	if err != nil {
		return res, err
	}
	s.Metrics.setAwaiting(res.Failed - awaiting)
	return res, eachOrder(ctx, before, s.Store.Cancelling, func(o domain.Order) {
		if _, err := s.finishCancel(ctx, o); err != nil {
			s.Log.WarnContext(ctx, "finishing a cancel failed; the next pass retries", "order", o.ID, "error", err)
			res.Failed++
			return
		}
		s.Log.InfoContext(ctx, "finished an interrupted cancel", "order", o.ID)
		res.Cancelled++
	})
}

// abortStale undoes every pending checkout whose lease ran out. One that
// cannot be undone now keeps recovery's fresh lease, so this pass moves on
// and a later one retries it.
func (s *Service) abortStale(ctx context.Context, res *RecoveryResult) error {
	for {
		c, err := s.Store.ClaimStale(ctx, uuid.NewString(), s.lease())
		if errors.Is(err, domain.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.abandon(ctx, c); err != nil {
			s.Log.WarnContext(ctx, "undoing an interrupted checkout failed; a later pass retries", "checkout", c.ID, "error", err)
			res.Failed++
			continue
		}
		s.Log.InfoContext(ctx, "recovered an interrupted checkout", "checkout", c.ID, "attempt", c.Attempt)
		res.Aborted++
	}
}

// eachOrder calls fn for every order list returns, a batch at a time.
func eachOrder(ctx context.Context, before time.Time, list func(context.Context, time.Time, domain.Cursor, int) ([]domain.Order, error),
	fn func(domain.Order)) error {
	var after domain.Cursor
	for {
		orders, err := list(ctx, before, after, recoveryBatch)
		if err != nil {
			return err
		}
		for _, o := range orders {
			fn(o)
		}
		if len(orders) < recoveryBatch || ctx.Err() != nil {
			return ctx.Err()
		}
		last := orders[len(orders)-1]
		after = domain.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
}

// confirm confirms one order's reservation, or records that it is gone.
func (s *Service) confirm(ctx context.Context, o domain.Order, res *RecoveryResult) {
	err := s.Catalog.Confirm(ctx, o.ReservationID)
	if reservationGone(err) {
		recorded, merr := s.Store.MarkReservationLost(ctx, o.ID)
		switch {
		case merr != nil:
			s.Log.WarnContext(ctx, "recording a lost reservation failed", "order", o.ID, "error", merr)
			res.Failed++
		case recorded:
			// Its stock went back to catalog and may be sold again.
			s.Log.ErrorContext(ctx, "paid order lost its stock reservation; needs a person", "order", o.ID, "reservation", o.ReservationID)
			s.Metrics.reservationLost()
			res.Lost++
		}
		return
	}
	if err == nil {
		err = s.Store.MarkConfirmed(ctx, o.ID)
	}
	if err != nil {
		s.Log.WarnContext(ctx, "confirming a reservation failed; the next pass retries", "order", o.ID, "error", err)
		res.Failed++
		return
	}
	res.Confirmed++
}

// reservationGone reports catalog's answer for a reservation it no longer
// holds: expired or released (FailedPrecondition), or never seen.
func reservationGone(err error) bool {
	return apperr.Is(err, apperr.KindFailedPrecondition) || apperr.Is(err, apperr.KindNotFound)
}

// RunRecovery runs Recover at start and then every interval until ctx ends.
func (s *Service) RunRecovery(ctx context.Context, interval time.Duration) {
	periodic.Every(ctx, interval, true, func(ctx context.Context) {
		res, err := s.Recover(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Log.WarnContext(ctx, "recovery pass failed", "error", err)
		case res != (RecoveryResult{}):
			s.Log.InfoContext(ctx, "recovery pass", "aborted", res.Aborted, "confirmed", res.Confirmed, "lost", res.Lost,
				"cancelled", res.Cancelled, "failed", res.Failed)
		}
	})
}
