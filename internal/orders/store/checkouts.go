package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

const checkoutColumns = `id::text, user_id, idempotency_key, request_hash, status, attempt, reservation_id::text,
	cart_version, items, COALESCE(order_id::text, ''), error_code, error_message, error_field, updated_at`

func scanCheckout(row pgx.Row) (domain.Checkout, error) {
	var c domain.Checkout
	var items []byte
	var code *int32
	var msg, field *string
	err := row.Scan(&c.ID, &c.UserID, &c.Key, &c.RequestHash, &c.Status, &c.Attempt, &c.ReservationID,
		&c.CartVersion, &items, &c.OrderID, &code, &msg, &field, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(items, &c.Items); err != nil {
		return c, fmt.Errorf("checkout %s: items: %w", c.ID, err)
	}
	if code != nil {
		c.Failure = &apperr.Error{Kind: apperr.KindOf(codes.Code(*code)), Message: deref(msg)}
		if f := deref(field); f != "" {
			c.Failure.Fields = []apperr.FieldViolation{{Field: f, Reason: deref(msg)}}
		}
	}
	return c, nil
}

// FindCheckout returns the attempt for (user, key), if any.
func (s *Store) FindCheckout(ctx context.Context, userID, key string) (domain.Checkout, bool, error) {
	c, err := scanCheckout(s.pool.QueryRow(ctx, `SELECT `+checkoutColumns+` FROM checkouts WHERE user_id = $1 AND idempotency_key = $2`, userID, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Checkout{}, false, nil
	}
	return c, err == nil, classify(err)
}

// CreateCheckout records a new pending attempt; when a concurrent request
// with the same key won the race, the existing row stays and nothing fails.
func (s *Store) CreateCheckout(ctx context.Context, c domain.Checkout) error {
	items, err := json.Marshal(c.Items)
	if err != nil {
		return apperr.Internal(err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO checkouts (id, user_id, idempotency_key, request_hash, status, reservation_id, cart_version, items)
		VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) ON CONFLICT (user_id, idempotency_key) DO NOTHING`,
		c.ID, c.UserID, c.Key, c.RequestHash, c.ReservationID, c.CartVersion, items)
	return classify(err)
}

// CheckoutTx is a transaction holding the row lock of one checkout: other
// requests with the same key wait until it ends, then see its outcome.
type CheckoutTx struct {
	tx pgx.Tx
	C  domain.Checkout
}

// WithCheckout locks the (user, key) checkout and runs fn; fn's changes
// commit when it returns nil.
func (s *Store) WithCheckout(ctx context.Context, userID, key string, fn func(*CheckoutTx) error) error {
	return classify(pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCheckout(tx.QueryRow(ctx, `SELECT `+checkoutColumns+` FROM checkouts
			WHERE user_id = $1 AND idempotency_key = $2 FOR UPDATE`, userID, key))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return fn(&CheckoutTx{tx: tx, C: c})
	}))
}

// Retry starts a new attempt of an aborted checkout: a fresh reservation
// and a fresh payment key, since the old ones were released and refunded.
func (t *CheckoutTx) Retry(ctx context.Context) error {
	t.C.Attempt++
	t.C.ReservationID = uuid.NewString()
	t.C.Status = domain.CheckoutPending
	_, err := t.tx.Exec(ctx, `UPDATE checkouts SET attempt = $2, reservation_id = $3, status = 'pending', updated_at = now()
		WHERE id = $1`, t.C.ID, t.C.Attempt, t.C.ReservationID)
	return err
}

// Fail stores a final failure, replayed to every later request with the key.
func (t *CheckoutTx) Fail(ctx context.Context, failure *apperr.Error) error {
	field := ""
	if len(failure.Fields) > 0 {
		field = failure.Fields[0].Field
	}
	_, err := t.tx.Exec(ctx, `UPDATE checkouts SET status = 'failed', error_code = $2, error_message = $3,
		error_field = NULLIF($4, ''), updated_at = now() WHERE id = $1`, t.C.ID, int32(failure.Kind.Code()), failure.Message, field)
	return err
}

// Abort marks an attempt whose reservation and charge were undone; a
// request with the same key may try again.
func (t *CheckoutTx) Abort(ctx context.Context) error {
	_, err := t.tx.Exec(ctx, `UPDATE checkouts SET status = 'aborted', updated_at = now() WHERE id = $1`, t.C.ID)
	return err
}

// Complete writes the order and its lines and marks the checkout completed,
// all in this transaction.
func (t *CheckoutTx) Complete(ctx context.Context, o domain.Order) error {
	if _, err := t.tx.Exec(ctx, `INSERT INTO orders (id, user_id, checkout_id, status, total_minor, currency, card_last4,
		payment_id, payment_key, reservation_id) VALUES ($1, $2, $3, 'paid', $4, $5, $6, $7, $8, $9)`,
		o.ID, o.UserID, t.C.ID, o.Total.AmountMinor, o.Total.Currency, o.CardLast4, o.PaymentID, o.PaymentKey, o.ReservationID); err != nil {
		return err
	}
	for _, l := range o.Lines {
		if _, err := t.tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, slug, name, unit_price_minor, quantity, line_total_minor)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, l.ProductID, l.Slug, l.Name, l.UnitPrice, l.Quantity, l.Total()); err != nil {
			return err
		}
	}
	_, err := t.tx.Exec(ctx, `UPDATE checkouts SET status = 'completed', order_id = $2, updated_at = now() WHERE id = $1`, t.C.ID, o.ID)
	return err
}

// Order reads the checkout's order inside the transaction: a second
// connection could wait forever behind requests queued on this row lock.
func (t *CheckoutTx) Order(ctx context.Context) (domain.Order, error) {
	return getOrder(ctx, t.tx, t.C.OrderID)
}

// WithStalePending runs fn in a transaction holding the row lock of the
// oldest pending checkout not touched since before and not in skip, and
// reports whether there was one. Rows locked by a live checkout are
// skipped, so recovery never undoes work in progress.
func (s *Store) WithStalePending(ctx context.Context, before time.Time, skip []string, fn func(*CheckoutTx) error) (bool, error) {
	found := false
	skip = append([]string{}, skip...) // nil would be SQL NULL, matching nothing
	err := classify(pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCheckout(tx.QueryRow(ctx, `SELECT `+checkoutColumns+` FROM checkouts
			WHERE status = 'pending' AND updated_at < $1 AND id <> ALL($2::uuid[])
			ORDER BY updated_at LIMIT 1 FOR UPDATE SKIP LOCKED`, before, skip))
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return fn(&CheckoutTx{tx: tx, C: c})
	}))
	return found, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
