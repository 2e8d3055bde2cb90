package usecase

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

const (
	// afterCommitTimeout bounds confirming the reservation and clearing
	// the cart once the order is safe; recovery finishes the confirmation
	// otherwise.
	afterCommitTimeout = 5 * time.Second
	// waitLimit bounds how long a request waits for another request with
	// the same key to finish.
	waitLimit = 30 * time.Second
	// Waiting polls the checkout, from pollFirst doubling up to pollMax.
	pollFirst = 10 * time.Millisecond
	pollMax   = 250 * time.Millisecond
)

// Place checks out the user's cart under an idempotency key, exactly once:
// the first request with a key claims the checkout and does the work; a
// concurrent request with the key waits for it and returns the same order
// (or the same failure), and so does every later one. A claim is a lease on
// the checkout's row, not a lock: no database connection is held while
// catalog and the payment provider are called. Nothing is written for
// invalid input or an empty cart.
func (s *Service) Place(ctx context.Context, userID, key string, card domain.Card) (domain.Order, error) {
	if err := domain.ValidateIdempotencyKey(key); err != nil {
		return domain.Order{}, err
	}
	card, err := domain.NormalizeCard(card, s.now())
	if err != nil {
		return domain.Order{}, err
	}
	// A turn among the checkouts calling upstream, given back while
	// waiting for another request with the key.
	t := &turn{s: s}
	if err := t.take(ctx); err != nil {
		return domain.Order{}, err
	}
	defer t.give()
	c, claimed, err := s.begin(ctx, userID, key, card)
	if err != nil {
		return domain.Order{}, err
	}
	if !card.MatchesFingerprint(c.RequestHash) {
		return domain.Order{}, &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "this Idempotency-Key was used for a different request",
			Fields: []apperr.FieldViolation{{Field: domain.IdempotencyKeyField, Reason: "already used with another card"}}}
	}
	return s.follow(ctx, c, claimed, card, t)
}

// follow drives the checkout c to its outcome: the attempt this request
// claimed, a replay, a new attempt, or waiting for another request's.
func (s *Service) follow(ctx context.Context, c domain.Checkout, claimed bool, card domain.Card, t *turn) (domain.Order, error) {
	give := time.Now().Add(waitLimit)
	poll := pollFirst
	for {
		var order domain.Order
		var settled bool
		var err error
		if claimed {
			order, settled, err = s.attempt(ctx, c, card)
			claimed = false
		} else {
			order, settled, err = s.advance(ctx, c, card)
		}
		switch {
		case settled:
			return order, err
		case errors.Is(err, errLeaseLost) || errors.Is(err, domain.ErrLeaseLost):
			// Another claim got there first: wait for its outcome.
		case err != nil:
			return domain.Order{}, err
		case time.Now().After(give):
			return domain.Order{}, apperr.New(apperr.KindAborted, "a checkout with this Idempotency-Key is still in progress; retry later")
		default:
			t.give()
			if err := sleep(ctx, poll); err != nil {
				return domain.Order{}, err
			}
			if err := t.take(ctx); err != nil {
				return domain.Order{}, err
			}
			poll = min(2*poll, pollMax)
		}
		if c, err = s.Store.FindCheckout(ctx, c.UserID, c.Key); err != nil {
			return domain.Order{}, err
		}
	}
}

// begin returns the key's checkout, creating it when this is the first
// request with the key: then it is recorded and claimed (claimed true)
// before anything else happens, so that a crash from here on leaves a row
// for recovery. The cart is read once, here.
func (s *Service) begin(ctx context.Context, userID, key string, card domain.Card) (c domain.Checkout, claimed bool, err error) {
	c, err = s.Store.FindCheckout(ctx, userID, key)
	if !errors.Is(err, domain.ErrNotFound) {
		return c, false, err
	}
	items, version, err := s.Cart.Items(ctx)
	if err != nil {
		return c, false, err
	}
	if len(items) == 0 {
		return c, false, &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "the cart is empty",
			Fields: []apperr.FieldViolation{{Field: "cart", Reason: "has no items to order"}}}
	}
	c = domain.Checkout{ID: uuid.NewString(), UserID: userID, Key: key, RequestHash: card.Fingerprint(), Status: domain.CheckoutPending,
		Attempt: 1, ReservationID: uuid.NewString(), CartVersion: version, Items: items, LeaseOwner: uuid.NewString()}
	created, err := s.Store.CreateCheckout(ctx, c, s.lease())
	if err != nil || created {
		return c, created, err
	}
	c, err = s.Store.FindCheckout(ctx, userID, key) // a concurrent request created it
	return c, false, err
}

// advance moves a checkout this request has not claimed on as far as it
// can: it returns the outcome once the checkout is settled (settled true);
// otherwise the caller waits and reads the checkout again.
func (s *Service) advance(ctx context.Context, c domain.Checkout, card domain.Card) (domain.Order, bool, error) {
	switch {
	case c.Status == domain.CheckoutCompleted:
		o, err := s.Order(ctx, c.OrderID)
		return o, true, err
	case c.Status == domain.CheckoutFailed:
		return domain.Order{}, true, c.Failure
	case c.Status == domain.CheckoutAborted:
		next, err := s.Store.StartAttempt(ctx, c.ID, uuid.NewString(), uuid.NewString(), s.lease())
		if err != nil {
			return domain.Order{}, false, err
		}
		return s.attempt(ctx, next, card)
	case c.LeaseExpired:
		// The request working on it died: undo its attempt, then try again.
		taken, err := s.Store.TakeOver(ctx, c.ID, uuid.NewString(), s.lease())
		if err == nil {
			err = s.abandon(ctx, taken)
		}
		return domain.Order{}, false, err
	}
	return domain.Order{}, false, nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
