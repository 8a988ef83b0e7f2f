package xmlio_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// wrtIsXMLChar is the Char production of XML 1.0, written independently of
// the writer's tables.
func wrtIsXMLChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// wrtIsCharData reports whether s is valid UTF-8 made only of XML Chars.
func wrtIsCharData(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !wrtIsXMLChar(r) {
			return false
		}
	}
	return true
}

// wrtParsed is what encoding/xml reads back from <r a="..." b="...">text</r>.
type wrtParsed struct {
	attrs map[string]string
	text  string
}

// wrtParse reads a one-element document with encoding/xml's Decoder.
func wrtParse(t testing.TB, doc []byte) wrtParsed {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var p wrtParsed
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("encoding/xml cannot parse the output: %v\n%q", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			p.attrs = make(map[string]string)
			for _, a := range tok.Attr {
				p.attrs[a.Name.Local] = a.Value
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
	p.text = text.String()
	return p
}

var wrtEscapeCases = []string{
	"",
	"plain",
	"a&b<c>d",
	"]]>",
	"a]]>b]]]]>",
	"\r",
	"\r\n",
	"line1\nline2\r\nline3\rline4",
	"\ttab\t",
	`quote " and apos '`,
	"&amp; is not expanded twice &lt;",
	"héllo wörld ✓ 𝄞 日本語",
	"  leading and trailing  ",
	"\u0085\u2028 NEL and LS",
	"\uFFFD\uE000\U0010FFFF",
	"<tag attr=\"v\">&#xD;</tag>",
	strings.Repeat("long&<>\r\n\t\"", 5000),
}

func TestWriterEscapeRoundTrip(t *testing.T) {
	for _, s := range wrtEscapeCases {
		for _, streaming := range []bool{false, true} {
			var out bytes.Buffer
			w := xmlio.NewBufferWriter(nil)
			if streaming {
				w = xmlio.NewWriter(&out)
			}
			w.StartElement("", "r", "")
			w.Attr("", "a", "", s)
			w.AttrBytes("", "b", "", []byte(s))
			w.Text(s)
			w.TextBytes([]byte(s))
			w.EndElement()
			if err := w.Flush(); err != nil {
				t.Fatalf("%.40q: %v", s, err)
			}
			doc := w.Bytes()
			if streaming {
				doc = out.Bytes()
			}
			p := wrtParse(t, doc)
			if p.attrs["a"] != s || p.attrs["b"] != s {
				t.Errorf("attribute round trip of %.40q: got a=%.40q b=%.40q", s, p.attrs["a"], p.attrs["b"])
			}
			if p.text != s+s {
				t.Errorf("text round trip of %.40q: got %.80q", s, p.text)
			}
		}
	}
}

func TestWriterEscapeGolden(t *testing.T) {
	wrtGolden(t, `<r a="&amp;&lt;>&quot;'&#x9;&#xA;&#xD;é">&amp;&lt;&gt;"'`+"\t\n"+`&#xD;é]]&gt;</r>`, func(w *xmlio.Writer) {
		const s = "&<>\"'\t\n\ré"
		w.StartElement("", "r", "")
		w.Attr("", "a", "", s)
		w.Text(s + "]]>")
		w.EndElement()
	})
}

func TestWriterCDataRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain <&>", "]]>", "a]]>b]]>c", "]]]]>>", "é\n\t"} {
		w := xmlio.NewBufferWriter(nil)
		w.StartElement("", "r", "")
		w.CData(s)
		w.EndElement()
		if err := w.Err(); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := wrtParse(t, w.Bytes()).text; got != s {
			t.Errorf("CDATA %q read back as %q (%s)", s, got, w.Bytes())
		}
	}
}

