package dbagent

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// role is one service's role and database, named by its password file.
type role struct {
	name     string
	password string
}

// roleNamePattern keeps names to plain lowercase identifiers, which need
// no case folding and match the Kubernetes Secret keys they come from.
var roleNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxRoleName is PostgreSQL's identifier limit: a longer name would be
// truncated silently, and the role would not be the one the file names.
const maxRoleName = 63

func checkRoleName(name string) error {
	switch {
	case !roleNamePattern.MatchString(name):
		return fmt.Errorf("refusing role name %q: want ^[a-z][a-z0-9_]*$", name)
	case len(name) > maxRoleName:
		return fmt.Errorf("refusing role name %q: longer than %d bytes", name, maxRoleName)
	case strings.HasPrefix(name, "pg_"):
		return fmt.Errorf("refusing role name %q: the pg_ prefix is reserved", name)
	}
	return nil
}

// readPasswords reads one role per regular file in dir, sorted by name (as
// ReadDir returns them). Names starting with "." are skipped: a Kubernetes
// projected volume keeps its ..data and timestamped directories there. The
// error lists every file that was refused or unreadable; the roles
// returned are the good ones.
func readPasswords(dir string) ([]role, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("passwords: %w", err)
	}
	var roles []role
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		// Stat follows the symlinks a projected volume is made of.
		fi, err := os.Stat(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("passwords: %w", err))
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		if err := checkRoleName(name); err != nil {
			errs = append(errs, fmt.Errorf("passwords: %s: %w", path, err))
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("passwords: %w", err))
			continue
		}
		pw := strings.TrimSuffix(string(b), "\n")
		if err := checkPassword(pw); err != nil {
			errs = append(errs, fmt.Errorf("passwords: %s: %w", path, err))
			continue
		}
		roles = append(roles, role{name: name, password: pw})
	}
	return roles, errors.Join(errs...)
}

// checkPassword rejects what cannot travel in a SQL string literal, and an
// empty password, which PostgreSQL stores as none at all: the service would
// be locked out without an error.
func checkPassword(pw string) error {
	switch {
	case pw == "":
		return errors.New("empty password")
	case strings.ContainsRune(pw, 0):
		return errors.New("password contains a NUL byte")
	case !utf8.ValidString(pw):
		return errors.New("password is not valid UTF-8")
	}
	return nil
}

