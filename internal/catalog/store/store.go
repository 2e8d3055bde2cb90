// Package store is catalog's PostgreSQL persistence. Every rule about stock
// is enforced inside a transaction here, backed by CHECK constraints. It
// returns data and domain's sentinel errors (domain.ErrNotFound, ...),
// never a client-facing message: internal/catalog/usecase turns them into
// the service's errors.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

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
	var item *domain.ItemError
	if errors.Is(err, domain.ErrNotFound) || errors.Is(err, domain.ErrUnknownCategory) || errors.As(err, &item) {
		return err
	}
	return pg.Classify(err)
}
