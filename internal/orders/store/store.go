// Package store is orders' PostgreSQL persistence: checkout attempts keyed
// by (user, Idempotency-Key), and orders with their lines. It returns data
// and domain's sentinel errors (domain.ErrNotFound, domain.ErrLeaseLost);
// what they mean to a client is the use cases' business.
package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Store reads and writes orders data.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// classify leaves the store's sentinels as they are and classifies database
// errors (pg.Classify) for the rest.
func classify(err error) error {
	for _, sentinel := range []error{domain.ErrNotFound, domain.ErrLeaseLost} {
		if errors.Is(err, sentinel) {
			return sentinel
		}
	}
	return pg.Classify(err)
}
