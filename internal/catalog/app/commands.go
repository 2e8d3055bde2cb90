package app

import (
	"context"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/catalog/seed"
	"github.com/shipshape-dev/shipshape/internal/catalog/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Commands are the catalog binary's subcommands.
func Commands() []cli.Command {
	return []cli.Command{
		bootstrap.ServeCommand(Serve),
		bootstrap.MigrateCommand("catalog", migrations.FS),
		{Name: "seed", Usage: "load the demo catalog (idempotent)", Run: func(ctx context.Context, _ []string) error {
			// Only the database settings: seed runs as a Job that has no listener settings.
			db, err := bootstrap.LoadConfig[pg.Config]()
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
