// Package store is identity's PostgreSQL persistence: accounts and refresh
// tokens. It returns data and the sentinel errors below; what they mean to a
// client (messages, codes) is the use cases' business. Conditional updates
// make every state change happen at most once under concurrency.
package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Sentinel errors; any other error is already classified by pg.Classify.
var (
	// ErrNotFound: no account or refresh token matches.
	ErrNotFound = errors.New("not found")
	// ErrEmailTaken: another account has the e-mail.
	ErrEmailTaken = errors.New("e-mail already registered")
	// ErrNotLive: the refresh token was rotated or revoked meanwhile.
	ErrNotLive = errors.New("refresh token no longer live")
)

// Store reads and writes identity data.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }
