package pg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver goose needs
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate applies every pending migration in migrations (goose SQL files).
// A PostgreSQL advisory lock held for the session makes concurrent runs
// (two pods' init containers, a Job and a developer) safe: they apply in turn
// and the later ones find nothing left to do.
func Migrate(ctx context.Context, databaseURL string, migrations fs.FS) (applied int, err error) {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return 0, fmt.Errorf("migrate: open: %w", err)
	}
	defer db.Close()
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return 0, fmt.Errorf("migrate: locker: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations, goose.WithSessionLocker(locker))
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		// Migrations before the failing one stay applied: report them.
		var partial *goose.PartialError
		if errors.As(err, &partial) {
			return len(partial.Applied), fmt.Errorf("migrate: %w", err)
		}
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(results), nil
}
