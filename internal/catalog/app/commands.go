package app

import (
	"context"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Commands are the catalog binary's subcommands.
func Commands() []cli.Command {
	return []cli.Command{
		{Name: "serve", Usage: "serve gRPC, REST and admin (default)", Run: func(ctx context.Context, _ []string) error {
			cfg, err := loadConfig()
			if err != nil {
				return err
			}
			return Serve(ctx, cfg, nil)
		}},
		{Name: "migrate", Usage: "apply database migrations (safe to run concurrently)", Run: func(ctx context.Context, _ []string) error {
			db, err := loadDB()
			if err != nil {
				return err
			}
			n, err := pg.Migrate(ctx, db.URL, migrations.FS)
			if err == nil {
				fmt.Fprintf(os.Stderr, "catalog migrate: %d migration(s) applied\n", n)
			}
			return err
		}},
		{Name: "seed", Usage: "load the demo catalog (idempotent)", Run: func(ctx context.Context, _ []string) error {
			db, err := loadDB()
			if err != nil {
				return err
			}
			pool, err := pg.Open(ctx, db)
			if err != nil {
				return err
			}
			defer pool.Close()
			res, err := seed.Load(ctx, pool)
			if err == nil {
				fmt.Fprintf(os.Stderr, "catalog seed: %d categories and %d products changed (%d and %d in the demo set)\n",
					res.CategoriesChanged, res.ProductsChanged, len(seed.Categories), len(seed.Products))
			}
			return err
		}},
	}
}

func loadConfig() (Config, error) {
	var cfg Config
	return cfg, config.Load(&cfg)
}

// loadDB reads only the database settings: migrate and seed run as Jobs that
// have no listener settings.
func loadDB() (pg.Config, error) {
	var db pg.Config
	return db, config.Load(&db)
}
