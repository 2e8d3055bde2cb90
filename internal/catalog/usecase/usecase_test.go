package usecase_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/catalog/productcache"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/store"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// seeded is a migrated, seeded database, cloned per test.
var seeded = catalogtest.Seeded()

var (
	lantern = seed.ID("product", "storm-lantern")
	kettle  = seed.ID("product", "gimballed-stove-kettle")
)

// fixture is the use cases over a real store on a fresh seeded database.
type fixture struct {
	catalog *usecase.Catalog
	pool    *pgxpool.Pool
	now     time.Time // the store's clock
}

// setup uses a product cache with a long TTL, so a test sees whether the
// use cases invalidate what they change.
func setup(t *testing.T) *fixture {
	t.Helper()
	pool := seeded.NewPool(t)
	f := &fixture{pool: pool, now: time.Now()}
	st := store.New(pool).WithClock(func() time.Time { return f.now })
	f.catalog = usecase.New(st, productcache.New(time.Hour, 100), usecase.NewMetrics(prometheus.NewRegistry()))
	return f
}

func (f *fixture) setStock(t *testing.T, id string, n int32) {
	t.Helper()
	if _, err := f.pool.Exec(context.Background(), `UPDATE products SET stock = $2 WHERE id = $1`, id, n); err != nil {
		t.Fatal(err)
	}
}

// stock reads the database, not the cache.
func (f *fixture) stock(t *testing.T, id string) int32 {
	t.Helper()
	var n int32
	if err := f.pool.QueryRow(context.Background(), `SELECT stock FROM products WHERE id = $1`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// cachedStock reads through the use case (and so the cache).
func (f *fixture) cachedStock(t *testing.T, id string) int32 {
	t.Helper()
	p, err := f.catalog.GetProduct(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Stock
}

// wantError fails unless err is an *apperr.Error of kind naming field
// first ("" for no field).
func wantError(t *testing.T, what string, err error, kind apperr.Kind, field string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Kind != kind {
		t.Fatalf("%s: got %v, want kind %d", what, err, kind)
	}
	if field != "" && (len(e.Fields) == 0 || e.Fields[0].Field != field) {
		t.Fatalf("%s: fields %v, want %s", what, e.Fields, field)
	}
}

func item(id string, qty int32) domain.StockItem {
	return domain.StockItem{ProductID: id, Quantity: qty}
}
