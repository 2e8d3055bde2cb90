package apperr_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestViolationsErrNilWhenEmpty(t *testing.T) {
	var v apperr.Violations
	if err := v.Err(); err != nil {
		t.Fatalf("empty violations: got %v, want nil", err)
	}
}

func TestViolationsErrOne(t *testing.T) {
	var v apperr.Violations
	v.Add("name", "must not be empty")
	err := v.Err()
	if !apperr.Is(err, apperr.KindInvalidArgument) {
		t.Fatalf("got %v, want an InvalidArgument *Error", err)
	}
	e := apperr.As(err)
	if e.Message != "invalid name: must not be empty" {
		t.Fatalf("message %q", e.Message)
	}
	if strings.Contains(e.Message, "more") {
		t.Fatalf("single violation mentions more: %q", e.Message)
	}
}

func TestViolationsErrCountsTheRest(t *testing.T) {
	var v apperr.Violations
	v.Add("name", "must not be empty")
	v.Add("pageSize", "must be positive")
	v.Add("sku", "too long")
	e := apperr.As(v.Err())
	if e.Kind != apperr.KindInvalidArgument {
		t.Fatalf("kind %v", e.Kind)
	}
	if !strings.HasPrefix(e.Message, "invalid name: must not be empty") || !strings.Contains(e.Message, "(and 2 more)") {
		t.Fatalf("message %q does not name the first problem and count the 2 others", e.Message)
	}
	if len(e.Fields) != 3 || e.Fields[1] != (apperr.FieldViolation{Field: "pageSize", Reason: "must be positive"}) {
		t.Fatalf("fields %+v", e.Fields)
	}
}

func TestAsAndIs(t *testing.T) {
	nf := apperr.NotFound("order", "42")
	wrapped := fmt.Errorf("loading: %w", nf)
	if apperr.As(wrapped) != nf {
		t.Fatal("As did not find the wrapped *Error")
	}
	if !apperr.Is(wrapped, apperr.KindNotFound) || apperr.Is(wrapped, apperr.KindInternal) {
		t.Fatal("Is reports the wrong kind")
	}
	plain := errors.New("boom")
	got := apperr.As(plain)
	if got.Kind != apperr.KindInternal || !errors.Is(got, plain) {
		t.Fatalf("As(plain) = %+v, want Internal wrapping the cause", got)
	}
	if apperr.Is(plain, apperr.KindInternal) {
		t.Fatal("a plain error is not an *Error of any kind")
	}
}

func TestErrorStringIncludesFieldsAndCause(t *testing.T) {
	e := &apperr.Error{Kind: apperr.KindInvalidArgument, Message: "bad", Err: errors.New("cause"),
		Fields: []apperr.FieldViolation{{Field: "a", Reason: "r"}}}
	if got := e.Error(); got != "bad; a: r: cause" {
		t.Fatalf("Error() = %q", got)
	}
}
