package usecase

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// afterCommitTimeout bounds confirming the reservation and clearing the cart
// once the order is safe; recovery finishes the confirmation otherwise.
const afterCommitTimeout = 5 * time.Second

// outcome is how a request with a key ends once its transaction commits:
// an order (placed now or replayed), or an answer refusing it (a recorded
// or replayed final failure, or an aborted attempt's Unavailable).
type outcome struct {
	order  domain.Order
	answer error
	// placed: this request created the order, from the cart at cartVersion.
	placed      bool
	cartVersion int64
}

// Place checks out the user's cart under an idempotency key. The first
// request with a key does the work while holding the checkout's row lock;
// concurrent and later requests with the key wait for it and return the
// same order (or the same failure). Nothing is written for invalid input or
// an empty cart.
func (s *Service) Place(ctx context.Context, userID, key string, card domain.Card) (domain.Order, error) {
	if err := domain.ValidateIdempotencyKey(key); err != nil {
		return domain.Order{}, err
	}
	card, err := domain.NormalizeCard(card, s.now())
	if err != nil {
		return domain.Order{}, err
	}
	if err := s.begin(ctx, userID, key, card); err != nil {
		return domain.Order{}, err
	}
	var out outcome
	err = s.Store.WithCheckout(ctx, userID, key, func(t *store.CheckoutTx) error {
		var err error
		out, err = s.settle(ctx, t, card)
		return err
	})
	switch {
	case err != nil:
		return domain.Order{}, err
	case out.answer != nil:
		return domain.Order{}, out.answer
	}
	if out.placed {
		s.afterCommit(ctx, out.order, out.cartVersion)
	}
	return out.order, nil
}

// begin records the attempt before anything else happens, so that a crash
// from here on leaves a row for recovery. The cart is read once, here.
func (s *Service) begin(ctx context.Context, userID, key string, card domain.Card) error {
	if _, found, err := s.Store.FindCheckout(ctx, userID, key); err != nil || found {
		return err
	}
	items, version, err := s.Cart.Items(ctx)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "the cart is empty",
			Fields: []apperr.FieldViolation{{Field: "cart", Reason: "has no items to order"}}}
	}
	return s.Store.CreateCheckout(ctx, domain.Checkout{ID: uuid.NewString(), UserID: userID, Key: key,
		RequestHash: card.Fingerprint(), ReservationID: uuid.NewString(), CartVersion: version, Items: items})
}

// settle answers from the locked checkout: a replay of what was decided
// before, or a new attempt.
func (s *Service) settle(ctx context.Context, t *store.CheckoutTx, card domain.Card) (outcome, error) {
	if t.C.RequestHash != card.Fingerprint() {
		return outcome{answer: &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "this Idempotency-Key was used for a different request",
			Fields: []apperr.FieldViolation{{Field: domain.IdempotencyKeyField, Reason: "already used with another card"}}}}, nil
	}
	switch t.C.Status {
	case domain.CheckoutCompleted:
		o, err := t.Order(ctx)
		return outcome{order: o}, err
	case domain.CheckoutFailed:
		return outcome{answer: t.C.Failure}, nil
	case domain.CheckoutAborted:
		if err := t.Retry(ctx); err != nil {
			return outcome{}, err
		}
	}
	return s.process(ctx, t, card)
}

// process runs a pending attempt: price, reserve, charge, write. A refusal
// is recorded after undoing what was done; an unexpected error rolls back
// and leaves the attempt pending, for a retry with the same key or for
// recovery.
func (s *Service) process(ctx context.Context, t *store.CheckoutTx, card domain.Card) (outcome, error) {
	c := t.C
	lines, total, err := s.price(ctx, c.Items)
	if err != nil {
		return s.record(ctx, t, err)
	}
	if err := s.Catalog.Reserve(ctx, c.ReservationID, c.Items); err != nil {
		return s.record(ctx, t, stockRefusal(err))
	}
	s.failpoint("after-reserve")

	charge, err := s.Payments.Charge(ctx, payment.ChargeRequest{IdempotencyKey: c.PaymentKey(), Amount: total, Card: card})
	if err != nil {
		return s.paymentFailed(ctx, t, err)
	}
	s.failpoint("after-charge")

	order := domain.Order{ID: uuid.NewString(), UserID: c.UserID, Status: domain.StatusPaid, Lines: lines, Total: total,
		CardLast4: card.Last4(), PaymentID: charge.ID, PaymentKey: c.PaymentKey(), ReservationID: c.ReservationID}
	if err := t.Complete(ctx, order); err != nil {
		// The transaction rolls back and the attempt stays pending:
		// recovery releases the stock and refunds the charge.
		return outcome{}, err
	}
	order.CreatedAt, order.UpdatedAt = s.now(), s.now()
	return outcome{order: order, placed: true, cartVersion: c.CartVersion}, nil
}

// record stores a refusal as the key's final answer; any other error rolls
// the transaction back.
func (s *Service) record(ctx context.Context, t *store.CheckoutTx, err error) (outcome, error) {
	r, ok := asRefusal(err)
	if !ok {
		return outcome{}, err
	}
	if err := t.Fail(ctx, r.err); err != nil {
		return outcome{}, err
	}
	return outcome{answer: r}, nil
}

// paymentFailed undoes the reservation. A decline is final for this key; any
// other error leaves the charge's fate unknown, so it is refunded by key and
// the attempt aborted: the same key may then try again.
func (s *Service) paymentFailed(ctx context.Context, t *store.CheckoutTx, err error) (outcome, error) {
	var declined *payment.DeclinedError
	if errors.As(err, &declined) {
		if err := s.Catalog.Release(ctx, t.C.ReservationID); err != nil {
			return outcome{}, err // stays pending: recovery releases it
		}
		return s.record(ctx, t, refuse(&apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "the payment was declined: " + declined.Reason,
			Fields: []apperr.FieldViolation{{Field: "card", Reason: declined.Reason}}}))
	}
	s.Log.WarnContext(ctx, "charge failed; undoing the attempt", "checkout", t.C.ID, "error", err)
	if uerr := s.undo(ctx, t); uerr != nil {
		return outcome{}, apperr.Unavailable(uerr)
	}
	return outcome{answer: apperr.Unavailable(fmt.Errorf("payment provider: %w", err))}, nil
}

// undo releases the attempt's stock, refunds its charge if one exists, and
// marks it aborted.
func (s *Service) undo(ctx context.Context, t *store.CheckoutTx) error {
	if err := s.Catalog.Release(ctx, t.C.ReservationID); err != nil {
		return err
	}
	if err := s.Payments.Refund(ctx, t.C.PaymentKey()); err != nil && !errors.Is(err, payment.ErrNoCharge) {
		return err
	}
	return t.Abort(ctx)
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
