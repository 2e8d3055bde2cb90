package domain

import (
	"fmt"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// CheckoutStatus is where one (user, Idempotency-Key) checkout is.
type CheckoutStatus string

// A checkout is pending while an attempt runs; completed with an order,
// failed with a final answer replayed to every later request, or aborted
// (its reservation released and any charge refunded) so that the same key
// may try again as a new attempt.
const (
	CheckoutPending   CheckoutStatus = "pending"
	CheckoutCompleted CheckoutStatus = "completed"
	CheckoutFailed    CheckoutStatus = "failed"
	CheckoutAborted   CheckoutStatus = "aborted"
)

// Checkout is the durable record of a checkout, written before any stock is
// reserved or money moves.
type Checkout struct {
	ID, UserID, Key string
	// RequestHash is the request's fingerprint (see Card.Fingerprint).
	RequestHash string
	Status      CheckoutStatus
	// Attempt numbers the tries of the key; each has its own reservation
	// and payment key, so undoing one never touches another.
	Attempt       int
	ReservationID string
	CartVersion   int64
	Items         []CartItem
	OrderID       string
	// Failure is the stored answer of a failed checkout, replayed as is.
	Failure *apperr.Error
	// LeaseOwner identifies the claim that works on a pending checkout,
	// until its lease runs out; LeaseExpired says it had run out when the
	// row was read (by the database's clock).
	LeaseOwner   string
	LeaseExpired bool
	UpdatedAt    time.Time
}

// PaymentKey is the provider idempotency key of the current attempt.
func (c Checkout) PaymentKey() string { return fmt.Sprintf("%s/%d", c.ID, c.Attempt) }

// Cursor is a position in a user's order history (newest first); the zero
// Cursor is the start.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}
