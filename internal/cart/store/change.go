package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Change applies fn to the user's cart and saves the result with the
// version bumped, all in one transaction. An error from fn rolls everything
// back, the version included. It returns the cart as stored.
func (s *Store) Change(ctx context.Context, userID string, fn func(*domain.Cart) error) (domain.Cart, error) {
	var out domain.Cart
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Bumping first creates the cart if needed and takes its row lock:
		// concurrent changes of one cart queue here and each sees the one
		// before it.
		if _, err := tx.Exec(ctx, `INSERT INTO carts (user_id, version, updated_at) VALUES ($1, 1, now())
			ON CONFLICT (user_id) DO UPDATE SET version = carts.version + 1, updated_at = now()`, userID); err != nil {
			return err
		}
		c, err := load(ctx, tx, userID)
		if err != nil {
			return err
		}
		before := quantities(c.Lines)
		if err := fn(&c); err != nil {
			return err
		}
		if err := save(ctx, tx, userID, before, c.Lines); err != nil {
			return err
		}
		out, err = load(ctx, tx, userID)
		return err
	})
	return out, err
}

func quantities(lines []domain.Line) map[string]int32 {
	m := make(map[string]int32, len(lines))
	for _, l := range lines {
		m[l.ProductID] = l.Quantity
	}
	return m
}

// save writes the difference between the lines before and after.
func save(ctx context.Context, tx pgx.Tx, userID string, before map[string]int32, after []domain.Line) error {
	var b pgx.Batch
	for _, l := range after {
		if q, ok := before[l.ProductID]; ok && q == l.Quantity {
			delete(before, l.ProductID)
			continue
		}
		delete(before, l.ProductID)
		b.Queue(`INSERT INTO cart_items (user_id, product_id, quantity) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity`, userID, l.ProductID, l.Quantity)
	}
	for id := range before { // lines no longer there
		b.Queue(`DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2`, userID, id)
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, &b).Close()
}
