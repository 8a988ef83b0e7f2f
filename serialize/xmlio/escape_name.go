package xmlio

import "unicode/utf8"

// Name checks: element and attribute local names and prefixes must be XML
// NCNames (XML 1.0 fifth edition Name productions without the colon).
// ASCII names, the common case, are checked with a table.

// Bits of escNameTable.
const (
	escNameStart = 1 << iota // may start an NCName
	escNameChar              // may continue an NCName
)

var escNameTable = func() (t [128]uint8) {
	for c := 0; c < 128; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] = escNameStart | escNameChar
		case c >= '0' && c <= '9', c == '-', c == '.':
			t[c] = escNameChar
		}
	}
	return t
}()

// escIsNCName reports whether s is an XML NCName.
func escIsNCName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			bit := uint8(escNameChar)
			if i == 0 {
				bit = escNameStart
			}
			if escNameTable[c]&bit == 0 {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if !escIsNameStartRune(r) && (i == 0 || !escIsNameExtraRune(r)) {
			return false
		}
		i += n
	}
	return true
}

// escIsNameStartRune reports a non-ASCII NameStartChar.
func escIsNameStartRune(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// escIsNameExtraRune reports a non-ASCII NameChar that is not a
// NameStartChar.
func escIsNameExtraRune(r rune) bool {
	return r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040)
}
