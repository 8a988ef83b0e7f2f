package httplex

import "testing"

func TestTokens(t *testing.T) {
	for s, want := range map[string]bool{
		"POST": true, "X-Custom_1.2~": true, "!#$%&'*+-.^_`|~": true,
		"": false, "a b": false, "a:b": false, "a\"b": false, "é": false, "a\x7f": false,
	} {
		if got := ValidToken(s); got != want {
			t.Errorf("ValidToken(%q) = %v, want %v", s, got, want)
		}
	}
	for c := 0; c < 256; c++ {
		want := c > ' ' && c < 0x7f && c != '"' && c != '(' && c != ')' && c != ',' && c != '/' && c != ':' &&
			c != ';' && c != '<' && c != '=' && c != '>' && c != '?' && c != '@' && c != '[' && c != '\\' &&
			c != ']' && c != '{' && c != '}'
		if got := IsTokenChar(byte(c)); got != want {
			t.Errorf("IsTokenChar(%#x) = %v, want %v", c, got, want)
		}
	}
}

func TestFieldValuesAndHosts(t *testing.T) {
	for v, want := range map[string]bool{
		"text/xml; charset=utf-8": true, "a\tb": true, "": true,
		"a\r\nX-Injected: 1": false, "a\nb": false, "a\x00": false, "a\x7f": false,
	} {
		if got := ValidFieldValue(v); got != want {
			t.Errorf("ValidFieldValue(%q) = %v, want %v", v, got, want)
		}
	}
	for h, want := range map[string]bool{
		"example.com:8080": true, "[::1]:443": true, "127.0.0.1": true,
		"exa mple.com": false, "bücher.example": false, "a/b": false, "a\r\n": false,
	} {
		if got := ValidHostHeader(h); got != want {
			t.Errorf("ValidHostHeader(%q) = %v, want %v", h, got, want)
		}
	}
	for _, tc := range []struct {
		v, token string
		want     bool
	}{
		{"close", "close", true}, {"keep-alive, Close", "close", true}, {" close ,x", "close", true},
		{"closed", "close", false}, {"", "close", false}, {"keep-alive", "close", false},
	} {
		if got := HasToken(tc.v, tc.token); got != tc.want {
			t.Errorf("HasToken(%q, %q) = %v, want %v", tc.v, tc.token, got, tc.want)
		}
	}
}
