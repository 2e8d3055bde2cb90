package usecase

import (
	"errors"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// refusal is a final "no" to a checkout: the cart cannot be bought as it is
// (a product no longer sold, mixed currencies, not enough stock) or the card
// was declined. It is recorded with the key and replayed to every later
// request; any other error is transient and the key may try again.
type refusal struct{ err *apperr.Error }

func refuse(err *apperr.Error) *refusal { return &refusal{err: err} }

func (r *refusal) Error() string { return r.err.Error() }

// Unwrap lets transports see the client-facing error.
func (r *refusal) Unwrap() error { return r.err }

// asRefusal reports whether err is a refusal.
func asRefusal(err error) (*refusal, bool) {
	var r *refusal
	return r, errors.As(err, &r)
}

// stockRefusal turns catalog's final answers to a reservation (not enough
// stock, an unknown product) into a refusal; transient errors pass as they
// are.
func stockRefusal(err error) error {
	if apperr.Is(err, apperr.KindFailedPrecondition) || apperr.Is(err, apperr.KindNotFound) {
		e := apperr.As(err)
		return refuse(&apperr.Error{Kind: apperr.KindFailedPrecondition, Message: "not enough stock: " + e.Message, Fields: e.Fields})
	}
	return err
}
