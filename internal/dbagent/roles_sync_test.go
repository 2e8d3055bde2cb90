package dbagent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// Role sync against the package's real server. Roles are cluster-wide, so
// each test makes names of its own and drops them afterwards.

func randomHex(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// testRoles returns unique role names ending in each of bases; they and
// their databases are dropped when the test ends.
func testRoles(t *testing.T, bases ...string) []string {
	t.Helper()
	prefix := "t" + randomHex(t) + "_"
	var names []string
	for _, b := range bases {
		name := prefix + b
		names = append(names, name)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			id := pgx.Identifier{name}.Sanitize()
			for _, sql := range []string{"DROP DATABASE IF EXISTS " + id + " WITH (FORCE)", "DROP ROLE IF EXISTS " + id} {
				if err := superExec(ctx, sql); err != nil {
					t.Errorf("cleanup: %v", err)
				}
			}
		})
	}
	return names
}

func superExec(ctx context.Context, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, pgtest.Server().URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

func superQueryRow(t *testing.T, sql string, args []any, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), pgtest.Server().URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(t.Context(), sql, args...).Scan(dest...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// storedPassword is the role's SCRAM verifier; ALTER ROLE ... PASSWORD
// salts anew every time, so an unchanged verifier proves no ALTER ran.
func storedPassword(t *testing.T, name string) string {
	t.Helper()
	var v string
	superQueryRow(t, "SELECT coalesce(rolpassword, '') FROM pg_authid WHERE rolname = $1", []any{name}, &v)
	return v
}

func passwordsDir(t *testing.T, passwords map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, pw := range passwords {
		writeFile(t, filepath.Join(dir, name), pw+"\n")
	}
	return dir
}

// login connects over TCP as name to its own database.
func login(ctx context.Context, name, password string) error {
	conn, err := pgx.Connect(ctx, pgtest.Server().UserURL(name, name, password))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

func isInvalidPassword(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "28P01"
}

// requireSCRAM makes the server authenticate these roles with SCRAM over
// TCP; the package's server trusts every local connection otherwise. The
// lines go first in pg_hba.conf (first match wins) and are taken out again
// when the test ends. probe must exist already.
func requireSCRAM(t *testing.T, probe string, names ...string) {
	t.Helper()
	path := filepath.Join(pgtest.Server().DataDir(), "pg_hba.conf")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("host all %s 127.0.0.1/32 scram-sha-256\n", strings.Join(names, ","))
	reload := func(content []byte) error {
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return superExec(ctx, "SELECT pg_reload_conf()")
	}
	t.Cleanup(func() {
		if err := reload(orig); err != nil {
			t.Errorf("restore pg_hba.conf: %v", err)
		}
	})
	if err := reload(append([]byte(line), orig...)); err != nil {
		t.Fatal(err)
	}
	// The postmaster rereads the file asynchronously after the signal.
	stacktest.Eventually(t, 10*time.Second, "SCRAM required for "+probe, func() bool {
		return isInvalidPassword(login(t.Context(), probe, "certainly-not-the-password"))
	})
}

func TestRoleSyncCreatesLoginRolesWithPrivateDatabases(t *testing.T) {
	names := testRoles(t, "identity", "catalog")
	// Quotes and backslashes must arrive as written.
	passwords := map[string]string{
		names[0]: `it's a "pass" \word\ ` + randomHex(t),
		names[1]: `c@t'log''` + randomHex(t),
	}
	s := &roleSync{dir: passwordsDir(t, passwords), databaseURL: pgtest.Server().URL("postgres"), every: time.Hour}

	ran, synced, err := s.run(t.Context(), time.Now())
	if err != nil || !ran {
		t.Fatalf("run: ran %t, error %v", ran, err)
	}
	if want := slices.Sorted(slices.Values(names)); !slices.Equal(synced, want) {
		t.Errorf("synced %v, want %v", synced, want)
	}
	for i, name := range names {
		var login, super, createDB, createRole, repl bool
		var verifier, owner string
		superQueryRow(t, `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolpassword
		                  FROM pg_authid WHERE rolname = $1`, []any{name}, &login, &super, &createDB, &createRole, &repl, &verifier)
		if !login || super || createDB || createRole || repl {
			t.Errorf("%s: login %t super %t createdb %t createrole %t replication %t; want only login",
				name, login, super, createDB, createRole, repl)
		}
		if !strings.HasPrefix(verifier, "SCRAM-SHA-256$") {
			t.Errorf("%s: password stored as %.14s..., want a SCRAM verifier", name, verifier)
		}
		superQueryRow(t, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", []any{name}, &owner)
		if owner != name {
			t.Errorf("database %s owned by %s", name, owner)
		}
		// PUBLIC lost CONNECT: the other service's role cannot connect.
		other := names[1-i]
		var otherCan, ownerCan bool
		superQueryRow(t, "SELECT has_database_privilege($1, $2, 'CONNECT'), has_database_privilege($3, $2, 'CONNECT')",
			[]any{other, name, name}, &otherCan, &ownerCan)
		if otherCan || !ownerCan {
			t.Errorf("database %s: CONNECT for %s %t, for its owner %t; want false, true", name, other, otherCan, ownerCan)
		}
	}

	requireSCRAM(t, names[0], names...)
	for _, name := range names {
		if err := login(t.Context(), name, passwords[name]); err != nil {
			t.Errorf("%s cannot log in with its file's password: %v", name, err)
		}
		if err := login(t.Context(), name, passwords[name]+"x"); !isInvalidPassword(err) {
			t.Errorf("%s with a wrong password: %v, want invalid password", name, err)
		}
	}
}

func TestRoleSyncFollowsThePasswordFile(t *testing.T) {
	name := testRoles(t, "cart")[0]
	oldPW, newPW := "old-"+randomHex(t), "new-"+randomHex(t)
	dir := passwordsDir(t, map[string]string{name: oldPW})
	const every = time.Hour
	s := &roleSync{dir: dir, databaseURL: pgtest.Server().URL("postgres"), every: every}
	now := time.Now()
	if ran, _, err := s.run(t.Context(), now); !ran || err != nil {
		t.Fatalf("first run: ran %t, error %v", ran, err)
	}
	requireSCRAM(t, name, name)
	first := storedPassword(t, name)

	// Unchanged files: nothing runs, so the verifier is not even re-salted.
	if ran, _, err := s.run(t.Context(), now.Add(time.Minute)); ran || err != nil {
		t.Fatalf("unchanged files: ran %t, error %v; want a no-op", ran, err)
	}
	if storedPassword(t, name) != first {
		t.Fatal("unchanged files altered the role")
	}
	if err := login(t.Context(), name, oldPW); err != nil {
		t.Fatalf("login after the no-op: %v", err)
	}

	// A rotated Secret: the new password works, the old one no longer.
	writeFile(t, filepath.Join(dir, name), newPW+"\n")
	if ran, _, err := s.run(t.Context(), now.Add(2*time.Minute)); !ran || err != nil {
		t.Fatalf("changed file: ran %t, error %v", ran, err)
	}
	if err := login(t.Context(), name, newPW); err != nil {
		t.Errorf("new password refused: %v", err)
	}
	if err := login(t.Context(), name, oldPW); !isInvalidPassword(err) {
		t.Errorf("old password: %v, want invalid password", err)
	}

	// The safety net: past `every` it runs although nothing changed.
	second := storedPassword(t, name)
	if ran, _, err := s.run(t.Context(), now.Add(2*time.Minute+every)); !ran || err != nil {
		t.Fatalf("after %s: ran %t, error %v; want a sync", every, ran, err)
	}
	if storedPassword(t, name) == second {
		t.Error("the periodic sync did not run ALTER ROLE")
	}
	// A new leadership term syncs at once.
	s.reset()
	if ran, _, err := s.run(t.Context(), now.Add(2*time.Minute+every+time.Second)); !ran || err != nil {
		t.Fatalf("after reset: ran %t, error %v; want a sync", ran, err)
	}
	if err := login(t.Context(), name, newPW); err != nil {
		t.Errorf("password after the re-syncs: %v", err)
	}
}

// A bad file fails the sync (and so it is retried), but the good roles are
// still synced: one broken Secret must not block rotating the others.
func TestRoleSyncRefusesBadFilesWithoutTouchingOthers(t *testing.T) {
	good := testRoles(t, "orders")[0]
	badName := "Bad-" + randomHex(t)
	dir := passwordsDir(t, map[string]string{good: "good-pw", badName: "bad-pw", "postgres": "hijack-" + randomHex(t)})
	superBefore := storedPassword(t, "postgres")
	s := &roleSync{dir: dir, databaseURL: pgtest.Server().URL("postgres"), every: time.Hour}

	ran, synced, err := s.run(t.Context(), time.Now())
	if !ran || err == nil {
		t.Fatalf("ran %t, error %v; want a failed run", ran, err)
	}
	for _, want := range []string{`refusing role name "` + badName + `"`, "roles: postgres: refusing to manage a superuser"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if want := slices.Sorted(slices.Values([]string{good, "postgres"})); !slices.Equal(synced, want) {
		t.Errorf("attempted %v, want %v", synced, want)
	}
	var n int
	superQueryRow(t, "SELECT count(*) FROM pg_roles WHERE lower(rolname) = lower($1)", []any{badName}, &n)
	if n != 0 {
		t.Errorf("a role for %s exists", badName)
	}
	superQueryRow(t, "SELECT count(*) FROM pg_database WHERE datname = $1", []any{good}, &n)
	if n != 1 {
		t.Errorf("good role's database missing")
	}
	var super bool
	superQueryRow(t, "SELECT rolsuper FROM pg_roles WHERE rolname = 'postgres'", nil, &super)
	if !super || storedPassword(t, "postgres") != superBefore {
		t.Errorf("postgres was altered (superuser now %t)", super)
	}
	// Not remembered as synced: the next check tries again.
	if ran, _, err := s.run(t.Context(), time.Now()); !ran || err == nil {
		t.Errorf("second run: ran %t, error %v; want a retry that fails again", ran, err)
	}
}

// tailFrom returns what the server logged after offset.
func tailFrom(t *testing.T, offset int64) string {
	t.Helper()
	b, err := os.ReadFile(pgtest.Server().LogPath())
	if err != nil {
		t.Fatal(err)
	}
	return string(b[min(offset, int64(len(b))):])
}

func logSize(t *testing.T) int64 {
	t.Helper()
	fi, err := os.Stat(pgtest.Server().LogPath())
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// A database set to log every statement, with its duration, still never
// gets the password in the server log: neither from a successful ALTER
// ROLE nor from one that fails (as on a member just demoted to replica).
func TestRoleSyncKeepsPasswordsOutOfTheServerLog(t *testing.T) {
	url, db := loggedDatabase(t)
	if err := superExec(t.Context(), "ALTER DATABASE "+db+" SET log_min_duration_statement = 0"); err != nil {
		t.Fatal(err)
	}
	name := testRoles(t, "identity")[0]
	pw := "logged-" + randomHex(t)

	start := logSize(t)
	if err := syncRoles(t.Context(), url, []role{{name, pw}}); err != nil {
		t.Fatal(err)
	}
	logged := tailFrom(t, start)
	// The first SET ran while everything was still logged: proof that the
	// log would have shown the ALTER.
	if !strings.Contains(logged, "SET log_statement = 'none'") {
		t.Fatalf("statement logging was not on; log:\n%s", logged)
	}
	if strings.Contains(logged, pw) {
		t.Fatalf("password in the server log:\n%s", logged)
	}

	if err := superExec(t.Context(), "ALTER DATABASE "+db+" SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	pw2 := "failed-" + randomHex(t)
	start = logSize(t)
	err := syncRoles(t.Context(), url, []role{{name, pw2}})
	if err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Fatalf("error %v, want a read-only failure", err)
	}
	if strings.Contains(err.Error(), pw2) {
		t.Fatalf("password in the error: %v", err)
	}
	logged = tailFrom(t, start)
	if !strings.Contains(logged, "cannot execute ALTER ROLE in a read-only transaction") {
		t.Fatalf("the failure was not logged; log:\n%s", logged)
	}
	if strings.Contains(logged, pw2) {
		t.Fatalf("password in the server log:\n%s", logged)
	}
}

// loggedDatabase is a fresh database whose sessions log every statement,
// with its URL and its quoted name.
func loggedDatabase(t *testing.T) (url, db string) {
	t.Helper()
	url = pgtest.NewDatabase(t)
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	db = pgx.Identifier{strings.TrimPrefix(u.Path, "/")}.Sanitize()
	if err := superExec(t.Context(), "ALTER DATABASE "+db+" SET log_statement = 'all'"); err != nil {
		t.Fatal(err)
	}
	return url, db
}

// Even on a session that logs every statement, syncRole's ALTER ROLE
// carries a SCRAM verifier, never the password: the plain text does not
// reach the server at all. A password SASLprep would change is hashed by
// the server instead, and works either way.
func TestRoleSyncSendsAVerifierNotThePassword(t *testing.T) {
	url, _ := loggedDatabase(t)
	conn, err := connect(t.Context(), url) // without sessionSettings: everything is logged
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	names := testRoles(t, "orders", "cart")
	ascii, unicode := "ascii-"+randomHex(t), "pässwörd-"+randomHex(t)

	start := logSize(t)
	if err := syncRole(t.Context(), conn, role{names[0], ascii}); err != nil {
		t.Fatal(err)
	}
	logged := tailFrom(t, start)
	if !strings.Contains(logged, "PASSWORD 'SCRAM-SHA-256$4096:") || strings.Contains(logged, ascii) {
		t.Fatalf("want the verifier and not the password in the statement; log:\n%s", logged)
	}
	if err := syncRole(t.Context(), conn, role{names[1], unicode}); err != nil {
		t.Fatal(err)
	}
	for name, pw := range map[string]string{names[0]: ascii, names[1]: unicode} {
		requireSCRAM(t, name, name)
		if err := login(t.Context(), name, pw); err != nil {
			t.Errorf("%s: login with its password: %v", name, err)
		}
		if err := login(t.Context(), name, pw+"x"); !isInvalidPassword(err) {
			t.Errorf("%s: a wrong password: %v, want invalid password", name, err)
		}
	}
}
