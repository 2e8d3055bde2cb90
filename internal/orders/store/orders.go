package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

const orderColumns = `id::text, user_id, status, total_minor, currency, card_last4, payment_id, payment_key,
	reservation_id::text, created_at, updated_at`

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func scanOrder(row pgx.Row) (domain.Order, error) {
	var o domain.Order
	err := row.Scan(&o.ID, &o.UserID, &o.Status, &o.Total.AmountMinor, &o.Total.Currency, &o.CardLast4,
		&o.PaymentID, &o.PaymentKey, &o.ReservationID, &o.CreatedAt, &o.UpdatedAt)
	return o, err
}

// loadLines fills in the lines of orders with one query.
func loadLines(ctx context.Context, q querier, orders []domain.Order) error {
	if len(orders) == 0 {
		return nil
	}
	index := map[string]int{}
	ids := make([]string, len(orders))
	for i, o := range orders {
		index[o.ID], ids[i] = i, o.ID
	}
	rows, err := q.Query(ctx, `SELECT order_id::text, product_id::text, slug, name, unit_price_minor, quantity
		FROM order_lines WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, name`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var orderID string
		var l domain.Line
		if err := rows.Scan(&orderID, &l.ProductID, &l.Slug, &l.Name, &l.UnitPrice, &l.Quantity); err != nil {
			return err
		}
		o := &orders[index[orderID]]
		o.Lines = append(o.Lines, l)
	}
	return rows.Err()
}

// GetOrder returns one order with its lines.
func (s *Store) GetOrder(ctx context.Context, id string) (domain.Order, error) {
	o, err := getOrder(ctx, s.pool, id)
	return o, classify(err)
}

func getOrder(ctx context.Context, q querier, id string) (domain.Order, error) {
	o, err := scanOrder(q.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Order{}, domain.ErrNotFound
	}
	if err != nil {
		return domain.Order{}, err
	}
	orders := []domain.Order{o}
	if err := loadLines(ctx, q, orders); err != nil {
		return domain.Order{}, err
	}
	return orders[0], nil
}

// ListOrders returns up to limit of the user's orders older than after
// (zero: from the newest), and whether more follow.
func (s *Store) ListOrders(ctx context.Context, userID string, after domain.Cursor, limit int) ([]domain.Order, bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+orderColumns+` FROM orders
		WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $4`, userID, nullTime(after.CreatedAt), nullUUID(after.ID), limit+1)
	if err != nil {
		return nil, false, classify(err)
	}
	orders, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Order, error) { return scanOrder(r) })
	if err != nil {
		return nil, false, classify(err)
	}
	more := len(orders) > limit
	if more {
		orders = orders[:limit]
	}
	if err := loadLines(ctx, s.pool, orders); err != nil {
		return nil, false, classify(err)
	}
	return orders, more, nil
}

// ChangeStatus locks the order, lets check decide (and act, e.g. refund)
// based on its current state, then stores the new status.
func (s *Store) ChangeStatus(ctx context.Context, id string, to domain.Status, check func(domain.Order) error) (domain.Order, error) {
	err := classify(pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		o, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := check(o); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE orders SET status = $2, updated_at = now() WHERE id = $1`, id, string(to))
		return err
	}))
	if err != nil {
		return domain.Order{}, err
	}
	return s.GetOrder(ctx, id)
}

// MarkConfirmed records that catalog confirmed the order's reservation.
func (s *Store) MarkConfirmed(ctx context.Context, orderID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE orders SET reservation_confirmed = true WHERE id = $1`, orderID)
	return classify(err)
}

// Unconfirmed lists up to limit orders created before `before` and after
// the cursor (oldest first) whose reservation still waits for its
// confirmation (a crash or an outage right after commit). Cancelled and
// cancelling orders and orders whose reservation was recorded lost are not
// listed.
func (s *Store) Unconfirmed(ctx context.Context, before time.Time, after domain.Cursor, limit int) ([]domain.Order, error) {
	return s.listOrders(ctx, `NOT reservation_confirmed AND reservation_lost_at IS NULL
		AND status NOT IN ('cancelling', 'cancelled') AND created_at < $4`, after, limit, before)
}

// Cancelling lists up to limit orders after the cursor (oldest first)
// whose cancel started before `before` and did not finish.
func (s *Store) Cancelling(ctx context.Context, before time.Time, after domain.Cursor, limit int) ([]domain.Order, error) {
	return s.listOrders(ctx, `status = 'cancelling' AND updated_at < $4`, after, limit, before)
}

// listOrders pages through the orders matching cond (whose parameters
// start at $4), oldest first.
func (s *Store) listOrders(ctx context.Context, cond string, after domain.Cursor, limit int, args ...any) ([]domain.Order, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+orderColumns+` FROM orders WHERE `+cond+`
		AND ($1::timestamptz IS NULL OR (created_at, id) > ($1, $2::uuid))
		ORDER BY created_at, id LIMIT $3`, append([]any{nullTime(after.CreatedAt), nullUUID(after.ID), limit}, args...)...)
	if err != nil {
		return nil, classify(err)
	}
	orders, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Order, error) { return scanOrder(r) })
	return orders, classify(err)
}

// MarkReservationLost records that the order's reservation is gone, unless
// the order was confirmed, cancelled (or is being cancelled) or recorded
// before; it reports whether this call recorded it.
func (s *Store) MarkReservationLost(ctx context.Context, orderID string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE orders SET reservation_lost_at = now()
		WHERE id = $1 AND reservation_lost_at IS NULL AND NOT reservation_confirmed AND status NOT IN ('cancelling', 'cancelled')`, orderID)
	return tag.RowsAffected() == 1, classify(err)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullUUID(id string) any {
	if id == "" {
		return nil
	}
	return id
}
