package pg_test

import (
	"context"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

const createItems = `-- +goose Up
CREATE TABLE items (id bigint PRIMARY KEY);

-- +goose Down
DROP TABLE items;
`

func migrations(second string) fstest.MapFS {
	return fstest.MapFS{
		"00001_create_items.sql": {Data: []byte(createItems)},
		"00002_second.sql":       {Data: []byte(second)},
	}
}

var good = migrations(`-- +goose Up
ALTER TABLE items ADD COLUMN name text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE items DROP COLUMN name;
`)

// count runs a count(*) query on url.
func count(t *testing.T, url, query string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func columnCount(t *testing.T, url, column string) int {
	return count(t, url, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = '"+column+"'")
}

func TestMigrateAppliesOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	if n, err := pg.Migrate(t.Context(), url, good); err != nil || n != 2 {
		t.Fatalf("first run: applied %d, %v; want 2", n, err)
	}
	if n, err := pg.Migrate(t.Context(), url, good); err != nil || n != 0 {
		t.Fatalf("second run: applied %d, %v; want 0", n, err)
	}
	if columnCount(t, url, "name") != 1 {
		t.Fatal("column name missing")
	}
}

func TestMigrateConcurrentRunsApplyEachOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	const runs = 5
	applied := make([]int, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range runs {
		wg.Go(func() { applied[i], errs[i] = pg.Migrate(t.Context(), url, good) })
	}
	wg.Wait()
	total := 0
	for i := range runs {
		if errs[i] != nil {
			t.Errorf("run %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	if total != 2 {
		t.Fatalf("applied %v in total %d, want exactly 2", applied, total)
	}
	if columnCount(t, url, "id") != 1 || columnCount(t, url, "name") != 1 {
		t.Fatal("schema incomplete")
	}
}

func TestMigrateBrokenMigrationKeepsEarlierOnes(t *testing.T) {
	url := pgtest.NewDatabase(t)
	broken := migrations(`-- +goose Up
ALTER TABLE no_such_table ADD COLUMN name text;

-- +goose Down
SELECT 1;
`)
	if n, err := pg.Migrate(t.Context(), url, broken); err == nil || n != 1 {
		t.Fatalf("broken run: applied %d, %v; want 1 applied and an error", n, err)
	}
	if columnCount(t, url, "id") != 1 {
		t.Fatal("first migration not kept")
	}
	if n := count(t, url, "SELECT count(*) FROM goose_db_version WHERE version_id = 2"); n != 0 {
		t.Fatal("broken migration recorded as applied")
	}
	// Once fixed, only the second migration remains to apply.
	if n, err := pg.Migrate(t.Context(), url, good); err != nil || n != 1 {
		t.Fatalf("after the fix: applied %d, %v; want 1", n, err)
	}
}
