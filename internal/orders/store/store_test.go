package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("orders", migrations.FS)

func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := migrated.NewPool(t)
	return store.New(pool), pool
}

func count(t *testing.T, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// newCheckout is a pending checkout of one lantern and two kettles.
func newCheckout(user string) domain.Checkout {
	return domain.Checkout{ID: uuid.NewString(), UserID: user, Key: uuid.NewString(), RequestHash: "h1", Attempt: 1,
		ReservationID: uuid.NewString(), CartVersion: 3, LeaseOwner: uuid.NewString(), Items: []domain.CartItem{
			{ProductID: uuid.NewString(), Quantity: 1}, {ProductID: uuid.NewString(), Quantity: 2}}}
}

// newOrder is the order a completed checkout c writes.
func newOrder(c domain.Checkout) domain.Order {
	o := domain.Order{ID: uuid.NewString(), UserID: c.UserID, Status: domain.StatusPaid, CardLast4: "4242",
		Total: domain.Money{Currency: "EUR", AmountMinor: 100 + 2*250}, PaymentID: "ch_" + c.ID,
		PaymentKey: c.PaymentKey(), ReservationID: c.ReservationID}
	for i, it := range c.Items {
		o.Lines = append(o.Lines, domain.Line{ProductID: it.ProductID, Slug: "p", Name: string(rune('a' + i)),
			UnitPrice: int64(100 + 150*i), Quantity: it.Quantity})
	}
	return o
}

// The template every orders test package clones holds the tables and no rows.
func TestMigratedHasOrdersTablesAndNoRows(t *testing.T) {
	_, pool := newStore(t)
	n := count(t, pool, `SELECT (SELECT count(*) FROM checkouts) + (SELECT count(*) FROM orders)
		+ (SELECT count(*) FROM order_lines) + (SELECT count(*) FROM simulated_payments)`)
	if n != 0 {
		t.Fatalf("%d rows in a fresh database", n)
	}
}
