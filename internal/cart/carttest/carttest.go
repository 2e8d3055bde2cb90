// Package carttest gives tests a database with cart's schema, for cart's
// own tests and for services that run a real cart in theirs (orders).
package carttest

import (
	"context"

	"github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Migrated returns a template whose clones hold cart's schema and no carts.
// Keep one per test package, in a package-level variable.
func Migrated() *pgtest.Template {
	return &pgtest.Template{Name: "cart_migrated", Prepare: func(ctx context.Context, url string) error {
		_, err := pg.Migrate(ctx, url, migrations.FS)
		return err
	}}
}
