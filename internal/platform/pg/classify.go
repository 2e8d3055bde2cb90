package pg

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Classify maps an unexpected database error into the shared error model:
// connection trouble becomes Unavailable (503), conflicts Aborted, the rest
// Internal. Callers handle expected cases (no rows, unique keys) themselves.
func Classify(err error) error {
	if err == nil {
		return nil
	}
	var domainErr *apperr.Error
	if errors.As(err, &domainErr) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutting down, starting up
			pgErr.Code == "53300": // too many connections
			return apperr.Unavailable(err)
		case pgErr.Code == "40001", pgErr.Code == "40P01": // serialization failure, deadlock
			return &apperr.Error{Kind: apperr.KindAborted, Message: "concurrent update, retry", Err: err}
		}
		return apperr.Internal(err)
	}
	if isConnectionError(err) {
		return apperr.Unavailable(err)
	}
	return apperr.Internal(err)
}

// IsUniqueViolation reports a unique-key conflict, optionally on one constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" &&
		(constraint == "" || pgErr.ConstraintName == constraint)
}

// IsForeignKeyViolation reports a foreign-key failure.
func IsForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

func isConnectionError(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return true
	}
	// pgx reports a connection lost mid-query or a closed pool only in text.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "closed pool") ||
		strings.Contains(msg, "connection reset")
}
