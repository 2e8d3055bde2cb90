// Package checkout holds orders' use cases: placing an order from the cart
// exactly once, recovering interrupted checkouts, and changing an order's
// status. It talks to cart, catalog and the payment provider through the
// small interfaces below.
package checkout

import (
	"context"
	"log/slog"
	"time"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
)

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
type Catalog interface {
	Product(ctx context.Context, id string) (Product, error)
	Reserve(ctx context.Context, reservationID string, items []domain.CartItem) error
	Confirm(ctx context.Context, reservationID string) error
	Release(ctx context.Context, reservationID string) error
}

// Service runs the use cases.
type Service struct {
	Store    *store.Store
	Cart     Cart
	Catalog  Catalog
	Payments payment.Provider
	Log      *slog.Logger
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

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
