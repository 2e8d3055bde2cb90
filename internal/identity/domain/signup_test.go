package domain_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"alice@example.com":         "alice@example.com",
		"  Alice@Example.COM \n":    "alice@example.com",
		"first.last+tag@sub.ex.org": "first.last+tag@sub.ex.org",
	} {
		if got, reason := domain.NormalizeEmail(in); got != want || reason != "" {
			t.Errorf("%q: got %q (%s), want %q", in, got, reason, want)
		}
	}
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com" // 255 octets
	for _, in := range []string{"", "   ", "alice", "alice@", "@example.com", "alice@@example.com",
		"Alice <alice@example.com>", "<alice@example.com>", "alice@example.com, bob@example.com",
		"alice@exa mple.com", "alice@example.com (home)", long} {
		if got, reason := domain.NormalizeEmail(in); reason == "" {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
	if _, reason := domain.NormalizeEmail(long[1:]); reason != "" {
		t.Errorf("254 octets refused: %s", reason)
	}
}

func TestPasswordPolicy(t *testing.T) {
	const email = "marie.curie@example.com"
	ok := []string{
		"ten chars!",                   // exactly 10
		"correct horse battery staple", // passphrase
		strings.Repeat("x", 127) + "y", // exactly 128
		"ÅÄÖåäöÆØæøé",                  // 11 runes, 22 bytes: counted in characters
	}
	for _, p := range ok {
		if reason := domain.PasswordProblem(p, email); reason != "" {
			t.Errorf("%q refused: %s", p, reason)
		}
	}
	bad := map[string]string{
		"nine char":                     "at least 10",
		"äöüäöüäöü":                     "at least 10", // 18 bytes but 9 characters
		strings.Repeat("x", 129):        "at most 128",
		"xxMARIE.CURIExx":               "e-mail",
		"password123":                   "too common",
		"QwertyUIOP":                    "too common",
		" 1234567890 ":                  "too common",
		string([]byte{0xff, 0xfe, 'a'}): "UTF-8",
	}
	for p, want := range bad {
		if reason := domain.PasswordProblem(p, email); !strings.Contains(reason, want) {
			t.Errorf("%q: reason %q, want it to mention %q", p, reason, want)
		}
	}
	// A very short local part would forbid half the alphabet; it is ignored.
	if reason := domain.PasswordProblem("a lot of letters", "a@example.com"); reason != "" {
		t.Errorf("short local part: %s", reason)
	}
}

func TestCommonPasswordListIsUseful(t *testing.T) {
	n := 0
	for _, p := range []string{"1234567890", "qwertyuiop", "iloveyou123", "Password123", "shipshape123"} {
		if domain.IsCommonPassword(p) {
			n++
		}
	}
	if n != 5 {
		t.Fatalf("only %d of 5 well-known passwords are blocked", n)
	}
	if domain.IsCommonPassword("unusual giraffe lantern") || domain.IsCommonPassword("# Passwords refused at sign-up") {
		t.Fatal("blocklist matches what it should not (comments must not count)")
	}
}

func TestValidateSignUpReportsEveryField(t *testing.T) {
	_, err := domain.ValidateSignUp(domain.SignUp{Email: "nope", Password: "short", Name: " "})
	e := apperr.As(err)
	if e.Kind != apperr.KindInvalidArgument {
		t.Fatalf("got %v", err)
	}
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	if !got["email"] || !got["password"] || !got["name"] || len(e.Fields) != 3 {
		t.Fatalf("fields %v, want email, password and name", e.Fields)
	}
	for _, name := range []string{strings.Repeat("n", 101), "bell\a"} {
		_, err := domain.ValidateSignUp(domain.SignUp{Email: "a@b.example", Password: "unusual giraffe lantern", Name: name})
		if e := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "name" {
			t.Errorf("name %q: %v", name, err)
		}
	}
	s, err := domain.ValidateSignUp(domain.SignUp{Email: " Ada@Example.org ", Password: "unusual giraffe lantern", Name: "  Ada Lovelace "})
	if err != nil || s.Email != "ada@example.org" || s.Name != "Ada Lovelace" || s.Password != "unusual giraffe lantern" {
		t.Fatalf("got %+v, %v", s, err)
	}
	if _, err := domain.ValidateSignUp(domain.SignUp{Email: "a@b.example", Password: "unusual giraffe lantern", Name: strings.Repeat("é", 100)}); err != nil {
		t.Fatalf("100 characters refused: %v", err)
	}
}
