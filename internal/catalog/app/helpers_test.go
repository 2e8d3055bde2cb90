package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
)

// seedStock is the storm lantern's stock in the demo catalog.
var seedStock = func() int32 {
	for _, p := range seed.Products {
		if p.Slug == "storm-lantern" {
			return p.Stock
		}
	}
	panic("storm-lantern is not seeded")
}()

func setStock(t testing.TB, c *catalog, n int32) {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), c.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `UPDATE products SET stock = $2 WHERE id = $1`, lantern, n); err != nil {
		t.Fatal(err)
	}
}

func stock(t testing.TB, c *catalog) int32 {
	t.Helper()
	p, err := c.client.GetProduct(context.Background(), &catalogv1.GetProductRequest{IdOrSlug: lantern})
	if err != nil {
		t.Fatal(err)
	}
	return p.GetProduct().GetStock()
}

// grepLines returns the lines of text that contain s (for failure messages).
func grepLines(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
