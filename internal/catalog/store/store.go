// Package store is catalog's PostgreSQL persistence. Every rule about stock
// is enforced inside a transaction here, backed by CHECK constraints. It
// returns data and the sentinel errors below, never a client-facing
// message: internal/catalog/usecase turns them into the service's errors.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Expected outcomes a caller acts on. Database trouble is reported as the
// shared error model (pg.Classify) instead.
var (
	// ErrNotFound: the product, category or reservation asked for does not
	// exist (which one follows from the method).
	ErrNotFound = errors.New("not found")
	// ErrSlugTaken: another product has the slug.
	ErrSlugTaken = errors.New("slug taken")
	// ErrUnknownCategory: a product names a category that does not exist.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrInsufficientStock: fewer units are left than an item asks for.
	ErrInsufficientStock = errors.New("insufficient stock")
)

// ItemError says which item of a reservation could not be taken and why:
// Err is ErrNotFound (no such product) or ErrInsufficientStock (Left units
// remain).
type ItemError struct {
	Index int
	Left  int32
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index, e.Err) }
func (e *ItemError) Unwrap() error { return e.Err }

// Store reads and writes catalog data.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
}

// New returns a store using the wall clock.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool, now: time.Now} }

// WithClock returns a copy that reads time from now (tests of expiry).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// inTx runs fn in a transaction that commits when fn returns nil. The
// sentinel errors fn returns pass through unchanged; anything else is a
// database failure and is classified.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, fn)
	var item *ItemError
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnknownCategory) || errors.As(err, &item) {
		return err
	}
	return pg.Classify(err)
}
