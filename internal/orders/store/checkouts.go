package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"google.golang.org/grpc/codes"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

const checkoutColumns = `id::text, user_id, idempotency_key, request_hash, status, attempt, reservation_id::text,
	cart_version, items, COALESCE(order_id::text, ''), error_code, error_message, error_field,
	COALESCE(lease_owner::text, ''), lease_until <= now(), updated_at`

func scanCheckout(row pgx.Row) (domain.Checkout, error) {
	var c domain.Checkout
	var items []byte
	var code *int32
	var msg, field *string
	err := row.Scan(&c.ID, &c.UserID, &c.Key, &c.RequestHash, &c.Status, &c.Attempt, &c.ReservationID,
		&c.CartVersion, &items, &c.OrderID, &code, &msg, &field, &c.LeaseOwner, &c.LeaseExpired, &c.UpdatedAt)
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

// FindCheckout returns the checkout of (user, key), or domain.ErrNotFound.
func (s *Store) FindCheckout(ctx context.Context, userID, key string) (domain.Checkout, error) {
	c, err := scanCheckout(s.pool.QueryRow(ctx, `SELECT `+checkoutColumns+` FROM checkouts WHERE user_id = $1 AND idempotency_key = $2`, userID, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Checkout{}, domain.ErrNotFound
	}
	return c, classify(err)
}

// CreateCheckout records a new pending checkout claimed by c.LeaseOwner for
// lease, and reports whether it did: when a concurrent request with the
// same key won the race, the existing row stays and nothing fails.
func (s *Store) CreateCheckout(ctx context.Context, c domain.Checkout, lease time.Duration) (bool, error) {
	items, err := json.Marshal(c.Items)
	if err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO checkouts (id, user_id, idempotency_key, request_hash, status, reservation_id,
		cart_version, items, lease_owner, lease_until)
		VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, now() + $9 * interval '1 millisecond')
		ON CONFLICT (user_id, idempotency_key) DO NOTHING`,
		c.ID, c.UserID, c.Key, c.RequestHash, c.ReservationID, c.CartVersion, items, c.LeaseOwner, lease.Milliseconds())
	return tag.RowsAffected() == 1, classify(err)
}

// StartAttempt turns an aborted checkout into a new pending attempt with a
// fresh reservation (the old one was released, and the payment key follows
// the attempt number), claimed by owner for lease; domain.ErrLeaseLost when the
// checkout is not aborted (any more).
func (s *Store) StartAttempt(ctx context.Context, id, owner, reservationID string, lease time.Duration) (domain.Checkout, error) {
	return s.claim(ctx, `SET attempt = attempt + 1, reservation_id = $4, status = 'pending', lease_owner = $2,
		lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
		WHERE id = $1 AND status = 'aborted'`, id, owner, lease.Milliseconds(), reservationID)
}

// TakeOver claims a pending checkout whose lease ran out, for owner, to
// undo its attempt; domain.ErrLeaseLost when it is settled or its lease is live.
func (s *Store) TakeOver(ctx context.Context, id, owner string, lease time.Duration) (domain.Checkout, error) {
	return s.claim(ctx, `SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', updated_at = now()
		WHERE id = $1 AND status = 'pending' AND lease_until <= now()`, id, owner, lease.Milliseconds())
}

// ClaimStale takes over the pending checkout whose lease ran out first, for
// owner; domain.ErrNotFound when there is none. Rows another claimer is updating
// are skipped rather than waited for.
func (s *Store) ClaimStale(ctx context.Context, owner string, lease time.Duration) (domain.Checkout, error) {
	c, err := s.claim(ctx, `SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
		WHERE id = (SELECT id FROM checkouts WHERE status = 'pending' AND lease_until <= now()
			ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED)`, owner, lease.Milliseconds())
	if errors.Is(err, domain.ErrLeaseLost) {
		return c, domain.ErrNotFound
	}
	return c, err
}

// claim runs one conditional UPDATE of checkouts (set, then the condition)
// and returns the row it changed, or domain.ErrLeaseLost when none matched. A
// single statement is atomic: of two claimers of one row, the second sees
// the first's lease and matches nothing.
func (s *Store) claim(ctx context.Context, setWhere string, args ...any) (domain.Checkout, error) {
	c, err := scanCheckout(s.pool.QueryRow(ctx, `UPDATE checkouts `+setWhere+` RETURNING `+checkoutColumns, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Checkout{}, domain.ErrLeaseLost
	}
	return c, classify(err)
}

// RenewLease extends c's lease; domain.ErrLeaseLost when c is no longer pending
// under it.
func (s *Store) RenewLease(ctx context.Context, c domain.Checkout, lease time.Duration) error {
	return s.settle(ctx, s.pool, c, `lease_until = now() + $3 * interval '1 millisecond'`, lease.Milliseconds())
}

// Fail records a final failure, replayed to every later request with the
// key; domain.ErrLeaseLost when c is no longer pending under its lease.
func (s *Store) Fail(ctx context.Context, c domain.Checkout, failure *apperr.Error) error {
	field := ""
	if len(failure.Fields) > 0 {
		field = failure.Fields[0].Field
	}
	return s.settle(ctx, s.pool, c, `status = 'failed', error_code = $3, error_message = $4, error_field = NULLIF($5, '')`,
		int32(failure.Kind.Code()), failure.Message, field)
}

// Abort marks an attempt whose reservation and charge were undone, so that
// a request with the same key may try again; domain.ErrLeaseLost when c is no
// longer pending under its lease.
func (s *Store) Abort(ctx context.Context, c domain.Checkout) error {
	return s.settle(ctx, s.pool, c, `status = 'aborted'`)
}

// Complete writes the order and its lines and marks the checkout completed,
// in one transaction that first checks c is still pending under its lease
// (domain.ErrLeaseLost otherwise, and nothing is written).
func (s *Store) Complete(ctx context.Context, c domain.Checkout, o domain.Order) error {
	return classify(pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.settle(ctx, tx, c, `status = 'completed', order_id = $3`, o.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO orders (id, user_id, checkout_id, status, total_minor, currency, card_last4,
			payment_id, payment_key, reservation_id) VALUES ($1, $2, $3, 'paid', $4, $5, $6, $7, $8, $9)`,
			o.ID, o.UserID, c.ID, o.Total.AmountMinor, o.Total.Currency, o.CardLast4, o.PaymentID, o.PaymentKey, o.ReservationID); err != nil {
			return err
		}
		for _, l := range o.Lines {
			if _, err := tx.Exec(ctx, `INSERT INTO order_lines (order_id, product_id, slug, name, unit_price_minor, quantity, line_total_minor)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, l.ProductID, l.Slug, l.Name, l.UnitPrice, l.Quantity, l.Total()); err != nil {
				return err
			}
		}
		return nil
	}))
}

// execer runs a statement on a pool or in a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// settle updates c's row with set (whose parameters start at $3) if it is
// still pending under c's lease; domain.ErrLeaseLost otherwise.
func (s *Store) settle(ctx context.Context, q execer, c domain.Checkout, set string, args ...any) error {
	tag, err := q.Exec(ctx, `UPDATE checkouts SET `+set+`, updated_at = now()
		WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`, append([]any{c.ID, c.LeaseOwner}, args...)...)
	switch {
	case err != nil:
		return classify(err)
	case tag.RowsAffected() == 0:
		return domain.ErrLeaseLost
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
