package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Clear empties the user's cart; with ifVersion > 0 only if the cart is
// still at that version. It returns the cart as stored and whether it was
// cleared; when not, nothing changed. Clearing an empty cart changes
// nothing, so its version stays.
func (s *Store) Clear(ctx context.Context, userID string, ifVersion int64) (domain.Cart, bool, error) {
	var (
		out     domain.Cart
		cleared bool
	)
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var version int64
		err := tx.QueryRow(ctx, `SELECT version FROM carts WHERE user_id = $1 FOR UPDATE`, userID).Scan(&version)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if ifVersion == 0 || ifVersion == version {
			tag, err := tx.Exec(ctx, `DELETE FROM cart_items WHERE user_id = $1`, userID)
			if err != nil {
				return err
			}
			if tag.RowsAffected() > 0 {
				if _, err := tx.Exec(ctx, `UPDATE carts SET version = version + 1, updated_at = now() WHERE user_id = $1`, userID); err != nil {
					return err
				}
			}
			cleared = true
		}
		out, err = load(ctx, tx, userID)
		return err
	})
	return out, cleared, err
}
