package domain

import (
	_ "embed"
	"strings"
)

//go:embed common_passwords.txt
var commonPasswordsFile string

// commonPasswords is the blocklist, lowercased; lines starting with # are
// comments.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for line := range strings.Lines(commonPasswordsFile) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// IsCommonPassword reports a password on the blocklist (ignoring case and
// surrounding spaces, which add no strength).
func IsCommonPassword(p string) bool {
	return commonPasswords[strings.ToLower(strings.TrimSpace(p))]
}
