// Package payment is how orders takes money. Provider is the seam where a
// real payment service plugs in; Simulated is the built-in stand-in.
package payment

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

// ChargeRequest asks for an amount. IdempotencyKey makes a retried charge
// return the first result instead of charging twice.
type ChargeRequest struct {
	IdempotencyKey string
	Amount         domain.Money
	Card           domain.Card
}

// Charge is a captured payment.
type Charge struct {
	ID     string
	Amount domain.Money
}

// DeclinedError is a refusal by the card issuer: final for this card.
type DeclinedError struct{ Reason string }

func (e *DeclinedError) Error() string { return "payment declined: " + e.Reason }

// ErrNoCharge is returned by Refund when no charge exists for the key.
var ErrNoCharge = errors.New("payment: no charge for this key")

// Provider charges and refunds. Both calls are idempotent by key; any error
// other than *DeclinedError leaves the outcome unknown, so callers refund by
// key to be sure no money is kept.
type Provider interface {
	Charge(ctx context.Context, req ChargeRequest) (Charge, error)
	// Refund returns the charge made with idempotencyKey; refunding twice is
	// fine; ErrNoCharge when nothing was charged.
	Refund(ctx context.Context, idempotencyKey string) error
}
