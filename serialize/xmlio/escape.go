package xmlio

// Escaping of character data and attribute values.
//
// Text escapes & < > and CR (as &#xD;, so a reader's end-of-line
// normalization gives it back); > is always escaped, which also covers "]]>".
// Attribute values escape & < " and the three whitespace characters a
// reader would normalize to a space (tab &#x9;, LF &#xA;, CR &#xD;). Both
// refuse what XML 1.0 cannot carry at all: invalid UTF-8, NUL and the other
// C0 controls except tab, LF and CR, and U+FFFE, U+FFFF (surrogates are
// invalid UTF-8 already).
//
// The scan uses a 256-entry class table; runs of bytes that need nothing are
// copied with one append.

// Byte classes of the escape tables.
const (
	escCopy    = iota // copy as is
	escReplace        // replace by a reference
	escInvalid        // a character XML forbids
	escMulti          // lead byte of a multi-byte UTF-8 sequence (or invalid)
)

// escTextTable and escAttrTable classify each byte for text and attribute
// values.
var escTextTable, escAttrTable = escBuildTables()

func escBuildTables() (text, attr [256]uint8) {
	for c := 0; c < 256; c++ {
		var k uint8
		switch {
		case c >= 0x80:
			k = escMulti
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			k = escInvalid
		}
		text[c], attr[c] = k, k
	}
	text['&'], text['<'], text['>'], text['\r'] = escReplace, escReplace, escReplace, escReplace
	attr['&'], attr['<'], attr['"'] = escReplace, escReplace, escReplace
	attr['\t'], attr['\n'], attr['\r'] = escReplace, escReplace, escReplace
	return text, attr
}

// escReplacement returns the reference written for a byte of class
// escReplace.
func escReplacement(c byte) string {
	switch c {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '"':
		return "&quot;"
	case '\t':
		return "&#x9;"
	case '\n':
		return "&#xA;"
	default: // '\r'
		return "&#xD;"
	}
}

// escAppend appends s to dst escaped by table. It returns the extended dst
// and -1, or, when s holds something XML cannot carry, dst extended by the
// escaped part before it and the byte offset of the offending character.
func escAppend[S ~string | ~[]byte](dst []byte, s S, table *[256]uint8) ([]byte, int) {
	start := 0
	for i := 0; i < len(s); {
		switch table[s[i]] {
		case escCopy:
			i++
		case escMulti:
			n := escCharLen(s, i)
			if n == 0 {
				return append(dst, s[start:i]...), i
			}
			i += n
		case escReplace:
			dst = append(dst, s[start:i]...)
			dst = append(dst, escReplacement(s[i])...)
			i++
			start = i
		default:
			return append(dst, s[start:i]...), i
		}
	}
	return append(dst, s[start:]...), -1
}

// escScan reports the offset of the first character in s that XML cannot
// carry, or -1, and whether anything in s needs escaping by table.
func escScan[S ~string | ~[]byte](s S, table *[256]uint8) (bad int, needsEscape bool) {
	for i := 0; i < len(s); {
		switch table[s[i]] {
		case escCopy:
			i++
		case escMulti:
			n := escCharLen(s, i)
			if n == 0 {
				return i, needsEscape
			}
			i += n
		case escReplace:
			needsEscape = true
			i++
		default:
			return i, needsEscape
		}
	}
	return -1, needsEscape
}

// escCharLen returns the length of the well-formed UTF-8 sequence starting at
// s[i] (a byte >= 0x80) if it encodes a character XML allows, else 0. It
// rejects overlong forms, surrogates, values above U+10FFFF, U+FFFE and
// U+FFFF.
func escCharLen[S ~string | ~[]byte](s S, i int) int {
	c0 := s[i]
	rest := len(s) - i
	cont := func(c byte) bool { return c&0xC0 == 0x80 }
	switch {
	case c0 < 0xC2:
		return 0 // continuation byte or overlong two-byte form
	case c0 < 0xE0:
		if rest < 2 || !cont(s[i+1]) {
			return 0
		}
		return 2
	case c0 < 0xF0:
		if rest < 3 {
			return 0
		}
		c1, c2 := s[i+1], s[i+2]
		lo, hi := byte(0x80), byte(0xBF)
		switch c0 {
		case 0xE0:
			lo = 0xA0 // overlong below U+0800
		case 0xED:
			hi = 0x9F // surrogates U+D800..U+DFFF
		}
		if c1 < lo || c1 > hi || !cont(c2) {
			return 0
		}
		if c0 == 0xEF && c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF) {
			return 0 // U+FFFE, U+FFFF
		}
		return 3
	case c0 < 0xF5:
		if rest < 4 {
			return 0
		}
		c1 := s[i+1]
		lo, hi := byte(0x80), byte(0xBF)
		switch c0 {
		case 0xF0:
			lo = 0x90 // overlong below U+10000
		case 0xF4:
			hi = 0x8F // above U+10FFFF
		}
		if c1 < lo || c1 > hi || !cont(s[i+2]) || !cont(s[i+3]) {
			return 0
		}
		return 4
	}
	return 0
}

// escDescribe names the offending character at s[i] for an error message.
func escDescribe[S ~string | ~[]byte](s S, i int) string {
	c := s[i]
	if c < 0x80 {
		return "control character " + escHexByte(c)
	}
	if n := len(s) - i; n >= 3 && c == 0xEF && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF) {
		if s[i+2] == 0xBE {
			return "non-character U+FFFE"
		}
		return "non-character U+FFFF"
	}
	return "invalid UTF-8 byte " + escHexByte(c)
}

func escHexByte(c byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{'0', 'x', digits[c>>4], digits[c&0xF]})
}

// escSplit returns a cut point at most limit bytes into s that does not split
// a UTF-8 sequence (it backs off over at most three continuation bytes).
func escSplit[S ~string | ~[]byte](s S, limit int) int {
	if len(s) <= limit {
		return len(s)
	}
	cut := limit
	for k := 0; k < 3 && cut > 0 && s[cut]&0xC0 == 0x80; k++ {
		cut--
	}
	return cut
}

// AppendEscapedText appends s to dst escaped as character data, exactly as
// Writer.Text writes it. When s holds something XML cannot carry (invalid
// UTF-8, a forbidden character) it returns dst unchanged and false; the
// Writer's own methods report such input as an InvalidFormat error. It lets
// callers that assemble trusted markup for Writer.Raw share the writer's
// escaping rules instead of keeping their own.
func AppendEscapedText(dst []byte, s string) ([]byte, bool) {
	out, bad := escAppend(dst, s, &escTextTable)
	if bad >= 0 {
		return dst, false
	}
	return out, true
}

// AppendEscapedAttr appends s to dst escaped as a double-quoted attribute
// value, exactly as Writer.Attr writes it, or returns dst unchanged and
// false when s holds something XML cannot carry.
func AppendEscapedAttr(dst []byte, s string) ([]byte, bool) {
	out, bad := escAppend(dst, s, &escAttrTable)
	if bad >= 0 {
		return dst, false
	}
	return out, true
}
