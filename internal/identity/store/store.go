// Package store is identity's PostgreSQL persistence: accounts, refresh
// tokens and sign-in failure counters. It returns data and domain's
// sentinel errors (any other error is classified by pg.Classify); what they
// mean to a client is the use cases' business. Conditional updates make
// every state change happen at most once under concurrency.
package store

import (
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store reads and writes identity data.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }
