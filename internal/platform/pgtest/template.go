package pgtest

import (
	"context"
	"fmt"
	"github.com/jackc/pgx/v5/pgxpool"
	"io/fs"
	"sync"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// Template is a database prepared once (e.g. migrated and seeded) and then
// cloned for each test, which is much faster than preparing every time.
// Declare it as a package-level variable and do not copy it.
type Template struct {
	Name    string
	Prepare func(ctx context.Context, databaseURL string) error

	mu       sync.Mutex
	prepared bool
	err      error // the first preparation's result, reported on every call
}

// NewDatabase returns the URL of a fresh clone of the template, preparing
// the template on first use; the clone is dropped when the test ends.
func (tpl *Template) NewDatabase(t testing.TB) string {
	t.Helper()
	if err := tpl.ensure(t.Context()); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	name := uniqueName(t)
	if err := adminExec(t.Context(), "CREATE DATABASE "+quoteIdent(name)+" TEMPLATE "+quoteIdent(tpl.dbName())); err != nil {
		t.Fatalf("pgtest: clone template %s: %v", tpl.Name, err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return Server().URL(name)
}

// NewPool is NewDatabase with a connection pool on the clone, closed when
// the test ends: what a store's tests start from.
func (tpl *Template) NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), tpl.NewDatabase(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Migrated returns a template named "<name>_migrated" whose clones hold the
// schema of migrations (goose files, e.g. a service's migrations.FS) and no
// rows. Keep one per test package, in a package-level variable.
func Migrated(name string, migrations fs.FS) *Template {
	return &Template{Name: name + "_migrated", Prepare: func(ctx context.Context, url string) error {
		_, err := pg.Migrate(ctx, url, migrations)
		return err
	}}
}

func (tpl *Template) dbName() string { return "tpl_" + tpl.Name }

// ensure prepares the template once; a failure is remembered rather than
// retried, so every test reports the same root cause quickly.
func (tpl *Template) ensure(ctx context.Context) error {
	tpl.mu.Lock()
	defer tpl.mu.Unlock()
	if !tpl.prepared {
		tpl.prepared = true
		if err := tpl.prepare(ctx); err != nil {
			tpl.err = fmt.Errorf("template %s: %w", tpl.Name, err)
		}
	}
	return tpl.err
}

func (tpl *Template) prepare(ctx context.Context) error {
	name := quoteIdent(tpl.dbName())
	if err := adminExec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)", "CREATE DATABASE "+name); err != nil {
		return err
	}
	if tpl.Prepare != nil {
		if err := tpl.Prepare(ctx, Server().URL(tpl.dbName())); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
	}
	// Cloning fails while anyone is connected to the source: forbid new
	// connections and end any that Prepare left open.
	return adminExec(ctx,
		"ALTER DATABASE "+name+" ALLOW_CONNECTIONS false",
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "+quoteLiteral(tpl.dbName()))
}
