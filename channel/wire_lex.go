package channel

import "strings"

// HTTP lexical rules the wire checks requests against (RFC 9110 §5.1, §5.5,
// §5.6.2), as net/http does before it writes a request.

// isTokenByte reports whether c may appear in a token (a method, a header
// name).
func isTokenByte(c byte) bool {
	return c < 0x80 && tokenBytes[c]
}

var tokenBytes = func() (t [128]bool) {
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

// validToken reports whether s is a non-empty token.
func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTokenByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// validFieldValue reports whether v may be sent as a header field value:
// no control characters but horizontal tab (so no CR or LF that would
// split the header).
func validFieldValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// validHostHeader reports whether h may be sent as the Host header: ASCII
// letters, digits and the punctuation of host names, IP literals and
// ports (hosts with other characters go through net/http, which converts
// international names).
func validHostHeader(h string) bool {
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

// hasToken reports whether the comma-separated header value v holds token
// (case-insensitively).
func hasToken(v, token string) bool {
	for _, part := range strings.Split(v, ",") {
		if strings.EqualFold(strings.TrimSpace(part), token) {
			return true
		}
	}
	return false
}
