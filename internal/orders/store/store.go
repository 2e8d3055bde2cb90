// Package store is orders' PostgreSQL persistence: checkout attempts keyed
// by (user, Idempotency-Key), and orders with their lines.
package store

import (
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store reads and writes orders data.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }
