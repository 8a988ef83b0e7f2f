package xmlio

// Character classes of XML 1.0 (Fifth Edition) and Namespaces in XML 1.0,
// shared by the Reader and the Writer. ASCII is classified by table lookup;
// everything from 0x80 on goes through utf8.DecodeRune and the range
// functions below.

const (
	cNameStart uint8 = 1 << iota // ASCII NameStartChar other than ':'
	cName                        // ASCII NameChar other than ':'
	cSpace                       // XML whitespace: space, tab, LF, CR
	cTextStop                    // ends the plain-text fast path: & CR ] < C0 controls, 0x80 and up
	cAttrStop                    // ends the attribute-value fast path: & < " ' tab LF CR, C0 controls, 0x80 and up
	cCharStop                    // ends the comment/CDATA fast path: CR, C0 controls, 0x80 and up
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] |= cNameStart | cName
		case c >= '0' && c <= '9', c == '-', c == '.':
			t[c] |= cName
		}
		if c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n') || c == '\r' {
			t[c] |= cTextStop | cAttrStop | cCharStop
		}
	}
	for _, c := range []byte{' ', '\t', '\n', '\r'} {
		t[c] |= cSpace
	}
	for _, c := range []byte{'&', ']', '<'} {
		t[c] |= cTextStop
	}
	for _, c := range []byte{'&', '<', '"', '\'', '\t', '\n'} {
		t[c] |= cAttrStop
	}
	return t
}()

func isSpace(c byte) bool { return charClass[c]&cSpace != 0 }

// isAllSpace reports whether b is only XML whitespace.
func isAllSpace(b []byte) bool {
	for _, c := range b {
		if charClass[c]&cSpace == 0 {
			return false
		}
	}
	return true
}

// isNameStartRune reports whether a non-ASCII rune is a NameStartChar.
func isNameStartRune(c rune) bool {
	switch {
	case c >= 0xC0 && c <= 0xD6, c >= 0xD8 && c <= 0xF6, c >= 0xF8 && c <= 0x2FF,
		c >= 0x370 && c <= 0x37D, c >= 0x37F && c <= 0x1FFF, c >= 0x200C && c <= 0x200D,
		c >= 0x2070 && c <= 0x218F, c >= 0x2C00 && c <= 0x2FEF, c >= 0x3001 && c <= 0xD7FF,
		c >= 0xF900 && c <= 0xFDCF, c >= 0xFDF0 && c <= 0xFFFD, c >= 0x10000 && c <= 0xEFFFF:
		return true
	}
	return false
}

// isNameRune reports whether a non-ASCII rune is a NameChar.
func isNameRune(c rune) bool {
	return isNameStartRune(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040)
}

// isXMLChar reports whether c is a Char of XML 1.0: tab, LF, CR, and
// U+0020 up, without the surrogates, U+FFFE and U+FFFF.
func isXMLChar(c int) bool {
	switch {
	case c == '\t', c == '\n', c == '\r':
		return true
	case c < 0x20:
		return false
	case c >= 0xD800 && c <= 0xDFFF, c == 0xFFFE, c == 0xFFFF:
		return false
	}
	return c <= 0x10FFFF
}
