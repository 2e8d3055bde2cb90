package pgtest

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, url, sql string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func databaseExists(t *testing.T, name string) bool {
	return count(t, Server().URL("postgres"), "SELECT count(*) FROM pg_database WHERE datname = "+quoteLiteral(name)) == 1
}

func TestNewDatabaseIsolated(t *testing.T) {
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("same URL twice: %s", a)
	}
	exec(t, a, "CREATE TABLE only_in_a (id int)")
	if n := count(t, b, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"); n != 0 {
		t.Fatal("table from database a visible in database b")
	}
}

func TestNewDatabaseDroppedAfterTest(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		url := NewDatabase(t)
		name = url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
		// An open session must not block the drop (WITH (FORCE)).
		conn, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn
		if !databaseExists(t, name) {
			t.Fatalf("database %s missing during the test", name)
		}
	})
	if databaseExists(t, name) {
		t.Fatalf("database %s still exists after its test ended", name)
	}
}

func TestTemplatePreparesOnce(t *testing.T) {
	var calls atomic.Int32
	tpl := &Template{Name: "prepared_once", Prepare: func(ctx context.Context, url string) error {
		calls.Add(1)
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		// Deliberately left open: the template must still be cloneable.
		_, err = conn.Exec(ctx, "CREATE TABLE items (name text); INSERT INTO items VALUES ('seed')")
		return err
	}}
	a, b, c := tpl.NewDatabase(t), tpl.NewDatabase(t), tpl.NewDatabase(t)
	if n := calls.Load(); n != 1 {
		t.Fatalf("Prepare ran %d times", n)
	}
	exec(t, a, "INSERT INTO items VALUES ('only a')")
	for _, url := range []string{b, c} {
		if n := count(t, url, "SELECT count(*) FROM items"); n != 1 {
			t.Fatalf("clone has %d rows, want just the seed", n)
		}
	}
	if n := count(t, a, "SELECT count(*) FROM items"); n != 2 {
		t.Fatalf("clone a has %d rows, want 2", n)
	}
}

func TestTemplateRemembersError(t *testing.T) {
	var calls atomic.Int32
	boom := errors.New("boom")
	tpl := &Template{Name: "broken", Prepare: func(context.Context, string) error {
		calls.Add(1)
		return boom
	}}
	for range 2 {
		if err := tpl.ensure(t.Context()); !errors.Is(err, boom) || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("got %v", err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("Prepare ran %d times", n)
	}
}

func TestMigratedAppliesMigrationsOnce(t *testing.T) {
	tpl := Migrated("shop", fstest.MapFS{"00001_create_items.sql": {Data: []byte(`-- +goose Up
CREATE TABLE items (id bigint PRIMARY KEY);

-- +goose Down
DROP TABLE items;
`)}})
	if tpl.Name != "shop_migrated" {
		t.Fatalf("name %q", tpl.Name)
	}
	a, b := tpl.NewDatabase(t), tpl.NewDatabase(t)
	exec(t, a, "INSERT INTO items VALUES (1)")
	if n := count(t, b, "SELECT count(*) FROM items"); n != 0 {
		t.Fatalf("fresh clone has %d rows", n)
	}
	// Each clone carries goose's record, so migrating it again is a no-op.
	for _, url := range []string{a, b} {
		if n := count(t, url, "SELECT count(*) FROM goose_db_version WHERE version_id = 1"); n != 1 {
			t.Fatalf("migration recorded %d times", n)
		}
	}
}

func TestUniqueNameFitsIdentifierLimit(t *testing.T) {
	t.Run(strings.Repeat("Very Long-Name/", 10), func(t *testing.T) {
		n := uniqueName(t)
		if len(n) > 63 || strings.ContainsAny(n, " -/") {
			t.Fatalf("bad name %q", n)
		}
	})
}
