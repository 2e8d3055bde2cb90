package checkout

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
	var order domain.Order
	var failure error
	var placed bool       // this request created the order (not a replay)
	var cartVersion int64 // the cart version that was checked out
	err = s.Store.WithCheckout(ctx, userID, key, func(t *store.CheckoutTx) error {
		if t.C.RequestHash != card.Fingerprint() {
			failure = &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "this Idempotency-Key was used for a different request",
				Fields: []apperr.FieldViolation{{Field: domain.IdempotencyKeyField, Reason: "already used with another card"}}}
			return nil
		}
		switch t.C.Status {
		case store.CheckoutCompleted:
			order, err = t.Order(ctx)
			return err
		case store.CheckoutFailed:
			failure = t.C.Failure
			return nil
		case store.CheckoutAborted:
			if err := t.Retry(ctx); err != nil {
				return err
			}
		}
		order, failure, err = s.process(ctx, t, card)
		placed, cartVersion = err == nil && failure == nil, t.C.CartVersion
		return err
	})
	switch {
	case err != nil:
		return domain.Order{}, err
	case failure != nil:
		return domain.Order{}, failure
	}
	if placed {
		s.afterCommit(ctx, order, cartVersion)
	}
	return order, nil
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
	return s.Store.CreateCheckout(ctx, store.Checkout{ID: uuid.NewString(), UserID: userID, Key: key,
		RequestHash: card.Fingerprint(), ReservationID: uuid.NewString(), CartVersion: version, Items: items})
}

// process runs a pending attempt: price, reserve, charge, write. A final
// failure is recorded (and returned as failure) after undoing what was
// done; an unexpected error rolls back and leaves the attempt pending, for
// a retry with the same key or for recovery.
func (s *Service) process(ctx context.Context, t *store.CheckoutTx, card domain.Card) (domain.Order, error, error) {
	c := t.C
	lines, total, failure, err := s.price(ctx, c.Items)
	if err != nil || failure != nil {
		return domain.Order{}, s.fail(ctx, t, failure), err
	}
	if err := s.Catalog.Reserve(ctx, c.ReservationID, c.Items); err != nil {
		if final := finalFailure(err); final != nil {
			return domain.Order{}, s.fail(ctx, t, final), nil
		}
		return domain.Order{}, nil, err
	}
	s.failpoint("after-reserve")

	charge, err := s.Payments.Charge(ctx, payment.ChargeRequest{IdempotencyKey: c.PaymentKey(), Amount: total, Card: card})
	if err != nil {
		return domain.Order{}, s.paymentFailed(ctx, t, err), nil
	}
	s.failpoint("after-charge")

	order := domain.Order{ID: uuid.NewString(), UserID: c.UserID, Status: domain.StatusPaid, Lines: lines, Total: total,
		CardLast4: card.Last4(), PaymentID: charge.ID, PaymentKey: c.PaymentKey(), ReservationID: c.ReservationID}
	if err := t.Complete(ctx, order); err != nil {
		// The transaction rolls back and the attempt stays pending:
		// recovery releases the stock and refunds the charge.
		return domain.Order{}, nil, err
	}
	order.CreatedAt, order.UpdatedAt = s.now(), s.now()
	return order, nil, nil
}

// price looks up every product's current price and name in catalog.
func (s *Service) price(ctx context.Context, items []domain.CartItem) ([]domain.Line, domain.Money, error, error) {
	var lines []domain.Line
	var total domain.Money
	for i, it := range items {
		p, err := s.Catalog.Product(ctx, it.ProductID)
		if apperr.Is(err, apperr.KindNotFound) {
			return nil, total, &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "a product in the cart is no longer sold",
				Fields: []apperr.FieldViolation{{Field: fmt.Sprintf("cart.items[%d].productId", i), Reason: "no such product"}}}, nil
		}
		if err != nil {
			return nil, total, nil, err
		}
		if total.Currency == "" {
			total.Currency = p.Price.Currency
		} else if total.Currency != p.Price.Currency {
			return nil, total, apperr.New(apperr.KindFailedPrecondition, "the cart mixes currencies"), nil
		}
		l := domain.Line{ProductID: p.ID, Slug: p.Slug, Name: p.Name, UnitPrice: p.Price.AmountMinor, Quantity: it.Quantity}
		total.AmountMinor += l.Total()
		lines = append(lines, l)
	}
	return lines, total, nil, nil
}

// paymentFailed undoes the reservation. A decline is final for this key; any
// other error leaves the charge's fate unknown, so it is refunded by key and
// the attempt aborted: the same key may then try again.
func (s *Service) paymentFailed(ctx context.Context, t *store.CheckoutTx, err error) error {
	var declined *payment.DeclinedError
	if errors.As(err, &declined) {
		if rerr := s.Catalog.Release(ctx, t.C.ReservationID); rerr != nil {
			return rerr // stays pending: recovery releases it
		}
		return s.fail(ctx, t, &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "the payment was declined: " + declined.Reason,
			Fields: []apperr.FieldViolation{{Field: "card", Reason: declined.Reason}}})
	}
	s.Log.WarnContext(ctx, "charge failed; undoing the attempt", "checkout", t.C.ID, "error", err)
	if uerr := s.undo(ctx, t); uerr != nil {
		return apperr.Unavailable(uerr)
	}
	return apperr.Unavailable(fmt.Errorf("payment provider: %w", err))
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

// fail records a final failure; it returns the failure, or the database
// error that prevented recording it.
func (s *Service) fail(ctx context.Context, t *store.CheckoutTx, failure error) error {
	if failure == nil {
		return nil
	}
	if err := t.Fail(ctx, apperr.As(failure)); err != nil {
		return err
	}
	return failure
}

// finalFailure is the error to record when catalog refused the reservation
// for good (not enough stock, unknown product); nil for transient errors.
func finalFailure(err error) error {
	if apperr.Is(err, apperr.KindFailedPrecondition) || apperr.Is(err, apperr.KindNotFound) {
		e := apperr.As(err)
		return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "not enough stock: " + e.Message, Fields: e.Fields}
	}
	return nil
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
