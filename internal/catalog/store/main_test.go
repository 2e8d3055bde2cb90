package store_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/catalog/catalogtest"
	"github.com/shipshape-dev/shipshape/internal/catalog/store"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// seeded is a migrated, seeded database, cloned per test.
var seeded = catalogtest.Seeded()

func newStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	pool := seeded.NewPool(t)
	return store.New(pool), pool
}

func stockOf(t *testing.T, pool *pgxpool.Pool, productID string) int32 {
	t.Helper()
	var n int32
	if err := pool.QueryRow(context.Background(), `SELECT stock FROM products WHERE id = $1`, productID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func setStock(t *testing.T, pool *pgxpool.Pool, productID string, n int32) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `UPDATE products SET stock = $2 WHERE id = $1`, productID, n); err != nil {
		t.Fatal(err)
	}
}
