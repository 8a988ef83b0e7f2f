package serialize

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
)

// This file holds the lexical conversions of the XSD built-in types that map
// onto Go's basic kinds (xsd:boolean, the sized integers, xsd:float and
// xsd:double). The engine calls them on element and attribute text; they never
// allocate on success for typical input, and every failure is an *errors.Error
// with code InvalidFormat (the text is not in the type's lexical space) or
// NumericOverflow (the text is a number that does not fit the Go type). The
// messages quote the offending text and name the XSD type but carry no
// location: the engine adds the element path.

// text is the set of types the lexical scanners accept, so that the exported
// Parse functions (strings) and the UnmarshalText methods ([]byte) share one
// implementation without converting, and so without allocating.
type text interface{ ~string | ~[]byte }

// isSpace reports whether c is XML whitespace (XML 1.0 production S).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isDigit reports whether c is an ASCII decimal digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// trimSpace removes leading/trailing XML whitespace (space, tab, CR, LF).
func trimSpace(b []byte) []byte { return trimText(b) }

// trimText is trimSpace for any text type; every XSD type this package parses
// has the whiteSpace facet "collapse", so surrounding whitespace is not part
// of the value.
func trimText[T text](s T) T {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// maxQuoted bounds how much of an offending value an error message repeats.
const maxQuoted = 64

// quoteText returns s as a Go-quoted string for an error message, cut to
// about maxQuoted bytes (at a rune boundary) with "..." appended when longer.
func quoteText[T text](s T) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(string(s))
	}
	n := maxQuoted
	for n > maxQuoted-utf8.UTFMax && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(string(s[:n])) + "..."
}

// parseBool accepts true/false/1/0 (after trimSpace); anything else → InvalidFormat.
func parseBool(b []byte) (bool, error) {
	switch string(trimSpace(b)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errors.Errorf(errors.InvalidFormat,
		"value %s is not a valid xsd:boolean: want true, false, 1 or 0", quoteText(b))
}

// signedName and unsignedName name the XSD type of each integer bit size.
func signedName(bits int) string {
	switch bits {
	case 8:
		return "xsd:byte"
	case 16:
		return "xsd:short"
	case 32:
		return "xsd:int"
	case 64:
		return "xsd:long"
	}
	panic("serialize: integer bit size " + strconv.Itoa(bits) + " is not 8, 16, 32 or 64")
}

func unsignedName(bits int) string {
	switch bits {
	case 8:
		return "xsd:unsignedByte"
	case 16:
		return "xsd:unsignedShort"
	case 32:
		return "xsd:unsignedInt"
	case 64:
		return "xsd:unsignedLong"
	}
	panic("serialize: integer bit size " + strconv.Itoa(bits) + " is not 8, 16, 32 or 64")
}

// scanInteger splits an xsd integer lexical ([+-]?\d+, whitespace already
// trimmed) into its sign and magnitude. ok is false when the text is not an
// integer at all; overflow is true when the magnitude exceeds limit (leading
// zeros never count).
func scanInteger(b []byte, limit uint64) (neg bool, mag uint64, ok, overflow bool) {
	i := 0
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return neg, 0, false, false
	}
	for ; i < len(b); i++ {
		c := b[i]
		if !isDigit(c) {
			return neg, 0, false, false
		}
		if overflow {
			continue // keep validating the lexical form
		}
		d := uint64(c - '0')
		if mag > (limit-d)/10 {
			overflow = true
			continue
		}
		mag = mag*10 + d
	}
	return neg, mag, true, overflow
}

// parseInt parses an xsd integer lexical ([+-]?\d+, whitespace trimmed) into a signed integer of
// the given bit size (8,16,32,64): out of range → NumericOverflow, bad lexical → InvalidFormat.
func parseInt(b []byte, bits int) (int64, error) {
	name := signedName(bits)
	t := trimSpace(b)
	maxMag := uint64(1)<<(bits-1) - 1 // largest positive value
	neg, mag, ok, overflow := scanInteger(t, maxMag+1)
	if !ok {
		return 0, errors.Errorf(errors.InvalidFormat,
			"value %s is not a valid %s: want an optional sign and decimal digits", quoteText(b), name)
	}
	if overflow || (!neg && mag > maxMag) {
		return 0, errors.Errorf(errors.NumericOverflow,
			"value %s overflows %s (%d..%d)", quoteText(t), name, -int64(maxMag)-1, maxMag)
	}
	if neg {
		return -int64(mag-1) - 1, nil // mag may be 1<<63, which int64 cannot negate directly
	}
	return int64(mag), nil
}

