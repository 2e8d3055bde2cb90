package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// hidden reports characters that change how text looks or reads without
// being visible themselves: bidirectional controls (which can reverse a
// name's display, "Trojan Source"), zero-width spaces and joiners, other
// format characters, and line or paragraph separators.
func hidden(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// containsHidden reports whether s has a hidden character.
func containsHidden(s string) bool { return strings.ContainsFunc(s, hidden) }

// nameHasHidden is containsHidden for display names, except that the
// zero-width joiner and non-joiner are allowed between two non-ASCII
// characters, where writing needs them: emoji sequences (👩‍💻) and
// Persian or Indic names. Anywhere else they only disguise a name.
func nameHasHidden(s string) bool {
	prev := ' '
	for i, r := range s {
		if !hidden(r) {
			prev = r
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
		if !unicode.Is(unicode.Join_Control, r) || !visibleNonASCII(prev) || !visibleNonASCII(next) {
			return true
		}
	}
	return false
}

func visibleNonASCII(r rune) bool {
	return r > unicode.MaxASCII && r != utf8.RuneError && !hidden(r) && !unicode.IsSpace(r)
}