// Every code point is accepted in text and attribute values exactly when
// XML 1.0 allows it: all allowed ones, in blocks, read back unchanged, and
// each forbidden one is refused with InvalidFormat.
func TestWriterAcceptsExactlyXMLChars(t *testing.T) {
	w := xmlio.NewBufferWriter(nil)
	write := func(s []byte) error {
		w.Reset(nil)
		w.StartElement("", "r", "")
		w.AttrBytes("", "a", "", s)
		w.TextBytes(s)
		w.EndElement()
		return w.Err()
	}
	var block []byte
	for lo := rune(0); lo <= utf8.MaxRune; lo += 0x1000 {
		block = block[:0]
		for r := lo; r < lo+0x1000; r++ {
			if r >= 0xD800 && r <= 0xDFFF {
				continue // not encodable in UTF-8; covered as invalid UTF-8 below
			}
			if wrtIsXMLChar(r) {
				block = utf8.AppendRune(block, r)
				continue
			}
			bad := utf8.AppendRune([]byte("ok"), r)
			if err := write(append(bad, "ok"...)); errors.CodeOf(err) != errors.InvalidFormat {
				t.Fatalf("U+%04X is not an XML Char but Err() = %v, want InvalidFormat", r, err)
			}
		}
		if err := write(block); err != nil {
			t.Fatalf("block U+%04X: %v", lo, err)
		}
		p := wrtParse(t, w.Bytes())
		if p.attrs["a"] != string(block) || p.text != string(block) {
			t.Fatalf("block U+%04X does not read back unchanged", lo)
		}
	}
	for _, bad := range []string{
		"\xed\xa0\x80", "\xed\xbf\xbf", // surrogates
		"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xf0\x80\x80\x80", // overlong
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", // beyond U+10FFFF
		"\x80", "\xc3", "\xe2\x82", "\xf0\x9d\x84", "\xe2\x28\xa1", // truncated, stray
	} {
		if err := write([]byte("ok" + bad + "ok")); errors.CodeOf(err) != errors.InvalidFormat {
			t.Errorf("%q: Err() = %v, want InvalidFormat", bad, err)
		}
	}
}

// A streamed text value longer than the internal chunk must not be cut
// inside a UTF-8 sequence.
func TestWriterLongMultibyteText(t *testing.T) {
	for _, unit := range []string{"é", "日", "𝄞", "a日"} {
		s := strings.Repeat(unit, 40000)
		var out bytes.Buffer
		w := xmlio.NewWriter(&out)
		w.StartElement("", "r", "")
		w.Text(s)
		w.EndElement()
		if err := w.Flush(); err != nil {
			t.Fatalf("%q: %v", unit, err)
		}
		if got := wrtParse(t, out.Bytes()).text; got != s {
			t.Errorf("%q x 40000 did not round trip (len %d, want %d)", unit, len(got), len(s))
		}
	}
}

func FuzzWriterEscape(f *testing.F) {
	for _, s := range wrtEscapeCases {
		if len(s) < 1000 { // long values make mutation slow without finding more
			f.Add(s)
		}
	}
	for _, s := range []string{"\x00", "a\xffb", "\uFFFE", "\xed\xa0\x80", "\x1b[0m", "é\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w := xmlio.NewBufferWriter(nil)
		w.StartElement("", "r", "")
		w.Attr("", "a", "", s)
		w.Text(s)
		w.EndElement()
		err := w.Err()
		if !wrtIsCharData(s) {
			if errors.CodeOf(err) != errors.InvalidFormat {
				t.Fatalf("%q is not XML character data but Err() = %v, want InvalidFormat", s, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q is valid character data but was rejected: %v", s, err)
		}
		p := wrtParse(t, w.Bytes())
		if p.attrs["a"] != s {
			t.Fatalf("attribute %q read back as %q", s, p.attrs["a"])
		}
		if p.text != s {
			t.Fatalf("text %q read back as %q", s, p.text)
		}
		a, text := wrtReadBack(t, w.Bytes())
		if a != s || text != s {
			t.Fatalf("%q read back by xmlio.Reader as attribute %q and text %q", s, a, text)
		}
	})
}

// wrtReadBack reads <r a="...">text</r> with xmlio.Reader and returns the
// attribute's value and the concatenated character data.
func wrtReadBack(t *testing.T, doc []byte) (string, string) {
	t.Helper()
	r := xmlio.NewReader(doc, nil)
	var attr string
	var text []byte
	for {
		k, err := r.Next()
		if err != nil {
			t.Fatalf("xmlio.Reader refuses the writer's output: %v\n%q", err, doc)
		}
		switch k {
		case xmlio.StartElement:
			v, _ := r.AttrValue("a", "")
			attr = string(v)
		case xmlio.Text:
			text = append(text, r.Text()...)
		case xmlio.EOF:
			return attr, string(text)
		}
	}
}
