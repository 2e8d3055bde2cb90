// Package usecase is what orders does, one use case per file: placing an
// order from the cart exactly once per Idempotency-Key, recovering what
// crashes and outages interrupted, reading the order history and changing
// an order's status. It owns the business rules and errors, and reaches
// cart, catalog, the payment provider and the database through the small
// interfaces below.
package usecase

import (
	"context"
	"log/slog"
	"time"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Store is orders' persistence (see store.Store). Checkouts are claimed
// with a lease (a fresh owner id per claim) and every write of an attempt
// checks the lease: domain.ErrLeaseLost when it no longer holds.
type Store interface {
	FindCheckout(ctx context.Context, userID, key string) (domain.Checkout, error)
	CreateCheckout(ctx context.Context, c domain.Checkout, lease time.Duration) (bool, error)
	StartAttempt(ctx context.Context, id, owner, reservationID string, lease time.Duration) (domain.Checkout, error)
	TakeOver(ctx context.Context, id, owner string, lease time.Duration) (domain.Checkout, error)
	ClaimStale(ctx context.Context, owner string, lease time.Duration) (domain.Checkout, error)
	RenewLease(ctx context.Context, c domain.Checkout, lease time.Duration) error
	Fail(ctx context.Context, c domain.Checkout, failure *apperr.Error) error
	Abort(ctx context.Context, c domain.Checkout) error
	Complete(ctx context.Context, c domain.Checkout, o domain.Order) error

	GetOrder(ctx context.Context, id string) (domain.Order, error)
	ListOrders(ctx context.Context, userID string, after domain.Cursor, limit int) ([]domain.Order, bool, error)
	ChangeStatus(ctx context.Context, id string, to domain.Status, check func(domain.Order) error) (domain.Order, error)
	MarkConfirmed(ctx context.Context, orderID string) error
	Unconfirmed(ctx context.Context, before time.Time, after domain.Cursor, limit int) ([]domain.Order, error)
	MarkReservationLost(ctx context.Context, orderID string) (bool, error)
	Cancelling(ctx context.Context, before time.Time, after domain.Cursor, limit int) ([]domain.Order, error)
}

// Cart is the caller's cart in the cart service.
type Cart interface {
	Items(ctx context.Context) (items []domain.CartItem, version int64, err error)
	// Clear empties the cart only if it is still at version.
	Clear(ctx context.Context, version int64) error
}

// Product is what an order line needs from catalog.
type Product struct {
	ID, Slug, Name string
	Price          domain.Money
}

// Catalog is the catalog service: prices and stock reservations. Release
// and Confirm are idempotent; Release of an unknown reservation succeeds.
// Errors use apperr kinds: NotFound for an unknown product or reservation,
// FailedPrecondition for not enough stock or a reservation no longer held,
// Unavailable when catalog cannot answer.
type Catalog interface {
	Product(ctx context.Context, id string) (Product, error)
	Reserve(ctx context.Context, reservationID string, items []domain.CartItem) error
	Confirm(ctx context.Context, reservationID string) error
	Release(ctx context.Context, reservationID string) error
}

// Payments is the payment provider (payment.Simulated, or a real one).
// Both calls are idempotent by key; any error other than
// *domain.DeclinedError leaves the charge's fate unknown, so callers refund
// by key to be sure no money is kept.
type Payments interface {
	Charge(ctx context.Context, req domain.ChargeRequest) (domain.Charge, error)
	// Refund returns the charge made with idempotencyKey; refunding twice
	// is fine; domain.ErrNoCharge when nothing was charged.
	Refund(ctx context.Context, idempotencyKey string) error
}

// Service runs the use cases.
type Service struct {
	Store    Store
	Cart     Cart
	Catalog  Catalog
	Payments Payments
	Log      *slog.Logger
	Metrics  *Metrics // nil: none
	// Lease is how long a claimed checkout stays claimed without renewal:
	// how soon recovery undoes the attempt of a crashed request. Zero
	// means a minute.
	Lease time.Duration
	// InFlight bounds the checkouts that call cart, catalog and the
	// payment provider at once; more wait for a turn. Zero means one.
	InFlight int
	slots    slots
	// Failpoint is called at named points of a checkout; tests use it to
	// crash the process there. Nil in production.
	Failpoint func(name string)
	Now       func() time.Time
}

func (s *Service) failpoint(name string) {
	if s.Failpoint != nil {
		s.Failpoint(name)
	}
}

func (s *Service) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return time.Minute
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
