// Package store is cart's PostgreSQL persistence. Every change of a cart
// runs in one transaction that holds the cart's row lock and bumps its
// version, so concurrent changes of one cart apply one after another.
package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Store reads and writes carts.
type Store struct{ pool *pgxpool.Pool }

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// load reads a cart in one statement (one snapshot, so version and lines
// agree); a user without a row has an empty cart at version 0.
func load(ctx context.Context, q querier, userID string) (domain.Cart, error) {
	rows, err := q.Query(ctx, `SELECT c.version, c.updated_at, i.product_id::text, i.quantity, i.added_at
		FROM carts c LEFT JOIN cart_items i ON i.user_id = c.user_id
		WHERE c.user_id = $1
		ORDER BY i.added_at, i.product_id`, userID)
	if err != nil {
		return domain.Cart{}, pg.Classify(err)
	}
	defer rows.Close()
	c := domain.Cart{UserID: userID}
	for rows.Next() {
		var (
			productID *string
			qty       *int32
			addedAt   *time.Time
		)
		if err := rows.Scan(&c.Version, &c.UpdatedAt, &productID, &qty, &addedAt); err != nil {
			return domain.Cart{}, pg.Classify(err)
		}
		if productID != nil { // nil: a cart row without items
			c.Lines = append(c.Lines, domain.Line{ProductID: *productID, Quantity: *qty, AddedAt: *addedAt})
		}
	}
	return c, pg.Classify(rows.Err())
}

// Cart returns the user's cart.
func (s *Store) Cart(ctx context.Context, userID string) (domain.Cart, error) {
	return load(ctx, s.pool, userID)
}
