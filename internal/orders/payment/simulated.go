// Package payment holds orders' built-in payment provider. The provider is
// a port of the use cases (usecase.Payments), where a real payment service
// plugs in; Simulated is the stand-in.
package payment

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Test cards of the simulated provider. Any other valid card number is
// charged successfully.
const (
	CardApproved          = "4242424242424242"
	CardDeclined          = "4000000000000002" // generic decline
	CardInsufficientFunds = "4000000000009995" // declined: insufficient funds
	CardProcessingError   = "4000000000000119" // provider error: outcome unknown to the caller
)

// Simulated is a payment provider that moves no money. It is a fake, and
// says so: it stands in for an external service. It keeps a durable ledger
// (table simulated_payments) so that, like a real provider, it remembers
// charges across restarts of orders and honours idempotency keys; tests
// count its charges. Give it its own small pool: it must never compete with
// checkout transactions for connections.
type Simulated struct {
	pool *pgxpool.Pool
}

// NewSimulated returns the simulated provider over its ledger.
func NewSimulated(pool *pgxpool.Pool) *Simulated { return &Simulated{pool: pool} }

// Charge captures the amount unless the card is one of the declining test
// cards. A repeated key returns the first charge.
func (s *Simulated) Charge(ctx context.Context, req domain.ChargeRequest) (domain.Charge, error) {
	switch req.Card.Number {
	case CardDeclined:
		return domain.Charge{}, &domain.DeclinedError{Reason: "card_declined"}
	case CardInsufficientFunds:
		return domain.Charge{}, &domain.DeclinedError{Reason: "insufficient_funds"}
	case CardProcessingError:
		return domain.Charge{}, errors.New("payment: simulated processing error")
	}
	id := "sim_ch_" + uuid.NewString()
	_, err := s.pool.Exec(ctx, `INSERT INTO simulated_payments (id, idempotency_key, amount_minor, currency, card_last4, status)
		VALUES ($1, $2, $3, $4, $5, 'captured') ON CONFLICT (idempotency_key) DO NOTHING`,
		id, req.IdempotencyKey, req.Amount.AmountMinor, req.Amount.Currency, req.Card.Last4())
	if err != nil {
		return domain.Charge{}, fmt.Errorf("payment: %w", pg.Classify(err))
	}
	var c domain.Charge
	err = s.pool.QueryRow(ctx, `SELECT id, amount_minor, currency FROM simulated_payments WHERE idempotency_key = $1`,
		req.IdempotencyKey).Scan(&c.ID, &c.Amount.AmountMinor, &c.Amount.Currency)
	if err != nil {
		return domain.Charge{}, fmt.Errorf("payment: %w", pg.Classify(err))
	}
	if c.Amount != req.Amount {
		return domain.Charge{}, fmt.Errorf("payment: idempotency key %q reused for another amount", req.IdempotencyKey)
	}
	return c, nil
}

// Refund marks the key's charge refunded.
func (s *Simulated) Refund(ctx context.Context, idempotencyKey string) error {
	var status string
	err := s.pool.QueryRow(ctx, `UPDATE simulated_payments SET status = 'refunded', refunded_at = COALESCE(refunded_at, now())
		WHERE idempotency_key = $1 RETURNING status`, idempotencyKey).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.ErrNoCharge
	}
	if err != nil {
		return fmt.Errorf("payment: %w", pg.Classify(err))
	}
	return nil
}
