// Package httplex holds the lexical rules of HTTP (RFC 9110 §5.1, §5.5,
// §5.6) that wsgo checks by hand: what a token is, what a header field
// value may hold, what may be sent as a Host header. The authentication
// challenge parser (package security) and the channel's HTTP/1.1 client
// (package channel) share them.
package httplex

import "strings"

// IsTokenChar reports whether c is a tchar: a character of a token (a
// method, a header name, an authentication scheme).
func IsTokenChar(c byte) bool {
	return c < 0x80 && tchars[c]
}

var tchars = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// ValidToken reports whether s is a non-empty token.
func ValidToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsTokenChar(s[i]) {
			return false
		}
	}
	return s != ""
}

// ValidFieldValue reports whether v may be sent as a header field value:
// no control characters but horizontal tab, so no CR or LF that would
// split the header.
func ValidFieldValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// ValidHostHeader reports whether h may be sent as a Host header as it is:
// ASCII letters, digits and the punctuation of host names, IP literals
// and ports. International names need converting first.
func ValidHostHeader(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~:[]!$&'()*+,;=%", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// HasToken reports whether the comma-separated header value v holds token,
// case-insensitively ("keep-alive, Close" has "close").
func HasToken(v, token string) bool {
	for v != "" {
		var part string
		part, v, _ = strings.Cut(v, ",")
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}
