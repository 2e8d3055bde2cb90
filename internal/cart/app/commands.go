package app

import (
	"context"
	"fmt"
	"os"

	"github.com/shipshape-dev/shipshape/internal/cart/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Commands are the cart binary's subcommands.
func Commands() []cli.Command {
	return []cli.Command{
		{Name: "serve", Usage: "serve gRPC, REST and admin (default)", Run: func(ctx context.Context, _ []string) error {
			var cfg Config
			if err := config.Load(&cfg); err != nil {
				return err
			}
			return Serve(ctx, cfg, nil)
		}},
		{Name: "migrate", Usage: "apply database migrations (safe to run concurrently)", Run: func(ctx context.Context, _ []string) error {
			// Only the database settings: migrate runs as a Job without
			// listener or catalog settings.
			var db pg.Config
			if err := config.Load(&db); err != nil {
				return err
			}
			n, err := pg.Migrate(ctx, db.URL, migrations.FS)
			if err == nil {
				fmt.Fprintf(os.Stderr, "cart migrate: %d migration(s) applied\n", n)
			}
			return err
		}},
	}
}
