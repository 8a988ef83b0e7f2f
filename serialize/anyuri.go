package serialize

import (
	"net/url"

	"github.com/wsgo/wsgo/errors"
)

// AnyURI is an xsd:anyURI: an absolute or relative URI reference, such as a
// WS-Addressing endpoint or a namespace name. A plain string field reads
// and writes the same text; AnyURI adds validation, so a malformed
// reference is reported where it is read rather than where it is used.
//
// XSD lets anyURI carry characters a URI would escape (spaces, non-ASCII
// letters; XML Linking §5.4), so those are accepted as they are. What is
// refused is what no escaping can repair: control characters, a malformed
// percent escape ("%G1"), or a colon before any slash with nothing in
// front of it (":x"). Surrounding whitespace is collapsed away, as the
// type's whiteSpace facet requires.
type AnyURI string

// ParseAnyURI validates s as an xsd:anyURI and returns it with surrounding
// whitespace removed.
func ParseAnyURI(s string) (AnyURI, error) {
	var u AnyURI
	if err := u.UnmarshalText([]byte(s)); err != nil {
		return "", err
	}
	return u, nil
}

// String returns the URI reference.
func (u AnyURI) String() string { return string(u) }

// URL parses the reference with net/url.
func (u AnyURI) URL() (*url.URL, error) { return url.Parse(string(u)) }

// AppendText appends the URI reference to b (encoding.TextAppender).
func (u AnyURI) AppendText(b []byte) ([]byte, error) { return append(b, u...), nil }

// MarshalText returns the URI reference (encoding.TextMarshaler).
func (u AnyURI) MarshalText() ([]byte, error) { return []byte(u), nil }

// UnmarshalText validates text as an xsd:anyURI and stores it
// (encoding.TextUnmarshaler). On error u is unchanged.
func (u *AnyURI) UnmarshalText(text []byte) error {
	t := trimSpace(text)
	for i, c := range t {
		switch {
		case c < 0x20 || c == 0x7f:
			return errors.Errorf(errors.InvalidFormat, "value %s is not an xsd:anyURI: control character 0x%02X at offset %d", quoteText(t), c, i)
		case c == '%':
			if i+2 >= len(t) || !isHexDigit(t[i+1]) || !isHexDigit(t[i+2]) {
				return errors.Errorf(errors.InvalidFormat, "value %s is not an xsd:anyURI: %% at offset %d is not followed by two hex digits", quoteText(t), i)
			}
		}
	}
	if len(t) > 0 && t[0] == ':' {
		return errors.Errorf(errors.InvalidFormat, "value %s is not an xsd:anyURI: it starts with ':' (a scheme name is missing)", quoteText(t))
	}
	*u = AnyURI(t)
	return nil
}

// isHexDigit reports whether c is an ASCII hexadecimal digit.
func isHexDigit(c byte) bool {
	_, ok := unhex(c)
	return ok
}
