package requestid

import (
	"context"
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	good := []string{"a", "abc-123", strings.Repeat("x", 128), "!~"}
	bad := []string{"", "a b", "a\nb", "tab\t", strings.Repeat("x", 129), "é", "\x7f"}
	for _, id := range good {
		if !Valid(id) {
			t.Errorf("Valid(%q) = false", id)
		}
	}
	for _, id := range bad {
		if Valid(id) {
			t.Errorf("Valid(%q) = true", id)
		}
	}
}

func TestNewIsValidAndUnique(t *testing.T) {
	a, b := New(), New()
	if !Valid(a) || !Valid(b) || a == b {
		t.Fatalf("New() = %q, %q", a, b)
	}
}

func TestContextRoundTrip(t *testing.T) {
	if got := FromContext(context.Background()); got != "" {
		t.Fatalf("empty ctx gave %q", got)
	}
	if got := FromContext(NewContext(context.Background(), "id-1")); got != "id-1" {
		t.Fatalf("got %q", got)
	}
}
