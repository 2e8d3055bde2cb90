// Package catalogtest gives catalog's tests a migrated, seeded database.
package catalogtest

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// Seeded returns a template whose clones hold the schema and the demo
// catalog. Keep one per test package, in a package-level variable.
func Seeded() *pgtest.Template {
	return &pgtest.Template{Name: "catalog_seeded", Prepare: func(ctx context.Context, url string) error {
		if _, err := pg.Migrate(ctx, url, migrations.FS); err != nil {
			return err
		}
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		_, err = seed.Load(ctx, pool)
		return err
	}}
}
