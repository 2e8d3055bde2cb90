// Package orderstest gives tests a database with orders' schema.
package orderstest

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/orders/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Migrated returns a template whose clones hold orders' schema and no data.
// Keep one per test package, in a package-level variable.
func Migrated() *pgtest.Template {
	return &pgtest.Template{Name: "orders_migrated", Prepare: func(ctx context.Context, url string) error {
		_, err := pg.Migrate(ctx, url, migrations.FS)
		return err
	}}
}
