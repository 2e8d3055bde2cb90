package pglocal

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Connect opens a superuser connection to database.
func (s *Server) Connect(ctx context.Context, database string) (*pgx.Conn, error) {
	return pgx.Connect(ctx, s.URL(database))
}

// ping succeeds only when the server answering on our port is the one using
// our data directory: another cluster that grabbed the port must not pass
// for ours.
func (s *Server) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := s.Connect(ctx, "postgres")
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var dir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dir); err != nil {
		return err
	}
	if filepath.Clean(dir) != s.opts.DataDir {
		return fmt.Errorf("port %d is served by another cluster (data directory %s)", s.opts.Port, dir)
	}
	return nil
}

// CreateDatabase makes sure database name exists. If owner is non-empty it
// also makes sure a LOGIN role owner exists with the given password (the
// password is (re)set, so it always matches the caller's configuration) and
// a newly created database is owned by it. Existing databases are left as
// they are.
func (s *Server) CreateDatabase(ctx context.Context, name, owner, password string) error {
	if name == "" {
		return errors.New("pglocal: CreateDatabase: empty database name")
	}
	conn, err := s.Connect(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("pglocal: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if owner != "" {
		if err := ensureRole(ctx, conn, owner, password); err != nil {
			return err
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pglocal: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	stmt := "CREATE DATABASE " + quoteIdent(name)
	if owner != "" {
		stmt += " OWNER " + quoteIdent(owner)
	}
	// A concurrent creator may win between the check and here; that is fine.
	if _, err := conn.Exec(ctx, stmt); err != nil && !isCode(err, "42P04") {
		return fmt.Errorf("pglocal: create database %s: %w", name, err)
	}
	return nil
}

func ensureRole(ctx context.Context, conn *pgx.Conn, role, password string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role).Scan(&exists); err != nil {
		return fmt.Errorf("pglocal: look up role %s: %w", role, err)
	}
	// DDL takes no bind parameters, hence the quoted literal.
	attrs := " LOGIN PASSWORD " + quoteLiteral(password)
	if password == "" {
		attrs = " LOGIN"
	}
	if !exists {
		_, err := conn.Exec(ctx, "CREATE ROLE "+quoteIdent(role)+attrs)
		if err == nil {
			return nil
		}
		if !isCode(err, "42710") { // duplicate_object: lost a race, alter instead
			return fmt.Errorf("pglocal: create role %s: %w", role, err)
		}
	}
	if _, err := conn.Exec(ctx, "ALTER ROLE "+quoteIdent(role)+attrs); err != nil {
		return fmt.Errorf("pglocal: alter role %s: %w", role, err)
	}
	return nil
}

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

// quoteLiteral quotes like libpq's PQescapeLiteral: quotes are doubled, and
// a value with backslashes uses the E-string form with doubled backslashes,
// so the result is right whatever standard_conforming_strings says.
func quoteLiteral(s string) string {
	s = strings.ReplaceAll(s, "'", "''")
	if strings.Contains(s, `\`) {
		return ` E'` + strings.ReplaceAll(s, `\`, `\\`) + `'`
	}
	return "'" + s + "'"
}

func isCode(err error, code string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code
}
