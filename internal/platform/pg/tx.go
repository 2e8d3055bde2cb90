package pg

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// InTx runs fn in a transaction that commits when fn returns nil, and
// classifies any database error into the shared error model (domain errors
// fn returns pass through unchanged).
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return Classify(pgx.BeginFunc(ctx, pool, fn))
}