// fingerprint identifies a set of roles and passwords, so the agent can
// tell a changed file without keeping the passwords between checks.
func fingerprint(roles []role) [sha256.Size]byte {
	h := sha256.New()
	for _, r := range roles {
		// Lengths first, so no two different sets hash the same bytes.
		fmt.Fprintf(h, "%d:%s%d:%s", len(r.name), r.name, len(r.password), r.password)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// sessionSettings keep the password out of every log: no statement
// logging by type, duration or sampling, and no STATEMENT line when the
// ALTER fails. standard_conforming_strings makes quoteLiteral's escaping
// the only escaping. A real deployment may load pg_stat_statements, which
// would keep the text of utility statements; the setting is a harmless
// placeholder where it is not loaded.
var sessionSettings = []string{
	"SET log_statement = 'none'",
	"SET log_min_error_statement = 'panic'",
	"SET log_min_duration_statement = -1",
	"SET log_min_duration_sample = -1",
	"SET log_transaction_sample_rate = 0",
	"SET pg_stat_statements.track_utility = off",
	"SET standard_conforming_strings = on",
	"SET password_encryption = 'scram-sha-256'",
}

// syncRoles makes each role and its database exist and match, on one
// superuser session. A failing role does not stop the others; the error
// names every role that failed and never carries a password.
func syncRoles(ctx context.Context, databaseURL string, roles []role) error {
	conn, err := connect(ctx, databaseURL)
	if err != nil {
		return fmt.Errorf("roles: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, s := range sessionSettings {
		if _, err := conn.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("roles: %s: %w", s, err)
		}
	}
	var errs []error
	for _, r := range roles {
		if err := syncRole(ctx, conn, r); err != nil {
			errs = append(errs, fmt.Errorf("roles: %s: %w", r.name, err))
		}
	}
	return errors.Join(errs...)
}

// connectTimeout bounds reaching the local PostgreSQL when the URL sets
// none, so a hung socket cannot stall the loop.
const connectTimeout = 10 * time.Second

// connect opens one superuser session on the local PostgreSQL.
func connect(ctx context.Context, databaseURL string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		// pgx's parse errors may quote the URL, which could hold a password.
		return nil, errors.New("DBAGENT_DATABASE_URL cannot be parsed")
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to local postgres: %w", err)
	}
	return conn, nil
}

// syncRole makes one role and its private database exist and match its
// password file.
func syncRole(ctx context.Context, conn *pgx.Conn, r role) error {
	var exists, privileged bool
	err := conn.QueryRow(ctx, `SELECT count(*) > 0, coalesce(bool_or(rolsuper OR rolreplication), false)
	                           FROM pg_roles WHERE rolname = $1`, r.name).Scan(&exists, &privileged)
	if err != nil {
		return err
	}
	// A file named after Patroni's superuser or replication role would
	// otherwise strip its privileges and break the cluster.
	if privileged {
		return errors.New("refusing to manage a superuser or replication role")
	}
	id := pgx.Identifier{r.name}.Sanitize()
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE ROLE "+id+" LOGIN", pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("create role: %w", err)
		}
	}
	// ALTER ROLE takes no bind parameters, so what it stores is a literal:
	// the SCRAM verifier made here, so the password never reaches the
	// server; only a password SASLprep would change goes as itself (the
	// session settings keep it out of the logs). Simple protocol keeps
	// the statement out of pgx's prepared statement cache.
	stored := r.password
	if asciiPrintable(r.password) {
		if stored, err = newScramVerifier(r.password); err != nil {
			return fmt.Errorf("scram verifier: %w", err)
		}
	}
	alter := "ALTER ROLE " + id + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD " + quoteLiteral(stored)
	if _, err := conn.Exec(ctx, alter, pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("alter role: %w", err)
	}
	var dbExists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", r.name).Scan(&dbExists); err != nil {
		return err
	}
	if !dbExists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+id+" OWNER "+id, pgx.QueryExecModeSimpleProtocol); err != nil {
			return fmt.Errorf("create database: %w", err)
		}
	}
	if _, err := conn.Exec(ctx, "REVOKE ALL ON DATABASE "+id+" FROM PUBLIC", pgx.QueryExecModeSimpleProtocol); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return nil
}

// quoteLiteral is a standard SQL string literal; with
// standard_conforming_strings on, backslashes are ordinary characters and
// doubling the quote is the only escape.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// roleSync decides when to sync: at the start of each leadership term,
// when the files change, and at least every `every` in case someone
// altered a role by hand.
type roleSync struct {
	dir, databaseURL string
	every            time.Duration

	synced bool // since the last reset
	hash   [sha256.Size]byte
	at     time.Time
}

// reset makes the next run sync whatever the files say: a new leadership
// term must not trust what an earlier one did.
func (s *roleSync) reset() { s.synced = false }

// run syncs if due and reports whether it ran and which roles it synced.
// Only a fully successful sync is remembered, so a failure is retried on
// the next call.
func (s *roleSync) run(ctx context.Context, now time.Time) (ran bool, names []string, err error) {
	roles, readErr := readPasswords(s.dir)
	hash := fingerprint(roles)
	if readErr == nil && s.synced && hash == s.hash && now.Sub(s.at) < s.every {
		return false, nil, nil
	}
	for _, r := range roles {
		names = append(names, r.name)
	}
	if len(roles) > 0 {
		err = syncRoles(ctx, s.databaseURL, roles)
	}
	if err = errors.Join(readErr, err); err == nil {
		s.synced, s.hash, s.at = true, hash, now
	}
	return true, names, err
}
