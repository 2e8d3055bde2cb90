package pg_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

func TestClassifyNil(t *testing.T) {
	if err := pg.Classify(nil); err != nil {
		t.Fatalf("got %v", err)
	}
}

func TestClassifyPassesThrough(t *testing.T) {
	domain := fmt.Errorf("save: %w", apperr.NotFound("order", "1"))
	for _, err := range []error{domain, context.Canceled, fmt.Errorf("query: %w", context.DeadlineExceeded)} {
		if got := pg.Classify(err); got != err {
			t.Errorf("Classify(%v) = %v, want it unchanged", err, got)
		}
	}
}

func TestClassifyPgErrors(t *testing.T) {
	for code, want := range map[string]apperr.Kind{
		"08006": apperr.KindUnavailable, // connection failure
		"08001": apperr.KindUnavailable,
		"57P01": apperr.KindUnavailable, // admin shutdown
		"53300": apperr.KindUnavailable, // too many connections
		"40001": apperr.KindAborted,     // serialization failure
		"40P01": apperr.KindAborted,     // deadlock
		"23505": apperr.KindInternal,    // unique: callers handle it
		"42P01": apperr.KindInternal,    // undefined table
	} {
		pgErr := &pgconn.PgError{Code: code, Message: "server said so"}
		got := pg.Classify(fmt.Errorf("exec: %w", pgErr))
		if !apperr.Is(got, want) {
			t.Errorf("%s: got %v, want kind %d", code, got, want)
			continue
		}
		if !errors.Is(got, pgErr) {
			t.Errorf("%s: cause lost", code)
		}
	}
}

func TestClassifyConnectionErrors(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, err := range []error{opErr, fmt.Errorf("read: %w", io.ErrUnexpectedEOF)} {
		if got := pg.Classify(err); !apperr.Is(got, apperr.KindUnavailable) {
			t.Errorf("Classify(%v) = %v, want Unavailable", err, got)
		}
	}
}

func TestClassifyOtherErrorIsInternal(t *testing.T) {
	cause := errors.New("cannot scan into *int")
	got := pg.Classify(cause)
	if !apperr.Is(got, apperr.KindInternal) || !errors.Is(got, cause) {
		t.Fatalf("got %v, want Internal wrapping the cause", got)
	}
}

func TestIsUniqueViolation(t *testing.T) {
	err := fmt.Errorf("insert: %w", &pgconn.PgError{Code: "23505", ConstraintName: "products_sku_key"})
	if !pg.IsUniqueViolation(err, "") || !pg.IsUniqueViolation(err, "products_sku_key") {
		t.Fatal("unique violation not recognised")
	}
	if pg.IsUniqueViolation(err, "products_slug_key") {
		t.Fatal("matched another constraint")
	}
	if pg.IsUniqueViolation(&pgconn.PgError{Code: "23503"}, "") || pg.IsUniqueViolation(errors.New("23505"), "") {
		t.Fatal("non-unique error reported as unique violation")
	}
}

func TestIsForeignKeyViolation(t *testing.T) {
	if !pg.IsForeignKeyViolation(fmt.Errorf("x: %w", &pgconn.PgError{Code: "23503"})) {
		t.Fatal("foreign key violation not recognised")
	}
	if pg.IsForeignKeyViolation(&pgconn.PgError{Code: "23505"}) || pg.IsForeignKeyViolation(errors.New("boom")) {
		t.Fatal("other error reported as foreign key violation")
	}
}