// parseUint parses an xsd unsigned integer lexical into bits (8,16,32,64): "-0" is fine,
// "-1" → NumericOverflow.
func parseUint(b []byte, bits int) (uint64, error) {
	name := unsignedName(bits)
	t := trimSpace(b)
	maxMag := uint64(math.MaxUint64) >> (64 - bits)
	neg, mag, ok, overflow := scanInteger(t, maxMag)
	if !ok {
		return 0, errors.Errorf(errors.InvalidFormat,
			"value %s is not a valid %s: want an optional sign and decimal digits", quoteText(b), name)
	}
	if overflow || (neg && mag != 0) {
		return 0, errors.Errorf(errors.NumericOverflow,
			"value %s overflows %s (0..%d)", quoteText(t), name, maxMag)
	}
	return mag, nil
}

// floatName names the XSD type of a float bit size.
func floatName(bits int) string {
	switch bits {
	case 32:
		return "xsd:float"
	case 64:
		return "xsd:double"
	}
	panic("serialize: float bit size " + strconv.Itoa(bits) + " is not 32 or 64")
}

// isXSDFloat reports whether s (trimmed) matches the finite numeral part of
// the xsd:float/xsd:double lexical space:
// [+-]?(\d+(\.\d*)?|\.\d+)([Ee][+-]?\d+)?
func isXSDFloat(s []byte) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	mantissa := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		mantissa++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			mantissa++
		}
	}
	if mantissa == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseFloat parses xsd:float (bits 32) / xsd:double (64): decimal or exponent forms, "INF",
// "-INF", "+INF" (XSD 1.1), "NaN"; Go-only spellings ("Inf", "inf", "infinity", "0x1p-2", "1_000")
// are InvalidFormat; a finite value out of float32 range for bits 32 → NumericOverflow.
//
// The same holds for bits 64: a finite numeral beyond the range of float64
// ("1e400") is NumericOverflow, not INF, because a peer that writes a number
// meant a number. Values too small to represent round to zero (or the nearest
// subnormal), as XSD 1.1 prescribes.
func parseFloat(b []byte, bits int) (float64, error) {
	name := floatName(bits)
	t := trimSpace(b)
	switch string(t) {
	case "INF", "+INF":
		return math.Inf(1), nil
	case "-INF":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	if !isXSDFloat(t) {
		return 0, errors.Errorf(errors.InvalidFormat,
			"value %s is not a valid %s: want a decimal or exponent numeral, INF, -INF or NaN", quoteText(b), name)
	}
	f, err := strconv.ParseFloat(string(t), bits)
	if err != nil {
		// The syntax was checked above, so the only failure left is range.
		return 0, errors.Errorf(errors.NumericOverflow,
			"value %s overflows %s (magnitude at most %g)", quoteText(t), name, maxFloat(bits))
	}
	return f, nil
}

// maxFloat is the largest finite value of a float bit size.
func maxFloat(bits int) float64 {
	if bits == 32 {
		return math.MaxFloat32
	}
	return math.MaxFloat64
}

// appendFloat appends the xsd lexical form: INF, -INF, NaN, otherwise the shortest
// representation that round-trips at that bit size.
//
// The form is strconv's 'g' with the shortest precision, with the exponent
// marker written as an upper-case "E" as .NET's XmlConvert does: 0.5, 100000,
// 1E+21, 1E-07, 3.4028235E+38. Negative zero is written "-0", which xsd:float
// and xsd:double both allow.
func appendFloat(dst []byte, f float64, bits int) []byte {
	floatName(bits) // validates bits
	switch {
	case math.IsInf(f, 1):
		return append(dst, "INF"...)
	case math.IsInf(f, -1):
		return append(dst, "-INF"...)
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'g', -1, bits)
	for i := start; i < len(dst); i++ {
		if dst[i] == 'e' {
			dst[i] = 'E'
			break
		}
	}
	return dst
}
