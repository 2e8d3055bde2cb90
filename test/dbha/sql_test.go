package dbha_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// sqlTimeout bounds one helper call; a commit may wait for the synchronous
// standby, which on a loaded machine takes a moment.
const sqlTimeout = 30 * time.Second

// connString is m's superuser connection over TCP with SCRAM, the path an
// application takes.
func (m *member) connString() string {
	return fmt.Sprintf("host=127.0.0.1 port=%d user=postgres password=%s dbname=postgres sslmode=disable connect_timeout=5",
		m.pgPort, superPassword)
}

func (m *member) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, m.connString())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	return conn, nil
}

// queryRow runs one query on its own connection and scans its only row.
func (m *member) queryRow(sql string, args []any, dest ...any) error {
	ctx, cancel := context.WithTimeout(context.Background(), sqlTimeout)
	defer cancel()
	conn, err := m.connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(ctx, sql, args...).Scan(dest...); err != nil {
		return fmt.Errorf("%s: %w", m.name, err)
	}
	return nil
}

func (m *member) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), sqlTimeout)
	defer cancel()
	conn, err := m.connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %s: %v", m.name, sql, err)
	}
}

// mustQueryRow is queryRow that fails the test on error.
func (m *member) mustQueryRow(t testing.TB, sql string, args []any, dest ...any) {
	t.Helper()
	if err := m.queryRow(sql, args, dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// ids returns the ids of table as a set.
func (m *member) ids(t testing.TB, table string) map[int64]bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), sqlTimeout)
	defer cancel()
	conn, err := m.connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, "SELECT id FROM "+pgx.Identifier{table}.Sanitize())
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	set := make(map[int64]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

// rowCount counts a table's rows on m.
func (m *member) rowCount(t testing.TB, table string) int {
	t.Helper()
	var n int
	m.mustQueryRow(t, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize(), nil, &n)
	return n
}
