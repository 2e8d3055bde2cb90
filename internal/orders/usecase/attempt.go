package usecase

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// attempt runs the attempt c this request claimed, and returns the outcome
// for the client (settled), or errLeaseLost (not settled) when another
// claim took the checkout over meanwhile: the caller then waits for that
// one's outcome.
func (s *Service) attempt(ctx context.Context, c domain.Checkout, card domain.Card) (domain.Order, bool, error) {
	order, err := s.runClaimed(ctx, c, card)
	if errors.Is(err, errLeaseLost) || errors.Is(err, domain.ErrLeaseLost) {
		s.Log.WarnContext(ctx, "checkout taken over while in progress", "checkout", c.ID, "attempt", c.Attempt)
		s.afterTakeOver(ctx, c)
		return domain.Order{}, false, errLeaseLost
	}
	if err != nil {
		return domain.Order{}, true, err
	}
	s.afterCommit(ctx, order, c.CartVersion)
	return order, true, nil
}

// runClaimed processes c while keeping its lease.
func (s *Service) runClaimed(ctx context.Context, c domain.Checkout, card domain.Card) (domain.Order, error) {
	work, h := s.hold(ctx, c)
	defer h.release()
	order, err := s.process(work, c, card)
	if err == nil {
		return order, nil
	}
	switch cause := context.Cause(work); {
	case errors.Is(cause, errLeaseLost):
		return domain.Order{}, errLeaseLost
	case errors.Is(cause, errLeaseExpired):
		return domain.Order{}, apperr.Unavailable(fmt.Errorf("%w: %w", errLeaseExpired, err))
	}
	return domain.Order{}, err
}

// process runs a claimed attempt: price, reserve, charge, write the order.
// Every write checks the claim still holds (domain.ErrLeaseLost otherwise).
// A refusal is recorded as the key's answer, after undoing what was done;
// after any other error the attempt is undone and aborted, so the same key
// may try again.
func (s *Service) process(ctx context.Context, c domain.Checkout, card domain.Card) (domain.Order, error) {
	lines, total, err := s.price(ctx, c.Items)
	if err != nil {
		return domain.Order{}, s.end(ctx, c, err)
	}
	if err := s.Catalog.Reserve(ctx, c.ReservationID, c.Items); err != nil {
		return domain.Order{}, s.end(ctx, c, stockRefusal(err))
	}
	s.failpoint("after-reserve")

	charge, err := s.Payments.Charge(ctx, domain.ChargeRequest{IdempotencyKey: c.PaymentKey(), Amount: total, Card: card})
	if err != nil {
		return domain.Order{}, s.paymentFailed(ctx, c, err)
	}
	s.failpoint("after-charge")

	order := domain.Order{ID: uuid.NewString(), UserID: c.UserID, Status: domain.StatusPaid, Lines: lines, Total: total,
		CardLast4: card.Last4(), PaymentID: charge.ID, PaymentKey: c.PaymentKey(), ReservationID: c.ReservationID}
	if err := s.Store.Complete(ctx, c, order); err != nil {
		return domain.Order{}, s.end(ctx, c, err)
	}
	order.CreatedAt, order.UpdatedAt = s.now(), s.now()
	return order, nil
}

// end finishes an attempt that err stopped and returns what the client
// gets: a refusal is recorded as the key's answer; any other error undoes
// and aborts the attempt (giveUp). A lost claim is left to the claim that
// took over.
func (s *Service) end(ctx context.Context, c domain.Checkout, err error) error {
	if errors.Is(err, domain.ErrLeaseLost) {
		return err
	}
	if r, ok := asRefusal(err); ok {
		if ferr := s.Store.Fail(ctx, c, r.err); ferr != nil {
			return ferr // stays pending: recovery aborts it, and a retry refuses again
		}
		return r
	}
	s.giveUp(ctx, c)
	return err
}

