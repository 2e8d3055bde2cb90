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

// Variants that look or mean the same are one account.
func TestNormalizeEmailUnicode(t *testing.T) {
	for in, want := range map[string]string{
		"ＡＤＡ@Ｅｘａｍｐｌｅ．ＯＲＧ":              "ada@example.org", // full-width, NFKC
		"ada＠example.org":              "ada@example.org", // full-width @
		"ada@BÜCHER.example":           "ada@bücher.example",
		"ada@xn--bcher-kva.example":    "ada@bücher.example", // the ASCII form of the same domain
		"ada@bücher.example":          "ada@bücher.example", // decomposed ü
		"ÄSA@example.org":             "äsa@example.org",    // decomposed Ä in the local part
		"ﬁnn@example.org":              "finn@example.org",   // ligature
		"jürgen@münchen.example":       "jürgen@münchen.example",
		"  first.last+tag@Sub.Ex.org ": "first.last+tag@sub.ex.org",
	} {
		if got, reason := domain.NormalizeEmail(in); got != want || reason != "" {
			t.Errorf("%q: got %q (%s), want %q", in, got, reason, want)
		}
	}
	for _, in := range []string{
		"ada@exa​mple.org",                            // zero-width space
		"a‍da@example.org",                            // zero-width joiner
		"ada‮@example.org",                            // right-to-left override
		"ada@-bad-.example",                           // IDNA hyphen rule
		"ada@xn--zz.example",                          // broken punycode
		"ada@a_b.example",                             // not a host name
		"ada@[192.0.2.1]",                             // address literal
		"ada@example..org",                            // empty label
		string([]byte{'a', 0xff, '@', 'b', '.', 'c'}), // not UTF-8
	} {
		if got, reason := domain.NormalizeEmail(in); reason == "" {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
	if _, reason := domain.NormalizeEmail("ada‮@example.org"); !strings.Contains(reason, "invisible") {
		t.Errorf("hidden characters not named: %q", reason)
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
	for _, name := range []string{strings.Repeat("n", 101), "bell\a", "Ada\u202eecalevol", "Ada\u200bLovelace",
		"Ada\u2066Lovelace", "Ada\u2028Lovelace", "\ufeffAda", "Ad\u00ada",
		"A\u200dda", "Ada\u200d", "\u200c\u0645", "\U0001F469\u200d\u200d\U0001F4BB"} {
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
	// Composed and decomposed accents are one name; 100 decomposed "é"
	// are 200 code points but 100 characters once composed.
	s, err = domain.ValidateSignUp(domain.SignUp{Email: "a@b.example", Password: "unusual giraffe lantern", Name: strings.Repeat("e\u0301", 100)})
	if err != nil || s.Name != strings.Repeat("é", 100) {
		t.Fatalf("decomposed name: %q %v", s.Name, err)
	}
	for _, name := range []string{"José Núñez", "محمد", "王小明", "Zoë 👩\u200d💻", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"} {
		if _, err := domain.ValidateSignUp(domain.SignUp{Email: "a@b.example", Password: "unusual giraffe lantern", Name: name}); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
}
