package bootstrap

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/listeners"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// ServeCommand is the "serve" subcommand: it loads the service's whole
// configuration T from the environment and runs serve until ctx ends.
func ServeCommand[T any](serve func(ctx context.Context, cfg T, listening func(listeners.Addrs)) error) cli.Command {
	return cli.Command{Name: "serve", Usage: "serve gRPC, REST and admin (default)", Run: func(ctx context.Context, _ []string) error {
		cfg, err := LoadConfig[T]()
		if err != nil {
			return err
		}
		return serve(ctx, cfg, nil)
	}}
}

// MigrateCommand is the "migrate" subcommand: it applies migrations to the
// service's database and reports how many it applied on stderr.
func MigrateCommand(service string, migrations fs.FS) cli.Command {
	return cli.Command{Name: "migrate", Usage: "apply database migrations (safe to run concurrently)", Run: func(ctx context.Context, _ []string) error {
		// Only the database settings: migrate runs as a Job that has no
		// listener or other service settings.
		db, err := LoadConfig[pg.Config]()
		if err != nil {
			return err
		}
		n, err := pg.Migrate(ctx, db.URL, migrations)
		if err == nil {
			fmt.Fprintf(os.Stderr, "%s migrate: %d migration(s) applied\n", service, n)
		}
		return err
	}}
}
