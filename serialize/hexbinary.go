package serialize

import "github.com/wsgo/wsgo/errors"

// HexBinary is an xsd:hexBinary: bytes written as two hex digits each. It is
// written in upper case (XSD's canonical form, as .NET writes it) and read in
// either case. A plain []byte field, by contrast, is xsd:base64Binary, as in
// encoding/xml's convention and WWSAPI's WS_BYTES.
//
// The empty value is written as empty text; reading empty text gives an
// empty, non-nil HexBinary.
type HexBinary []byte

const upperHex = "0123456789ABCDEF"

// ParseHexBinary parses an xsd:hexBinary, ignoring surrounding XML
// whitespace. An odd number of digits or a character that is not a hex digit
// is an InvalidFormat error.
func ParseHexBinary(s string) (HexBinary, error) { return parseHexBinary(s) }

func parseHexBinary[T text](s T) (HexBinary, error) {
	t := trimText(s)
	if len(t)%2 != 0 {
		return nil, errors.Errorf(errors.InvalidFormat,
			"value %s is not a valid xsd:hexBinary: it has an odd number of characters (%d); each byte takes two hex digits", quoteText(s), len(t))
	}
	h := make(HexBinary, len(t)/2)
	for i := range h {
		hi, ok1 := unhex(t[2*i])
		lo, ok2 := unhex(t[2*i+1])
		if !ok1 || !ok2 {
			bad := 2 * i
			if ok1 {
				bad++
			}
			return nil, errors.Errorf(errors.InvalidFormat,
				"value %s is not a valid xsd:hexBinary: %s at offset %d is not a hex digit", quoteText(s), quoteText(t[bad:bad+1]), bad)
		}
		h[i] = hi<<4 | lo
	}
	return h, nil
}

// String returns the upper-case hex digits of h.
func (h HexBinary) String() string { return string(h.appendTo(make([]byte, 0, 2*len(h)))) }

// AppendText appends the upper-case hex digits of h to dst
// (encoding.TextAppender).
func (h HexBinary) AppendText(dst []byte) ([]byte, error) { return h.appendTo(dst), nil }

// MarshalText returns the upper-case hex digits of h (encoding.TextMarshaler).
func (h HexBinary) MarshalText() ([]byte, error) {
	return h.appendTo(make([]byte, 0, 2*len(h))), nil
}

// UnmarshalText parses an xsd:hexBinary as ParseHexBinary does
// (encoding.TextUnmarshaler), into a new slice: the bytes *h held before are
// not overwritten, so copies of the old value stay intact. On error *h is
// unchanged.
func (h *HexBinary) UnmarshalText(b []byte) error {
	v, err := parseHexBinary(b)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

func (h HexBinary) appendTo(dst []byte) []byte {
	for _, c := range h {
		dst = append(dst, upperHex[c>>4], upperHex[c&0x0f])
	}
	return dst
}
