package xmlio

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
)

// refDecodeText is decodeText as it was before it copied while scanning:
// one byte class at a time, runs appended between the stops. The tests
// below hold the word-at-a-time copy to exactly its results and errors.
func (r *Reader) refDecodeText(s []byte, at int) ([]byte, *errors.Error) {
	out := r.scratch
	mark := len(out)
	run := 0
	copied := false
	for i := 0; i < len(s); {
		c := s[i]
		if charClass[c]&cTextStop == 0 {
			i++
			continue
		}
		switch {
		case c == '&':
			out = append(out, s[run:i]...)
			var err *errors.Error
			if out, i, err = r.appendRef(out, s, i, at, false); err != nil {
				return nil, err
			}
			run, copied = i, true
		case c == '\r':
			out = append(out, s[run:i]...)
			out = append(out, '\n')
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
			run, copied = i, true
		case c == ']':
			if bytes.HasPrefix(s[i:], cdataClose) {
				return nil, r.errAt(at+i, "']]>' is not allowed in text; write it as ]]&gt;")
			}
			i++
		case c >= utf8.RuneSelf:
			n, err := r.checkRune(s[i:], at+i, -1, "text")
			if err != nil {
				return nil, err
			}
			i += n
		default:
			return nil, r.errAt(at+i, "character U+%04X is not allowed in XML", c)
		}
	}
	if !copied {
		return s, nil
	}
	out = append(out, s[run:]...)
	r.scratch = out
	return out[mark:], nil
}

// decodeFragments are the pieces the differential test builds text runs
// from: references of every kind (valid, malformed, cut short, undefined,
// naming forbidden characters), line ends, ']]>' and its near misses, UTF-8
// that is valid, a surrogate, a non-character or broken, C0 controls, and
// plain runs of every length around a word.
var decodeFragments = []string{
	"&amp;", "&lt;", "&gt;", "&apos;", "&quot;", "&#x41;", "&#65;", "&#x1F600;", "&#xE9;", "&#2048;",
	"&#xD800;", "&#0;", "&#x110000;", "&#;", "&#x;", "&#12", "&bogus;", "&", "&am", "&amp", "&lt", "&ap;",
	"&apos", "&quo;", "&Amp;", "&lt ;", "&;", "&#x9;", "&#xD;",
	"\r\n", "\r", "\n", "\t", "\r\r\n", "]]>", "]]", "]", "] ]>",
	"é", "日本", "😀", "\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xff", "\xc3", "\xe6\x97", "\x80",
	"\x00", "\x01", "\x1f", "\x7f", "'", "\"", ">",
	"a", "bc", "def", "ghij", "klmno", "pqrstu", "vwxyzAB", "CDEFGHIJ", "KLMNOPQRS", "0123456789abcdefg",
}

// TestDecodeTextMatchesReference decodes random text runs both ways and
// requires the same value or the same error. The runs mix references,
// line ends and the other stops with plain runs of every length, so the
// stops fall at every offset of a word and in the last seven bytes, where
// the copy goes a byte at a time.
func TestDecodeTextMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 30000; n++ {
		var sb strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			sb.WriteString(decodeFragments[rng.IntN(len(decodeFragments))])
		}
		text := sb.String()
		if strings.Contains(text, "<") {
			continue
		}
		checkDecodeText(t, text)
	}
}

