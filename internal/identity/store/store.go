// Package store is identity's PostgreSQL persistence: accounts and refresh
// tokens. Refresh rotation happens in one transaction with the presented
// row locked, so a token can be redeemed at most once.
package store

import (
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store reads and writes identity data.
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
