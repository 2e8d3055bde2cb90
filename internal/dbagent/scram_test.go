package dbagent

import (
	"strings"
	"testing"
)

func TestScramVerifierFormat(t *testing.T) {
	// A fixed salt gives a fixed verifier (the login tests prove the
	// server accepts it); a fresh one differs every time.
	a, err := scramVerifier("pencil", []byte("0123456789abcdef"), 4096)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := scramVerifier("pencil", []byte("0123456789abcdef"), 4096)
	if a != b || !strings.HasPrefix(a, "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$") || strings.Count(a, ":") != 2 {
		t.Fatalf("verifier %q", a)
	}
	x, _ := newScramVerifier("pencil")
	y, _ := newScramVerifier("pencil")
	if x == y {
		t.Fatal("two verifiers of one password share a salt")
	}
}

func TestASCIIPrintable(t *testing.T) {
	for pw, want := range map[string]bool{"abc XYZ ~!": true, "tab\there": false, "ümlaut": false, "\x7f": false} {
		if asciiPrintable(pw) != want {
			t.Errorf("%q: want %t", pw, want)
		}
	}
}
