package serialize

import (
	"crypto/rand"

	"github.com/wsgo/wsgo/errors"
)

// GUID is a 128-bit identifier (a UUID), as WWSAPI's GUID and WCF's
// ser:guid. The bytes are in the order of the text form (RFC 9562 network
// order): the first byte is the first two hex digits. (This is not the
// mixed-endian layout of .NET's Guid.ToByteArray; only the text form is
// exchanged on the wire.)
//
// The zero GUID is the nil UUID 00000000-0000-0000-0000-000000000000. GUID is
// comparable, so it can be used with == and as a map key.
type GUID [16]byte

// guidTextLen is the length of the canonical form
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
const guidTextLen = 36

// guidHexOffsets are the offsets of each byte's two hex digits in the
// canonical form.
var guidHexOffsets = [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// urnUUIDPrefix is the URN namespace of UUIDs (RFC 9562 §4).
const urnUUIDPrefix = "urn:uuid:"

// NewGUID returns a random (version 4) GUID from crypto/rand, as used for
// WS-Addressing MessageIDs.
func NewGUID() GUID {
	var g GUID
	// crypto/rand.Read never returns an error: it crashes the program if the
	// operating system's source fails, which is the safe outcome for IDs.
	rand.Read(g[:])
	g[6] = g[6]&0x0f | 0x40 // version 4
	g[8] = g[8]&0x3f | 0x80 // variant 10 (RFC 9562)
	return g
}

// ParseGUID parses a GUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
// with hex digits in either case, optionally inside braces (as .NET writes
// "{...}") or after a "urn:uuid:" prefix (any case). Surrounding XML
// whitespace is ignored. Any other text is an InvalidFormat error.
func ParseGUID(s string) (GUID, error) { return parseGUID(s) }

func parseGUID[T text](s T) (GUID, error) {
	var g GUID
	t := trimText(s)
	if len(t) == guidTextLen+2 && t[0] == '{' && t[len(t)-1] == '}' {
		t = t[1 : len(t)-1]
	} else if len(t) == guidTextLen+len(urnUUIDPrefix) && hasPrefixFold(t, urnUUIDPrefix) {
		t = t[len(urnUUIDPrefix):]
	}
	if len(t) != guidTextLen || t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
		return g, guidError(s)
	}
	for j, i := range guidHexOffsets {
		hi, ok1 := unhex(t[i])
		lo, ok2 := unhex(t[i+1])
		if !ok1 || !ok2 {
			return GUID{}, guidError(s)
		}
		g[j] = hi<<4 | lo
	}
	return g, nil
}

func guidError[T text](s T) error {
	return errors.Errorf(errors.InvalidFormat,
		"value %s is not a valid GUID: want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex digits, optionally in braces or after urn:uuid:",
		quoteText(s))
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring the case of s.
func hasPrefixFold[T text](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// unhex returns the value of a hex digit of either case.
func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const lowerHex = "0123456789abcdef"

// AppendText appends the canonical lower-case form without braces to dst
// (encoding.TextAppender).
func (g GUID) AppendText(dst []byte) ([]byte, error) { return g.appendTo(dst), nil }

func (g GUID) appendTo(dst []byte) []byte {
	for i, c := range g {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, lowerHex[c>>4], lowerHex[c&0x0f])
	}
	return dst
}

// String returns the canonical lower-case form
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
func (g GUID) String() string {
	var buf [guidTextLen]byte
	return string(g.appendTo(buf[:0]))
}

// URN returns the GUID as a URN, "urn:uuid:" followed by String, the form
// WS-Addressing MessageIDs use.
func (g GUID) URN() string {
	var buf [len(urnUUIDPrefix) + guidTextLen]byte
	return string(g.appendTo(append(buf[:0], urnUUIDPrefix...)))
}

// MarshalText returns the canonical form (encoding.TextMarshaler).
func (g GUID) MarshalText() ([]byte, error) {
	return g.appendTo(make([]byte, 0, guidTextLen)), nil
}

// UnmarshalText parses any form ParseGUID accepts (encoding.TextUnmarshaler).
// On error *g is unchanged.
func (g *GUID) UnmarshalText(b []byte) error {
	v, err := parseGUID(b)
	if err != nil {
		return err
	}
	*g = v
	return nil
}
