package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/bootstrap"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Commands are the identity binary's subcommands.
func Commands() []cli.Command {
	serve := bootstrap.ServeCommand(Serve)
	serve.Usage = "serve gRPC, REST (+ JWKS) and admin (default)"
	return []cli.Command{
		serve,
		bootstrap.MigrateCommand("identity", migrations.FS),
		{Name: "grant-admin", Usage: "<email>: give an existing account the admin role (idempotent)", Run: func(ctx context.Context, args []string) error {
			if len(args) != 1 {
				return errors.New("usage: identity grant-admin <email>")
			}
			// Only the database settings: grant-admin runs by hand, without listener or key settings.
			db, err := bootstrap.LoadConfig[pg.Config]()
			if err != nil {
				return err
			}
			return GrantAdmin(ctx, db, args[0], os.Stderr)
		}},
	}
}

// GrantAdmin adds the admin role to the account with email. The account's
// next access token (sign-in or refresh) carries it.
func GrantAdmin(ctx context.Context, db pg.Config, email string, out io.Writer) error {
	pool, err := pg.Open(ctx, db)
	if err != nil {
		return err
	}
	defer pool.Close()
	normalized, changed, err := usecase.New(usecase.Deps{Store: store.New(pool)}).GrantAdmin(ctx, email)
	switch {
	case err != nil:
		return err
	case changed:
		fmt.Fprintf(out, "identity grant-admin: %s now has the admin role (effective from its next sign-in or token refresh)\n", normalized)
	default:
		fmt.Fprintf(out, "identity grant-admin: %s already has the admin role\n", normalized)
	}
	return nil
}
