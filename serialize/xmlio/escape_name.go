package xmlio

import "unicode/utf8"

// Name checks: element and attribute local names and prefixes must be XML
// NCNames (XML 1.0 fifth edition Name productions without the colon).
// ASCII names, the common case, are checked with a table.

// IsNCName reports whether s is an XML NCName (a name without a colon, as
// Namespaces in XML 1.0 requires of prefixes and local names), by the same
// character classes the Reader and Writer apply. Callers that assemble
// markup for Writer.Raw use it to check names the way the Writer would.
func IsNCName(s string) bool { return escIsNCName(s) }

// escIsNCName is IsNCName.
func escIsNCName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			class := cName
			if i == 0 {
				class = cNameStart
			}
			if charClass[c]&class == 0 {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if i == 0 && !isNameStartRune(r) || i > 0 && !isNameRune(r) {
			return false
		}
		i += n
	}
	return true
}
