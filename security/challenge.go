package security

import (
	"strings"

	"github.com/wsgo/wsgo/internal/httplex"
)

// maxChallengeValue bounds one header value ParseChallenges reads; a longer
// value is ignored whole, so a hostile peer cannot make the parser (or the
// token decoders after it) chew on megabytes.
const maxChallengeValue = 16 << 10

// ParseChallenges reads the challenges of one or more WWW-Authenticate or
// Proxy-Authenticate header values (RFC 7235 §4.1). A value may hold
// several challenges separated by commas, as in
//
//	Negotiate, NTLM, Digest realm="a, b", qop="auth,auth-int", Basic realm=x
//
// A challenge carries either a token68 (the base64 token of NTLM and
// Negotiate, kept in Token) or auth-params (names lower-cased, quoted
// values unescaped, kept in Params; the first of a repeated name wins).
// Schemes wsgo does not implement are kept with Scheme 0 and their Name.
//
// ParseChallenges never fails: text that does not follow the grammar is
// skipped up to the next comma, and values longer than 16 KiB are ignored.
func ParseChallenges(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		if len(v) > maxChallengeValue {
			continue
		}
		p := challengeParser{s: v}
		out = p.parse(out)
	}
	return out
}

// SelectChallenge returns the first challenge in chs of the single scheme
// s that a session of s can answer, or nil. For Digest that is the first
// one whose algorithm and qop wsgo implements, so that a server offering
// "Digest algorithm=SHA-512" before "Digest algorithm=MD5" (RFC 7616 §3.7:
// in its order of preference) gets the MD5 answer rather than an error.
func SelectChallenge(chs []Challenge, s Scheme) *Challenge {
	for i := range chs {
		ch := &chs[i]
		if ch.Scheme != s {
			continue
		}
		if s == Digest {
			if _, err := digestAlgorithmOf(ch.Params["algorithm"]); err != nil {
				continue
			}
			if _, ok := digestQOPs(ch.Params["qop"]); !ok {
				continue
			}
		}
		return ch
	}
	return nil
}

// challengeParser walks one header value. Every step consumes at least one
// byte or ends the value, so garbage cannot make it loop.
type challengeParser struct {
	s string
	i int
}

func (p *challengeParser) parse(out []Challenge) []Challenge {
	for {
		p.skipSeparators()
		if p.i >= len(p.s) {
			return out
		}
		name := p.token()
		if name == "" {
			p.skipToComma()
			continue
		}
		ch := Challenge{Scheme: SchemeOf(name), Name: name}
		if !p.skipSpace() {
			// The scheme is followed by a comma, the end, or garbage.
			if p.i < len(p.s) && p.s[p.i] != ',' {
				p.skipToComma()
				continue
			}
			out = append(out, ch)
			continue
		}
		if tok, ok := p.token68(); ok {
			ch.Token = tok
			out = append(out, ch)
			continue
		}
		p.params(&ch)
		out = append(out, ch)
	}
}

// params reads #auth-param into ch until the value ends or what follows a
// comma is no longer "name =" (the start of the next challenge).
func (p *challengeParser) params(ch *Challenge) {
	for {
		p.skipSpace()
		start := p.i
		name := p.token()
		p.skipSpace()
		if name == "" || p.i >= len(p.s) || p.s[p.i] != '=' {
			// Not a parameter: leave it for the caller (next challenge) or
			// drop the garbage up to the next comma.
			if name == "" && p.i < len(p.s) && p.s[p.i] != ',' {
				p.skipToComma()
			} else {
				p.i = start
			}
			return
		}
		p.i++ // '='
		p.skipSpace()
		var value string
		if p.i < len(p.s) && p.s[p.i] == '"' {
			value = p.quoted()
		} else {
			value = p.token()
		}
		if ch.Params == nil {
			ch.Params = make(map[string]string)
		}
		key := strings.ToLower(name)
		if _, dup := ch.Params[key]; !dup {
			ch.Params[key] = value
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] != ',' {
			p.skipToComma()
		}
		// Past the comma(s): another parameter, or the next challenge.
		save := p.i
		p.skipSeparators()
		if p.i >= len(p.s) {
			return
		}
		if !p.startsParam() {
			p.i = save
			return
		}
	}
}

// startsParam reports whether the text at p.i is "token BWS =" (and not a
// token68 ending in "=" followed by a comma or the end).
func (p *challengeParser) startsParam() bool {
	j := p.i
	for j < len(p.s) && httplex.IsTokenChar(p.s[j]) {
		j++
	}
	if j == p.i {
		return false
	}
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	if j >= len(p.s) || p.s[j] != '=' {
		return false
	}
	// "name=" followed by only "=", spaces and then a comma or the end
	// is a token68, not a parameter.
	k := j
	for k < len(p.s) && p.s[k] == '=' {
		k++
	}
	for k < len(p.s) && (p.s[k] == ' ' || p.s[k] == '\t') {
		k++
	}
	return k < len(p.s) && p.s[k] != ','
}

// token68 reads a token68 when the text at p.i is one followed by spaces
// and then a comma or the end; otherwise it consumes nothing.
func (p *challengeParser) token68() (string, bool) {
	j := p.i
	for j < len(p.s) && isToken68Char(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	for j < len(p.s) && p.s[j] == '=' {
		j++
	}
	end := j
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	if j < len(p.s) && p.s[j] != ',' {
		return "", false
	}
	tok := p.s[p.i:end]
	p.i = j
	return tok, true
}

func (p *challengeParser) token() string {
	start := p.i
	for p.i < len(p.s) && httplex.IsTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// quoted reads a quoted-string at p.i (which is '"') and returns it
// unescaped; an unterminated string runs to the end of the value.
func (p *challengeParser) quoted() string {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String()
		case '\\':
			if p.i+1 < len(p.s) {
				p.i++
				c = p.s[p.i]
			}
		}
		b.WriteByte(c)
		p.i++
	}
	return b.String()
}

// skipSpace skips spaces and tabs and reports whether there were any.
func (p *challengeParser) skipSpace() bool {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
	return p.i > start
}

func (p *challengeParser) skipSeparators() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

// skipToComma drops garbage up to the next comma outside a quoted string.
func (p *challengeParser) skipToComma() {
	for p.i < len(p.s) && p.s[p.i] != ',' {
		if p.s[p.i] == '"' {
			p.quoted()
			continue
		}
		p.i++
	}
}

// isToken68Char reports whether c may appear in a token68 before its
// trailing "=" padding (RFC 7235 §2.1).
func isToken68Char(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~+/", c) >= 0
}