// paymentFailed undoes the reservation. A decline is final for this key; any
// other error leaves the charge's fate unknown, so it is refunded by key and
// the attempt aborted: the same key may then try again.
func (s *Service) paymentFailed(ctx context.Context, c domain.Checkout, err error) error {
	var declined *domain.DeclinedError
	if errors.As(err, &declined) {
		if err := s.Catalog.Release(ctx, c.ReservationID); err != nil {
			return err // stays pending: once its lease runs out, recovery releases it
		}
		return s.end(ctx, c, refuse(&apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "the payment was declined: " + declined.Reason,
			Fields: []apperr.FieldViolation{{Field: "card", Reason: declined.Reason}}}))
	}
	s.Log.WarnContext(ctx, "charge failed; undoing the attempt", "checkout", c.ID, "error", err)
	s.giveUp(ctx, c)
	return apperr.Unavailable(fmt.Errorf("payment provider: %w", err))
}

// giveUp undoes and aborts an attempt that a transient error interrupted,
// with a context of its own (the request's may be what ended), so that the
// same key can try again at once. It does so only while the claim still
// holds: an attempt taken over is the taker's to undo. If undoing fails,
// the attempt stays pending until its lease runs out, and recovery or the
// next request with the key undoes it.
func (s *Service) giveUp(ctx context.Context, c domain.Checkout) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), afterCommitTimeout)
	defer cancel()
	err := s.Store.RenewLease(ctx, c, s.lease())
	if err == nil {
		err = s.abandon(ctx, c)
	}
	if err != nil && !errors.Is(err, domain.ErrLeaseLost) {
		s.Log.WarnContext(ctx, "undoing an interrupted attempt failed; recovery will", "checkout", c.ID, "error", err)
	}
}

// abandon undoes the claimed attempt c and marks it aborted.
func (s *Service) abandon(ctx context.Context, c domain.Checkout) error {
	if err := s.undo(ctx, c); err != nil {
		return err
	}
	return s.Store.Abort(ctx, c)
}

// undo releases an attempt's stock and refunds its charge, if any. Both are
// idempotent and belong to this attempt alone.
func (s *Service) undo(ctx context.Context, c domain.Checkout) error {
	if err := s.Catalog.Release(ctx, c.ReservationID); err != nil {
		return err
	}
	if err := s.Payments.Refund(ctx, c.PaymentKey()); err != nil && !errors.Is(err, domain.ErrNoCharge) {
		return err
	}
	return nil
}

// afterTakeOver runs when another claim took over the attempt c of this
// request. The taker undoes the attempt it found, but a call of this
// request may have reserved or charged after that; so once the checkout
// shows the attempt abandoned (aborted, or a later attempt started), c's
// reservation and charge are undone again. If instead the attempt was
// completed (by an older version of orders working on the same row during
// a rolling update), they belong to that order and stay.
func (s *Service) afterTakeOver(ctx context.Context, c domain.Checkout) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), waitLimit)
	defer cancel()
	for poll := pollFirst; ; poll = min(2*poll, pollMax) {
		now, err := s.Store.FindCheckout(ctx, c.UserID, c.Key)
		switch {
		case err != nil:
			s.Log.WarnContext(ctx, "checking a taken-over attempt failed", "checkout", c.ID, "error", err)
			return
		case now.Attempt > c.Attempt || now.Status == domain.CheckoutAborted:
			if err := s.undo(ctx, c); err != nil {
				s.Log.WarnContext(ctx, "undoing a taken-over attempt failed", "checkout", c.ID, "attempt", c.Attempt, "error", err)
			}
			return
		case now.Status != domain.CheckoutPending:
			return
		}
		if sleep(ctx, poll) != nil {
			s.Log.WarnContext(ctx, "gave up waiting for a taken-over attempt to be undone", "checkout", c.ID)
			return
		}
	}
}

// afterCommit confirms the reservation and clears the checked-out cart.
// Neither may fail the order, which is already paid and stored.
func (s *Service) afterCommit(ctx context.Context, o domain.Order, cartVersion int64) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), afterCommitTimeout)
	defer cancel()
	if err := s.Catalog.Confirm(ctx, o.ReservationID); err != nil {
		s.Log.WarnContext(ctx, "confirming reservation failed; recovery will retry", "order", o.ID, "error", err)
	} else if err := s.Store.MarkConfirmed(ctx, o.ID); err != nil {
		s.Log.WarnContext(ctx, "recording confirmation failed", "order", o.ID, "error", err)
	}
	if err := s.Cart.Clear(ctx, cartVersion); err != nil {
		s.Log.WarnContext(ctx, "clearing the cart failed", "order", o.ID, "error", err)
	}
}
