package usecase

import (
	"context"
	"errors"
	"fmt"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// ConfirmReservation makes a held reservation permanent; confirming again
// is fine. A reservation past its expiry cannot be confirmed: it expires on
// the spot, its stock goes back, and the call is refused.
func (c *Catalog) ConfirmReservation(ctx context.Context, id string) (domain.Reservation, error) {
	if err := domain.RequireID("reservationId", id); err != nil {
		return domain.Reservation{}, err
	}
	r, err := c.store.Confirm(ctx, id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Reservation{}, apperr.NotFound("reservation", id)
	}
	if err != nil {
		return domain.Reservation{}, err
	}
	c.invalidate(r.Items) // a late confirm expired it and restocked
	if r.Status != domain.StatusConfirmed {
		return domain.Reservation{}, notHeld(r)
	}
	c.metrics.ended(domain.StatusConfirmed, 1)
	return r, nil
}

// notHeld refuses a change of a reservation that is already over.
func notHeld(r domain.Reservation) error {
	return &apperr.Error{Kind: apperr.KindFailedPrecondition, Message: fmt.Sprintf("reservation is %s", r.Status),
		Fields: []apperr.FieldViolation{{Field: "reservationId", Reason: "is " + string(r.Status)}}}
}
