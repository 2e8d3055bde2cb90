package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

// Reserve takes stock for all items or none. items must be normalized
// (validated, sorted by product id). The reservation id makes it idempotent:
// when the id exists, nothing changes and the stored reservation is
// returned as it is, whatever items it holds (the caller compares them).
// A product that cannot supply its item is a *domain.ItemError.
func (s *Store) Reserve(ctx context.Context, id string, items []domain.StockItem, ttl time.Duration) (domain.Reservation, error) {
	var r domain.Reservation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// PostgreSQL keeps microseconds; round now so that a replay, read
		// back from the table, returns exactly what the first call did.
		expires := s.now().Add(ttl).Truncate(time.Microsecond)
		// A concurrent replay blocks here on the primary key until the first
		// commits (then sees the row) or rolls back (then inserts itself).
		tag, err := tx.Exec(ctx, `INSERT INTO reservations (id, status, expires_at) VALUES ($1, 'held', $2)
			ON CONFLICT (id) DO NOTHING`, id, expires)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			r, err = loadReservation(ctx, tx, id, false)
			return err
		}
		for i, it := range items {
			if err := takeStock(ctx, tx, i, it); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reservation_items (reservation_id, product_id, quantity)
			SELECT $1, unnest($2::uuid[]), unnest($3::int[])`, id, productIDs(items), quantities(items)); err != nil {
			return err
		}
		r = domain.Reservation{ID: id, Status: domain.StatusHeld, Items: items, ExpiresAt: expires}
		return nil
	})
	return r, err
}

// takeStock decrements one product's stock only if enough is left; the
// conditional UPDATE takes the row lock, so concurrent reservations queue
// and none can see stale stock.
func takeStock(ctx context.Context, tx pgx.Tx, i int, it domain.StockItem) error {
	tag, err := tx.Exec(ctx, `UPDATE products SET stock = stock - $2, updated_at = now()
		WHERE id = $1 AND stock >= $2`, it.ProductID, it.Quantity)
	if err != nil || tag.RowsAffected() == 1 {
		return err
	}
	var left int32
	err = tx.QueryRow(ctx, `SELECT stock FROM products WHERE id = $1`, it.ProductID).Scan(&left)
	if errors.Is(err, pgx.ErrNoRows) {
		return &domain.ItemError{Index: i, Err: domain.ErrNotFound}
	}
	if err != nil {
		return err
	}
	return &domain.ItemError{Index: i, Left: left, Err: domain.ErrInsufficientStock}
}

// Confirm makes a held reservation permanent and returns it in the status
// it ends in: confirmed (also when it already was), or still released or
// expired. A held reservation past its expiry is expired on the spot, its
// stock returned. domain.ErrNotFound: no reservation has the id.
func (s *Store) Confirm(ctx context.Context, id string) (domain.Reservation, error) {
	var r domain.Reservation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = loadReservation(ctx, tx, id, true); err != nil || r.Status != domain.StatusHeld {
			return err
		}
		if !s.now().Before(r.ExpiresAt) {
			r.Status = domain.StatusExpired
			return finish(ctx, tx, r, domain.StatusExpired)
		}
		r.Status = domain.StatusConfirmed
		_, err = tx.Exec(ctx, `UPDATE reservations SET status = 'confirmed', updated_at = now() WHERE id = $1`, id)
		return err
	})
	return r, err
}

// Release gives back the stock of a held or confirmed reservation (a failed
// checkout, a cancelled order). Releasing again, or after expiry, changes
// nothing. domain.ErrNotFound: no reservation has the id.
func (s *Store) Release(ctx context.Context, id string) (domain.Reservation, error) {
	var r domain.Reservation
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if r, err = loadReservation(ctx, tx, id, true); err != nil {
			return err
		}
		if r.Status == domain.StatusReleased || r.Status == domain.StatusExpired {
			return nil
		}
		r.Status = domain.StatusReleased
		return finish(ctx, tx, r, domain.StatusReleased)
	})
	return r, err
}

// ExpireDue expires up to limit held reservations whose time passed by asOf
// and returns their stock. SKIP LOCKED lets several replicas sweep at once
// without waiting on each other or expiring one twice.
func (s *Store) ExpireDue(ctx context.Context, asOf time.Time, limit int) (int, error) {
	n := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id::text FROM reservations
			WHERE status = 'held' AND expires_at <= $1
			ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`, asOf, limit)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, id := range ids {
			r, err := loadReservation(ctx, tx, id, false)
			if err != nil {
				return err
			}
			if err := finish(ctx, tx, r, domain.StatusExpired); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// finish moves a held or confirmed reservation to a final status and puts
// its stock back, locking products in id order like Reserve does.
func finish(ctx context.Context, tx pgx.Tx, r domain.Reservation, status domain.ReservationStatus) error {
	for _, it := range r.Items {
		if _, err := tx.Exec(ctx, `UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`,
			it.ProductID, it.Quantity); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE reservations SET status = $2, updated_at = now() WHERE id = $1`, r.ID, string(status))
	return err
}

func loadReservation(ctx context.Context, tx pgx.Tx, id string, forUpdate bool) (domain.Reservation, error) {
	q := `SELECT id::text, status, expires_at FROM reservations WHERE id = $1`
	if forUpdate {
		q += ` FOR UPDATE`
	}
	var r domain.Reservation
	err := tx.QueryRow(ctx, q, id).Scan(&r.ID, &r.Status, &r.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, domain.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	rows, err := tx.Query(ctx, `SELECT product_id::text, quantity FROM reservation_items
		WHERE reservation_id = $1 ORDER BY product_id`, id)
	if err != nil {
		return r, err
	}
	r.Items, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.StockItem, error) {
		var it domain.StockItem
		return it, row.Scan(&it.ProductID, &it.Quantity)
	})
	return r, err
}

func productIDs(items []domain.StockItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ProductID
	}
	return out
}

func quantities(items []domain.StockItem) []int32 {
	out := make([]int32, len(items))
	for i, it := range items {
		out[i] = it.Quantity
	}
	return out
}
