package carttest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/cart/carttest"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = carttest.Migrated()

func TestMigratedHasCartTablesAndNoRows(t *testing.T) {
	conn, err := pgx.Connect(t.Context(), migrated.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT (SELECT count(*) FROM carts) + (SELECT count(*) FROM cart_items)`).Scan(&n); err != nil {
		t.Fatalf("schema missing: %v", err)
	}
	if n != 0 {
		t.Fatalf("%d rows in a fresh database", n)
	}
}
