package store_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

// migrationsBefore is the migrations older than version (e.g. "00004").
func migrationsBefore(t *testing.T, version string) fs.FS {
	t.Helper()
	older := fstest.MapFS{}
	files, _ := fs.Glob(migrations.FS, "*.sql")
	for _, f := range files {
		if f < version {
			data, err := fs.ReadFile(migrations.FS, f)
			if err != nil {
				t.Fatal(err)
			}
			older[f] = &fstest.MapFile{Data: data}
		}
	}
	return older
}

// Tokens issued before families recorded their start get the family's
// first token's creation time.
func TestFamilyStartIsBackfilled(t *testing.T) {
	url := pgtest.NewDatabase(t)
	if _, err := pg.Migrate(t.Context(), url, migrationsBefore(t, "00004")); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	if _, err := pool.Exec(t.Context(), `INSERT INTO users (id, email, name, password_hash)
		VALUES ('11111111-1111-1111-1111-111111111111', 'a@b.example', 'A', 'x')`); err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(t.Context(), `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) VALUES
		  ('22222222-2222-2222-2222-222222222221', '11111111-1111-1111-1111-111111111111', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
		   decode(repeat('01', 32), 'hex'), $1::timestamptz + interval '30 days', $1),
		  ('22222222-2222-2222-2222-222222222222', '11111111-1111-1111-1111-111111111111', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
		   decode(repeat('02', 32), 'hex'), $1::timestamptz + interval '31 days', $1::timestamptz + interval '1 day')`, start)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pg.Migrate(t.Context(), url, migrations.FS); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool, `SELECT count(*) FROM refresh_tokens WHERE family_started_at = $1`, start); n != 2 {
		t.Fatalf("%d tokens carry the family's start, want 2", n)
	}
	_, err = pool.Exec(t.Context(), `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at)
		VALUES (gen_random_uuid(), '11111111-1111-1111-1111-111111111111', gen_random_uuid(), decode(repeat('03', 32), 'hex'), now())`)
	if err == nil || !strings.Contains(err.Error(), "family_started_at") {
		t.Fatalf("a token without a family start was stored: %v", err)
	}
}
