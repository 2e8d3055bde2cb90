package pglocal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/pglocal"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func TestRestartKeepsData(t *testing.T) {
	srv := pgtest.Server()
	url := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx(t), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx(t))

	if err := srv.Stop(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(ctx(t)); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if _, err := pgx.Connect(ctx(t), url); err == nil {
		t.Fatal("connected to a stopped server")
	}
	if err := srv.Start(ctx(t)); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := connect(t, url).QueryRow(ctx(t), "SELECT v FROM kept").Scan(&v); err != nil || v != "survives" {
		t.Fatalf("after restart got %q, %v", v, err)
	}
	if err := srv.Start(ctx(t)); err == nil {
		t.Fatal("Start on a running server succeeded")
	}
}

func TestCreateDatabaseIdempotentAndRoleLogsIn(t *testing.T) {
	srv := pgtest.Server()
	const db, role, pw = "orders-db", "orders role", `it's\secret`
	for range 2 {
		if err := srv.CreateDatabase(ctx(t), db, role, pw); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		c := connect(t, srv.URL("postgres"))
		_, _ = c.Exec(context.Background(), `DROP DATABASE "orders-db" WITH (FORCE)`)
		_, _ = c.Exec(context.Background(), `DROP ROLE "orders role"`)
	})
	// Trust auth does not check the password; this proves the role can log
	// in and owns the database (so it can create tables in public).
	conn := connect(t, srv.UserURL(db, role, pw))
	var user, owner string
	err := conn.QueryRow(ctx(t), `SELECT current_user, pg_get_userbyid(datdba)
		FROM pg_database WHERE datname = current_database()`).Scan(&user, &owner)
	if err != nil || user != role || owner != role {
		t.Fatalf("user %q owner %q err %v", user, owner, err)
	}
	if _, err := conn.Exec(ctx(t), "CREATE TABLE t (id int)"); err != nil {
		t.Fatal(err)
	}
	if err := srv.CreateDatabase(ctx(t), "plain_db", "", ""); err != nil {
		t.Fatal(err)
	}
	_, _ = connect(t, srv.URL("postgres")).Exec(ctx(t), "DROP DATABASE plain_db")
}

func TestStartFailsWithLogTailWhenPortTaken(t *testing.T) {
	dir, err := os.MkdirTemp("", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o711); err != nil { // postgres user must traverse it when we are root
		t.Fatal(err)
	}
	srv, err := pglocal.Start(ctx(t), pglocal.Options{DataDir: filepath.Join(dir, "data"), Port: pgtest.Server().Port()})
	if err == nil {
		srv.Stop(ctx(t))
		t.Fatal("second server on a taken port started")
	}
	if !strings.Contains(err.Error(), "exited during startup") || !strings.Contains(err.Error(), "could not bind") {
		t.Fatalf("error lacks reason and log tail: %v", err)
	}
	t.Log(err)
}

// CPUTime counts the backends' work: a query that keeps a backend busy
// shows up in the next reading.
func TestCPUTimeCountsTheBackends(t *testing.T) {
	srv := pgtest.Server()
	before, err := srv.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	conn := connect(t, srv.URL("postgres"))
	if _, err := conn.Exec(ctx(t), "SELECT count(*) FROM generate_series(1, 5000000)"); err != nil {
		t.Fatal(err)
	}
	after, err := srv.CPUTime()
	if err != nil {
		t.Fatal(err)
	}
	if after-before < 50*time.Millisecond {
		t.Fatalf("CPU time went from %v to %v over a query counting 5 million rows", before, after)
	}
}
