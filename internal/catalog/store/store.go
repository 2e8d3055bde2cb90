// Package store is catalog's PostgreSQL persistence. Every rule about stock
// is enforced inside a transaction here, backed by CHECK constraints.
package store

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
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
