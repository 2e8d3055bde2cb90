package pgtest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var dbCounter atomic.Int64

// NewDatabase creates a fresh empty database and returns its superuser URL;
// the database is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	name := uniqueName(t)
	if err := adminExec(t.Context(), "CREATE DATABASE "+quoteIdent(name)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, name) })
	return Server().URL(name)
}

// uniqueName derives a readable name from the test (handy when looking at
// a server left behind by a debugger) plus a counter for uniqueness; it stays
// within PostgreSQL's 63-byte identifier limit.
func uniqueName(t testing.TB) string {
	var b strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	base := b.String()
	if len(base) > 40 {
		base = base[:40]
	}
	return fmt.Sprintf("t_%s_%d", base, dbCounter.Add(1))
}

func dropDatabase(t testing.TB, name string) {
	// t.Context is already cancelled while cleanups run.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// FORCE ends sessions the test forgot to close (e.g. an unclosed pool).
	if err := adminExec(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)"); err != nil {
		t.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// adminExec runs statements as superuser on the maintenance database. A
// connection per call keeps this safe for parallel tests.
func adminExec(ctx context.Context, stmts ...string) error {
	conn, err := pgx.Connect(ctx, Server().URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
