package usecase_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/orders/domain"
	"github.com/shipshape-dev/shipshape/internal/orders/payment"
	"github.com/shipshape-dev/shipshape/internal/orders/store"
	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/orders/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("orders", migrations.FS)

// Products of the fake catalog (order lines store product ids as UUIDs).
const (
	lantern = "0b7f0c42-5d5e-4a5f-9f55-3c1c2a4d7e10"
	kettle  = "6f1d3a52-8c0e-4a47-b1f6-2d9e5c7a4b21"
	dollar  = "9a4c2e71-3b5d-4f68-8e19-7c6b5a4d3e20" // priced in USD
)

// lease is the checkout lease in these tests: how long a crashed attempt
// waits for recovery.
const lease = time.Second

// shop is the use cases over a real orders database and the simulated
// payment provider, with catalog and cart faked.
type shop struct {
	svc      *usecase.Service
	db       *pgxpool.Pool // orders' pool (the store's)
	catalog  *catalog
	cart     *cart
	payments *flaky
}

// newShop returns a shop whose cart holds 2 lanterns (32.90 EUR each) and
// a kettle (34.90 EUR); poolSize bounds orders' own pool.
func newShop(t testing.TB, poolSize int32) *shop {
	t.Helper()
	url := migrated.NewDatabase(t)
	db := openPool(t, url, poolSize)
	// The provider stands for an outside service: its own pool, as in
	// production (app.Serve).
	pay := &flaky{Payments: payment.NewSimulated(openPool(t, url, 4))}
	cat := newCatalog()
	cat.add(lantern, "EUR", 3290, 100)
	cat.add(kettle, "EUR", 3490, 100)
	cat.add(dollar, "USD", 1000, 100)
	c := &cart{}
	c.fill(domain.CartItem{ProductID: lantern, Quantity: 2}, domain.CartItem{ProductID: kettle, Quantity: 1})
	svc := &usecase.Service{Store: store.New(db), Cart: c, Catalog: cat, Payments: pay, Log: slog.New(slog.DiscardHandler),
		Lease: lease, InFlight: 64}
	return &shop{svc: svc, db: db, catalog: cat, cart: c, payments: pay}
}

func openPool(t testing.TB, url string, size int32) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = size
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func card(number string) domain.Card {
	return domain.Card{Number: number, ExpMonth: 12, ExpYear: 2099, CVC: "123"}
}

var approved = card(payment.CardApproved)

func (s *shop) place(t testing.TB, user, key string, c domain.Card) (domain.Order, error) {
	t.Helper()
	return s.svc.Place(context.Background(), user, key, c)
}

// count runs a counting query on orders' database.
func (s *shop) count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantField checks err's kind and first offending field.
func wantField(t testing.TB, err error, kind apperr.Kind, field string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Kind != kind || len(e.Fields) == 0 || e.Fields[0].Field != field {
		t.Fatalf("error %v, want kind %d naming %s", err, kind, field)
	}
}
