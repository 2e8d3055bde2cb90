package domain

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Input limits.
const (
	MaxEmailLen       = 254 // RFC 5321's limit on a forward path, in octets
	MaxNameLen        = 100
	MinPasswordLen    = 10
	MaxPasswordLen    = 128
	minLocalPartCheck = 3 // shorter local parts are too common to forbid as substrings
)

// SignUp is what a client sends to create an account.
type SignUp struct {
	Email    string
	Password string
	Name     string
}

// ValidateSignUp normalizes the e-mail and name and checks every field,
// reporting all problems at once.
func ValidateSignUp(in SignUp) (SignUp, error) {
	var v apperr.Violations
	email, reason := NormalizeEmail(in.Email)
	if reason != "" {
		v.Add("email", reason)
	}
	// NFC: one spelling per name however the client composed its accents.
	name := norm.NFC.String(strings.TrimSpace(in.Name))
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", "is required")
	case n > MaxNameLen:
		v.Add("name", "must be at most 100 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		v.Add("name", "must not contain control characters")
	case nameHasHidden(name):
		v.Add("name", "must not contain invisible formatting characters (bidirectional controls, zero-width characters)")
	}
	if reason := PasswordProblem(in.Password, email); reason != "" {
		v.Add("password", reason)
	}
	return SignUp{Email: email, Password: in.Password, Name: name}, v.Err()
}

// NormalizeEmail returns the one form an address is stored and looked up
// in, and checks it is one bare address ("a@example.com", not "Alice
// <a@example.com>"). The reason is empty when the address is valid.
//
// The whole address is NFKC-normalized and lowercased (so full-width or
// composed variants are the same account) and the domain goes through IDNA
// (UTS #46) and is kept as its Unicode form: "xn--bcher-kva.example" and
// "BÜCHER.example" are both "bücher.example". Hidden characters are
// refused rather than silently dropped.
func NormalizeEmail(s string) (email, reason string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "is required"
	case !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl):
		return "", "must be a valid e-mail address"
	case containsHidden(s):
		return "", "must not contain invisible formatting characters"
	}
	s = strings.ToLower(norm.NFKC.String(s))
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", "must be a valid e-mail address"
	}
	local, domain := s[:at], s[at+1:]
	ascii, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", "must be a valid e-mail address"
	}
	// RFC 5321 limits the address as sent, with the domain in ASCII.
	if len(local)+1+len(ascii) > MaxEmailLen {
		return "", "must be at most 254 characters"
	}
	unicodeDomain, err := idna.Lookup.ToUnicode(ascii)
	if err != nil {
		return "", "must be a valid e-mail address"
	}
	email = local + "@" + unicodeDomain
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email {
		return "", "must be a valid e-mail address"
	}
	return email, ""
}

// PasswordProblem applies the password policy (NIST SP 800-63B style:
// length and a blocklist, no composition rules) and returns why password is
// refused, or "" if it is acceptable. email must already be normalized.
func PasswordProblem(password, email string) string {
	if !utf8.ValidString(password) {
		return "must be valid UTF-8"
	}
	switch n := utf8.RuneCountInString(password); {
	case n < MinPasswordLen:
		return "must be at least 10 characters"
	case n > MaxPasswordLen:
		return "must be at most 128 characters"
	}
	lower := strings.ToLower(password)
	if local, _, ok := strings.Cut(email, "@"); ok && utf8.RuneCountInString(local) >= minLocalPartCheck && strings.Contains(lower, local) {
		return "must not contain your e-mail address"
	}
	if IsCommonPassword(password) {
		return "is too common; choose a less predictable password"
	}
	return ""
}
