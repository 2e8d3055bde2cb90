package payment_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("orders", migrations.FS)

func provider(t *testing.T) (*payment.Simulated, *pgxpool.Pool) {
	pool := migrated.NewPool(t)
	return payment.NewSimulated(pool), pool
}

func charge(p *payment.Simulated, key, number string, amount int64) (domain.Charge, error) {
	return p.Charge(context.Background(), domain.ChargeRequest{IdempotencyKey: key,
		Amount: domain.Money{Currency: "EUR", AmountMinor: amount}, Card: domain.Card{Number: number}})
}

func TestChargeIsIdempotentByKey(t *testing.T) {
	p, pool := provider(t)
	first, err := charge(p, "k1", payment.CardApproved, 1000)
	if err != nil {
		t.Fatal(err)
	}
	again, err := charge(p, "k1", payment.CardApproved, 1000)
	if err != nil || again.ID != first.ID {
		t.Fatalf("replay = %+v, %v; want the first charge %s", again, err, first.ID)
	}
	if _, err := charge(p, "k1", payment.CardApproved, 999); err == nil {
		t.Fatal("the same key for another amount must fail")
	}
	var n int
	_ = pool.QueryRow(context.Background(), `SELECT count(*) FROM simulated_payments`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d charges recorded, want 1", n)
	}
}

func TestDeclinesAndErrors(t *testing.T) {
	p, _ := provider(t)
	for number, reason := range map[string]string{payment.CardDeclined: "card_declined", payment.CardInsufficientFunds: "insufficient_funds"} {
		_, err := charge(p, "d-"+number, number, 100)
		var declined *domain.DeclinedError
		if !errors.As(err, &declined) || declined.Reason != reason {
			t.Errorf("%s: %v, want declined %s", number, err, reason)
		}
	}
	_, err := charge(p, "e", payment.CardProcessingError, 100)
	var declined *domain.DeclinedError
	if err == nil || errors.As(err, &declined) {
		t.Fatalf("processing error = %v, want a non-decline error", err)
	}
}

func TestRefund(t *testing.T) {
	p, pool := provider(t)
	if err := p.Refund(context.Background(), "never-charged"); !errors.Is(err, domain.ErrNoCharge) {
		t.Fatalf("refund without charge = %v, want ErrNoCharge", err)
	}
	if _, err := charge(p, "r", payment.CardApproved, 500); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := p.Refund(context.Background(), "r"); err != nil {
			t.Fatal(err)
		}
	}
	var status string
	_ = pool.QueryRow(context.Background(), `SELECT status FROM simulated_payments WHERE idempotency_key = 'r'`).Scan(&status)
	if status != "refunded" {
		t.Fatalf("status %q, want refunded", status)
	}
}
