package xmlio

import (
	"math/bits"
)

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
// The scan tests eight bytes at a time for the few bytes that may need
// attention (swarSkip), classifies those with a 256-entry class table, and
// copies the runs in between with one append.

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

// escRefs holds the reference written for each byte of class escReplace.
var escRefs = [256]string{
	'&':  "&amp;",
	'<':  "&lt;",
	'>':  "&gt;",
	'"':  "&quot;",
	'\t': "&#x9;",
	'\n': "&#xA;",
	'\r': "&#xD;",
}

// Word-at-a-time scanning. The escape tables and the reader's text
// decoding stop on few bytes: C0 controls, bytes from 0x80 on, and two or
// three ASCII punctuation characters. swarSkip tests eight bytes at once
// for those and leaves the exact classification to the byte tables, so a
// false stop (tab or LF, which are below 0x20 but need nothing) only costs
// one table lookup.
const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// swarStops describes the bytes a word scan stops on besides C0 controls and
// bytes from 0x80 on: any byte c with c|orA == eqA, or c == eqB, each
// comparand repeated in all eight bytes of its word.
type swarStops struct {
	orA, eqA, eqB uint64
}

// swarByte repeats c in each byte of a word.
func swarByte(c byte) uint64 { return swarOnes * uint64(c) }

var (
	// swarText stops on < > (which differ only in bit 1) and &.
	swarText = swarStops{orA: swarByte(0x02), eqA: swarByte('>'), eqB: swarByte('&')}
	// swarAttr stops on & " (which differ only in bit 2) and <.
	swarAttr = swarStops{orA: swarByte(0x04), eqA: swarByte('&'), eqB: swarByte('<')}
	// swarDecode stops on & and ] (the reader's text; CR is a C0 control).
	swarDecode = swarStops{orA: 0, eqA: swarByte('&'), eqB: swarByte(']')}
)

// swarZeros returns a word whose lowest set high bit, if any, is that of
// the lowest zero byte of y (higher ones may be set spuriously by borrows);
// it has no high bit set exactly when y has no zero byte.
func swarZeros(y uint64) uint64 { return (y - swarOnes) &^ y }

// swarSkip returns the offset of the first byte at or after i in s that is
// a C0 control, 0x80 or above, or one of the bytes st describes; len(s)
// when there is none. Callers classify the byte found with their own table:
// it may be a false stop (tab, LF) that needs nothing.
func swarSkip[S ~string | ~[]byte](s S, i int, st *swarStops) int {
	t := s[i:]
	orA, eqA, eqB := st.orA, st.eqA, st.eqB
	for len(t) >= 8 {
		w := t[:8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if m := swarMatch(x, orA, eqA, eqB); m != 0 {
			return len(s) - len(t) + bits.TrailingZeros64(m)>>3
		}
		t = t[8:]
	}
	if len(t) == 0 {
		return len(s)
	}
	// Fewer than eight bytes left: pad the word with 'A', which stops
	// nothing.
	x := swarByte('A') << (8 * uint(len(t)))
	for k := range len(t) {
		x |= uint64(t[k]) << (8 * uint(k))
	}
	if m := swarMatch(x, orA, eqA, eqB); m != 0 {
		return len(s) - len(t) + bits.TrailingZeros64(m)>>3
	}
	return len(s)
}

// swarMatch returns a word whose lowest set bit, if any, is the high bit of
// the first byte of x that swarSkip stops on, and zero when there is none.
func swarMatch(x, orA, eqA, eqB uint64) uint64 {
	return (x | swarZeros((x|orA)^eqA) | swarZeros(x^eqB) | (x-swarByte(0x20))&^x) & swarHighs
}

// escStops returns the word-scan stops of an escape table: every byte the
// table does not class escCopy is among them.
func escStops(table *[256]uint8) *swarStops {
	if table == &escAttrTable {
		return &swarAttr
	}
	return &swarText
}

// escAppend appends s to dst escaped by table (escTextTable or
// escAttrTable). It returns the extended dst and -1, or, when s holds
// something XML cannot carry, dst extended by the escaped part before it and
// the byte offset of the offending character.
func escAppend[S ~string | ~[]byte](dst []byte, s S, table *[256]uint8) ([]byte, int) {
	st := escStops(table)
	start := 0
	for i := 0; ; {
		if i = swarSkip(s, i, st); i >= len(s) {
			break
		}
		switch c := s[i]; table[c] {
		case escCopy:
			i++
		case escReplace:
			// Exactly the reference's bytes: dst's spare capacity past the
			// new length may belong to the caller (AppendEscapedText).
			dst = append(dst, s[start:i]...)
			dst = append(dst, escRefs[c]...)
			i++
			start = i
		case escMulti:
			n := escCharLen(s, i)
			if n == 0 {
				return append(dst, s[start:i]...), i
			}
			i += n
		default:
			return append(dst, s[start:i]...), i
		}
	}
	return append(dst, s[start:]...), -1
}

// escScan reports the offset of the first character in s that XML cannot
// carry, or -1, and whether anything in s needs escaping by table
// (escTextTable or escAttrTable).
func escScan[S ~string | ~[]byte](s S, table *[256]uint8) (bad int, needsEscape bool) {
	st := escStops(table)
	for i := 0; ; {
		if i = swarSkip(s, i, st); i >= len(s) {
			break
		}
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