// TestDecodeTextCases pins the branches of the copying decode one by one:
// a reference first, last, alone and at each offset of a word; CR LF and a
// lone CR before and after references; a reference split by the end of the
// run; errors after the copy has started.
func TestDecodeTextCases(t *testing.T) {
	cases := []string{
		"&amp;", "&lt;&gt;", "a&amp;", "&amp;b", "x\r\ny", "\r", "\r\n", "a\rb\r\nc\n\r",
		"&amp;\r\n&lt;", "&#x41;&#66;&#x1F600;", "&amp;é&lt;日本&gt;😀",
		"&amp;]]>", "&amp;]]", "&amp;]", "&amp; ]]&gt;", "&amp;&", "&amp;&am", "&amp;&bogus;",
		"&amp;\x01", "&amp;\xed\xa0\x80", "&amp;\xff", "&amp;\xef\xbf\xbf", "&amp;&#xD800;",
		"&amp;&#0;", "&amp;&#12", "&amp;&#x110000;", "&amp;\t\n\t",
	}
	for k := 0; k < 24; k++ { // every offset of a word, and the tail
		pad := strings.Repeat("p", k)
		cases = append(cases,
			pad+"&amp;"+pad, pad+"\r\n"+pad, pad+"&quot;"+pad+"&apos;", "&lt;"+pad+"]]>",
			"&lt;"+pad+"\xff", "&lt;"+pad+"&", "&lt;"+pad+"&#x41", pad+"\r"+pad+"é")
	}
	for _, text := range cases {
		checkDecodeText(t, text)
	}
}

func checkDecodeText(t *testing.T, text string) {
	t.Helper()
	doc := []byte("<a>" + text + "</a>")
	s := doc[3 : 3+len(text)]
	r := NewReader(doc, nil)
	r.scratch = append(r.scratch[:0], "earlier"...) // a value decoded before
	got, gotErr := r.decodeText(s, 3)
	ref := NewReader(doc, nil)
	want, wantErr := ref.refDecodeText(s, 3)
	if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
		t.Fatalf("%q: error %v, want %v", text, gotErr, wantErr)
	}
	if gotErr != nil {
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%q: decoded %q, want %q", text, got, want)
	}
	if string(r.scratch[:7]) != "earlier" {
		t.Fatalf("%q: the value decoded before was overwritten: %q", text, r.scratch[:7])
	}
	if cap(got) != len(got) {
		t.Fatalf("%q: the value has spare capacity %d; an append to it would overwrite the scratch", text, cap(got)-len(got))
	}
}

// TestPredefinedEntity checks the word compare of the five predefined
// references against their spelled-out names, at the end of the run and
// before more text.
func TestPredefinedEntity(t *testing.T) {
	names := map[string]byte{"lt": '<', "gt": '>', "amp": '&', "apos": '\'', "quot": '"'}
	probes := []string{"lt", "gt", "amp", "apos", "quot", "l", "g", "a", "q", "lt_", "gtx", "am", "ampx", "apo", "apox",
		"quo", "quox", "Lt", "aMp", "", "#x41", "ltt", "ampp", "aposs", "quott"}
	for _, name := range probes {
		for _, tail := range []string{"", "x", "xyz", "xyzw;"} {
			in := name + ";" + tail
			c, n := predefinedEntity([]byte(in))
			want, ok := names[name]
			if ok && (c != want || n != len(name)+1) {
				t.Errorf("predefinedEntity(%q) = %q, %d, want %q, %d", in, c, n, want, len(name)+1)
			}
			if !ok && n != 0 {
				t.Errorf("predefinedEntity(%q) = %q, %d, want no match", in, c, n)
			}
		}
		if c, n := predefinedEntity([]byte(name)); n != 0 {
			t.Errorf("predefinedEntity(%q) without ';' = %q, %d, want no match", name, c, n)
		}
	}
}

// TestSwarMatchDecode holds the constant-comparand matcher to swarMatch
// with swarDecode's stops.
func TestSwarMatchDecode(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := 0; n < 200000; n++ {
		x := rng.Uint64()
		if n%2 == 0 { // mostly plain ASCII with a few stops
			for k := 0; k < 8; k++ {
				c := uint64('a' + rng.IntN(26))
				if rng.IntN(6) == 0 {
					c = uint64("&]\x00\x1f\x80\xff\t\n"[rng.IntN(8)])
				}
				x = x&^(0xFF<<(8*k)) | c<<(8*k)
			}
		}
		if got, want := swarMatchDecode(x), swarMatch(x, swarDecode.orA, swarDecode.eqA, swarDecode.eqB); got != want {
			t.Fatalf("swarMatchDecode(%#016x) = %#016x, want %#016x", x, got, want)
		}
	}
}
