// Package apperr is the one error model of every service: domain code returns
// *Error values, transports map them to gRPC codes and HTTP statuses, and the
// client learns which field was wrong and why.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Kind says what went wrong in transport-neutral terms.
type Kind int

const (
	KindInternal Kind = iota
	KindInvalidArgument
	KindNotFound
	KindAlreadyExists
	KindFailedPrecondition
	KindAborted
	KindUnauthenticated
	KindPermissionDenied
	KindUnavailable
	KindResourceExhausted
)

// FieldViolation names one offending input field (lowerCamelCase, as in JSON).
type FieldViolation struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is a domain error with a safe, client-facing message.
type Error struct {
	Kind    Kind
	Message string
	Fields  []FieldViolation
	// RetryAfter, when set, tells the client how long to wait before
	// trying again (a throttle): gRPC carries it as google.rpc.RetryInfo,
	// HTTP as the Retry-After header.
	RetryAfter time.Duration
	// Err is the cause, logged but never shown to clients.
	Err error
}

func (e *Error) Error() string {
	msg := e.Message
	for _, f := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", f.Field, f.Reason)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind.
func New(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// InvalidField is the usual bad-input error: one field and the reason.
func InvalidField(field, reason string) *Error {
	return &Error{Kind: KindInvalidArgument, Message: "invalid " + field + ": " + reason,
		Fields: []FieldViolation{{Field: field, Reason: reason}}}
}

// NotFound says the named resource does not exist (or is not the caller's).
func NotFound(resource, id string) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf("%s %q not found", resource, id)}
}

// Unavailable wraps a dependency failure that a retry may cure.
func Unavailable(cause error) *Error {
	return &Error{Kind: KindUnavailable, Message: "service temporarily unavailable", Err: cause}
}

// Internal wraps an unexpected failure; the cause stays server-side.
func Internal(cause error) *Error {
	return &Error{Kind: KindInternal, Message: "internal error", Err: cause}
}

// As returns err as *Error; anything else counts as internal.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

// Is reports whether err is an *Error of the given kind.
func Is(err error, kind Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == kind
}

// Violations collects field problems so a handler reports them all at once.
type Violations []FieldViolation

// Add records a problem with field.
func (v *Violations) Add(field, reason string) {
	*v = append(*v, FieldViolation{Field: field, Reason: reason})
}

// Err returns nil when nothing was recorded, else one InvalidArgument error.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	msg := "invalid " + v[0].Field + ": " + v[0].Reason
	if len(v) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(v)-1)
	}
	return &Error{Kind: KindInvalidArgument, Message: msg, Fields: v}
}
