package xmlio_test

import (
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// wrtRoot opens a root element <r>.
func wrtRoot(w *xmlio.Writer) { w.StartElement("", "r", "") }

func TestWriterMisuseErrors(t *testing.T) {
	tests := []struct {
		name    string
		code    errors.Code
		mention string // a fragment the message must contain
		build   func(w *xmlio.Writer)
	}{
		{"EndElement with nothing open", errors.InvalidOperation, "EndElement before the root element: no element is open", func(w *xmlio.Writer) {
			w.EndElement()
		}},
		{"EndElement after the root ended", errors.InvalidOperation, "after the root element <r> ended", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndElement()
			w.EndElement()
		}},
		{"Attr after text", errors.InvalidOperation, `attribute "x" in element <r>: the start tag was closed`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Text("t")
			w.Attr("", "x", "", "1")
		}},
		{"Attr after a child", errors.InvalidOperation, "start tag was closed", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.StartElement("", "c", "")
			w.EndElement()
			w.Attr("", "x", "", "1")
		}},
		{"Attr before the root", errors.InvalidOperation, "before the root element", func(w *xmlio.Writer) {
			w.Attr("", "x", "", "1")
		}},
		{"StartAttr after content", errors.InvalidOperation, "start tag was closed", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Int(1)
			w.EndAttr(w.StartAttr("", "x", ""))
		}},
		{"DeclareNamespace after content", errors.InvalidOperation, "start tag was closed", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Comment("c")
			w.DeclareNamespace("p", "urn:p")
		}},
		{"text before the root", errors.InvalidOperation, "text before the root element: character data must be inside the root element", func(w *xmlio.Writer) {
			w.Text("t")
		}},
		{"text after the root", errors.InvalidOperation, "after the root element <r> ended", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndElement()
			w.Text("t")
		}},
		{"whitespace after the root", errors.InvalidOperation, "after the root", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndElement()
			w.TextBytes([]byte("\n"))
		}},
		{"Base64 before the root", errors.InvalidOperation, "base64", func(w *xmlio.Writer) {
			w.Base64([]byte{1})
		}},
		{"Hex after the root", errors.InvalidOperation, "hex", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndElement()
			w.Hex([]byte{1})
		}},
		{"Int before the root", errors.InvalidOperation, "integer", func(w *xmlio.Writer) { w.Int(1) }},
		{"Uint before the root", errors.InvalidOperation, "integer", func(w *xmlio.Writer) { w.Uint(1) }},
		{"CData before the root", errors.InvalidOperation, "CDATA", func(w *xmlio.Writer) { w.CData("x") }},
		{"AppendText before the root", errors.InvalidOperation, "AppendText", func(w *xmlio.Writer) {
			w.CommitText(w.AppendText())
		}},
		{"second root element", errors.InvalidOperation, `element "s" after the root element <r> ended: an XML document has exactly one root element`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndElement()
			w.StartElement("", "s", "")
		}},
		{"duplicate attribute", errors.InvalidOperation, `attribute "x" (namespace "") written twice in element <r>`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("", "x", "", "1")
			w.Attr("", "x", "", "2")
		}},
		{"duplicate namespaced attribute under two prefixes", errors.InvalidOperation, "written twice", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("a", "x", "urn:x", "1")
			w.Attr("b", "x", "urn:x", "2")
		}},
		{"duplicate attribute through StartAttr", errors.InvalidOperation, "written twice", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.AttrBytes("", "x", "", []byte("1"))
			w.EndAttr(w.StartAttr("", "x", ""))
		}},
		{"declaration after the root started", errors.InvalidOperation, "XML declaration", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.WriteDeclaration()
		}},
		{"declaration twice", errors.InvalidOperation, "XML declaration", func(w *xmlio.Writer) {
			w.WriteDeclaration()
			w.WriteDeclaration()
		}},
		{"declaration after a comment", errors.InvalidOperation, "must come first", func(w *xmlio.Writer) {
			w.Comment("c")
			w.WriteDeclaration()
		}},
		{"rebinding a prefix the element uses", errors.InvalidOperation, `prefix "p" is already used`, func(w *xmlio.Writer) {
			w.StartElement("p", "a", "urn:1")
			w.DeclareNamespace("p", "urn:2")
		}},
		{"rebinding a prefix the element was given in scope", errors.InvalidOperation, `prefix "p" is already used`, func(w *xmlio.Writer) {
			w.StartElement("p", "r", "urn:1")
			w.StartElement("p", "a", "urn:1")
			w.DeclareNamespace("p", "urn:2")
		}},
		{"declaring a default namespace on a no-namespace element", errors.InvalidOperation, `prefix ""`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.DeclareNamespace("", "urn:d")
		}},
		{"rebinding a prefix an attribute uses", errors.InvalidOperation, `prefix "q"`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("q", "x", "urn:1", "v")
			w.DeclareNamespace("q", "urn:2")
		}},
		{"rebinding a prefix declared on the same tag", errors.InvalidOperation, `prefix "q"`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.DeclareNamespace("q", "urn:1")
			w.DeclareNamespace("q", "urn:2")
		}},
		{"Text while AppendText is pending", errors.InvalidOperation, "text in element <r>: the value begun with AppendText is not committed; call CommitText first", func(w *xmlio.Writer) {
			wrtRoot(w)
			_ = w.AppendText()
			w.Text("x")
		}},
		{"EndElement while StartAttr is pending", errors.InvalidOperation, "call EndAttr first", func(w *xmlio.Writer) {
			wrtRoot(w)
			_ = w.StartAttr("", "x", "")
			w.EndElement()
		}},
		{"CommitText without AppendText", errors.InvalidOperation, "CommitText in element <r>: there is no matching AppendText", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.CommitText(nil)
		}},
		{"EndAttr without StartAttr", errors.InvalidOperation, "no matching StartAttr", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.EndAttr(nil)
		}},
		{"CommitText with a foreign slice", errors.InvalidArgument, "CommitText got a slice shorter", func(w *xmlio.Writer) {
			wrtRoot(w)
			_ = w.AppendText()
			w.CommitText(nil)
		}},

		{"comment with --", errors.InvalidFormat, `contains "--"`, func(w *xmlio.Writer) { w.Comment("a--b") }},
		{"comment ending with -", errors.InvalidFormat, `ends with "-"`, func(w *xmlio.Writer) { w.Comment("a-") }},
		{"comment with a control character", errors.InvalidFormat, "control character 0x01", func(w *xmlio.Writer) { w.Comment("a\x01") }},
		{"element name starting with a digit", errors.InvalidFormat, `"1a"`, func(w *xmlio.Writer) { w.StartElement("", "1a", "") }},
		{"element name with a colon", errors.InvalidFormat, `"a:b"`, func(w *xmlio.Writer) { w.StartElement("", "a:b", "") }},
		{"empty element name", errors.InvalidFormat, "not a valid XML qualified name", func(w *xmlio.Writer) { w.StartElement("", "", "") }},
		{"element name with a space", errors.InvalidFormat, `"a b"`, func(w *xmlio.Writer) { w.StartElement("", "a b", "") }},
		{"element name with invalid UTF-8", errors.InvalidFormat, "not a valid", func(w *xmlio.Writer) { w.StartElement("", "a\xff", "") }},
		{"bad element prefix", errors.InvalidFormat, `prefix "-p"`, func(w *xmlio.Writer) { w.StartElement("-p", "a", "urn:a") }},
		{"bad attribute name", errors.InvalidFormat, `attribute name "x="`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("", "x=", "", "v")
		}},
		{"bad declared prefix", errors.InvalidFormat, `prefix "p q"`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.DeclareNamespace("p q", "urn:x")
		}},
		{"NUL in text", errors.InvalidFormat, "text in element <r> contains control character 0x00 at byte 1", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Text("a\x00")
		}},
		{"invalid UTF-8 in text", errors.InvalidFormat, "invalid UTF-8 byte 0xC3", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.TextBytes([]byte("ab\xc3("))
		}},
		{"U+FFFE in text", errors.InvalidFormat, "U+FFFE", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Text("a\uFFFE")
		}},
		{"U+FFFF in an attribute", errors.InvalidFormat, `value of attribute "x" in element <r> contains non-character U+FFFF`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("", "x", "", "\uFFFF")
		}},
		{"control character in an attribute", errors.InvalidFormat, "control character 0x1B", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.AttrBytes("", "x", "", []byte("esc\x1b"))
		}},
		{"surrogate in a CDATA section", errors.InvalidFormat, "CDATA section in element <r>", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.CData("\xed\xa0\x80")
		}},
		{"control character through CommitText", errors.InvalidFormat, "text appended in element <r>", func(w *xmlio.Writer) {
			wrtRoot(w)
			b := w.AppendText()
			w.CommitText(append(b, 7))
		}},
		{"control character through EndAttr", errors.InvalidFormat, `value of attribute "n"`, func(w *xmlio.Writer) {
			wrtRoot(w)
			b := w.StartAttr("", "n", "")
			w.EndAttr(append(b, 0))
		}},
		{"invalid character in a namespace", errors.InvalidFormat, `namespace "urn:\x02" in element <a> contains control character 0x02`, func(w *xmlio.Writer) {
			w.StartElement("", "a", "urn:\x02")
		}},
		{"invalid character in an attribute's namespace", errors.InvalidFormat, "contains invalid UTF-8 byte 0xFF", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("", "a", "urn:\xff", "v")
		}},

		{"element prefix without a namespace", errors.InvalidArgument, `prefix "p" but no namespace`, func(w *xmlio.Writer) {
			w.StartElement("p", "a", "")
		}},
		{"attribute prefix without a namespace", errors.InvalidArgument, `prefix "p" but no namespace`, func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("p", "a", "", "v")
		}},
		{"xmlns through Attr", errors.InvalidArgument, "DeclareNamespace", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("", "xmlns", "", "urn:x")
		}},
		{"xmlns:p through Attr", errors.InvalidArgument, "DeclareNamespace", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("xmlns", "p", "http://www.w3.org/2000/xmlns/", "urn:x")
		}},
		{"prefix bound to the empty namespace", errors.InvalidArgument, "empty namespace", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.DeclareNamespace("p", "")
		}},
		{"xml prefix rebound", errors.InvalidArgument, "xml prefix", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.DeclareNamespace("xml", "urn:x")
		}},
		{"XML namespace bound to another prefix", errors.InvalidArgument, "xml prefix", func(w *xmlio.Writer) {
			w.StartElement("x", "a", wrtXMLNS)
		}},
		{"xmlns prefix on an element", errors.InvalidArgument, "reserved", func(w *xmlio.Writer) {
			w.StartElement("xmlns", "a", "urn:a")
		}},
		{"xml prefix on an attribute of another namespace", errors.InvalidArgument, "xml prefix", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("xml", "lang", "urn:x", "en")
		}},
		{"attribute in the XML namespace with another prefix", errors.InvalidArgument, "only the xml prefix", func(w *xmlio.Writer) {
			wrtRoot(w)
			w.Attr("x", "lang", wrtXMLNS, "en")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := xmlio.NewBufferWriter(nil)
			tc.build(w)
			err := w.Err()
			var e *errors.Error
			if !errors.As(err, &e) {
				t.Fatalf("Err() = %v (%T), want an *errors.Error with code %v", err, err, tc.code)
			}
			if e.Code != tc.code {
				t.Errorf("code = %v, want %v (%v)", e.Code, tc.code, err)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("message %q does not mention %q", err.Error(), tc.mention)
			}
			if e.Op != "write XML" {
				t.Errorf("Op = %q, want %q", e.Op, "write XML")
			}

			// Sticky: later calls change nothing and report the same error.
			before := string(w.Bytes())
			w.StartElement("", "later", "")
			w.Text("later")
			w.EndElement()
			if got := string(w.Bytes()); got != before {
				t.Errorf("output changed after the error: %q -> %q", before, got)
			}
			if w.Err() != err || w.Flush() != err {
				t.Errorf("error not sticky: Err() = %v, Flush() = %v, want %v", w.Err(), w.Flush(), err)
			}
		})
	}
}

// An invalid value leaves the output as it was before the call, so what a
// buffer writer holds is still the well-formed prefix of the document.
func TestWriterInvalidValueLeavesNoPartialOutput(t *testing.T) {
	w := xmlio.NewBufferWriter(nil)
	wrtRoot(w)
	w.Text("ok&")
	before := string(w.Bytes())
	w.Text("fine&fine\x00")
	if got := string(w.Bytes()); got != before {
		t.Errorf("output after a rejected text = %q, want %q", got, before)
	}
	for _, bad := range []func(){
		func() { w.StartElement("", "1bad", "") },
		func() { w.StartElement("p", "a", "") },
		func() { w.StartElement("", "a", "urn:\x00") },
	} {
		w.Reset(nil)
		w.StartElement("", "r", "")
		before := string(w.Bytes())
		bad()
		if got := string(w.Bytes()); got != before || w.Depth() != 1 || w.Err() == nil {
			t.Errorf("a rejected StartElement changed the writer: %q -> %q, depth %d, err %v", before, got, w.Depth(), w.Err())
		}
	}
	if errors.CodeOf(w.Err()) != errors.InvalidFormat {
		t.Errorf("Err() = %v, want InvalidFormat", w.Err())
	}
}

func TestWriterDeclarationAndComments(t *testing.T) {
	wrtGolden(t, `<?xml version="1.0" encoding="utf-8"?><!--before--><r><!--in--></r><!--after-->`, func(w *xmlio.Writer) {
		w.WriteDeclaration()
		w.Comment("before")
		wrtRoot(w)
		w.Comment("in")
		w.EndElement()
		w.Comment("after")
	})
}

func TestWriterDepth(t *testing.T) {
	w := xmlio.NewBufferWriter(nil)
	for i := 1; i <= 3; i++ {
		w.StartElement("", "e", "")
		if w.Depth() != i {
			t.Fatalf("Depth() = %d after %d StartElement, want %d", w.Depth(), i, i)
		}
	}
	for i := 2; i >= 0; i-- {
		w.EndElement()
		if w.Depth() != i {
			t.Fatalf("Depth() = %d, want %d", w.Depth(), i)
		}
	}
	if got, want := string(w.Bytes()), "<e><e><e/></e></e>"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

func TestWriterValues(t *testing.T) {
	wrtGolden(t, `<r n="-42" f="2.5" t="a&amp;b">-9223372036854775808 18446744073709551615 2024-02-29T13:04:05Z x&lt;y<![CDATA[a]]]]><![CDATA[>b]]><![CDATA[]]><raw a="1"/>0AFF</r>`, func(w *xmlio.Writer) {
		wrtRoot(w)
		b := w.StartAttr("", "n", "")
		w.EndAttr(append(b, "-42"...))
		b = w.StartAttr("", "f", "")
		w.EndAttr(append(b, "2.5"...))
		b = w.StartAttr("", "t", "")
		w.EndAttr(append(b, "a&b"...)) // escaped after all, with a copy
		w.Int(-1 << 63)
		w.Text(" ")
		w.Uint(1<<64 - 1)
		w.Text(" ")
		b = w.AppendText()
		w.CommitText(append(b, "2024-02-29T13:04:05Z "...))
		b = w.AppendText()
		w.CommitText(append(b, "x<y"...))
		w.CData("a]]>b")
		w.CData("")
		w.Raw([]byte(`<raw a="1"/>`))
		w.Hex([]byte{0x0a, 0xff})
		w.EndElement()
	})
}

func TestWriterReset(t *testing.T) {
	build := func(w *xmlio.Writer) {
		w.StartElement("s", "E", "urn:s")
		w.Attr("", "a", "urn:x", "1")
		w.Text("t")
		w.EndElement()
	}
	const want = `<s:E xmlns:s="urn:s" xmlns:p1="urn:x" p1:a="1">t</s:E>`

	w := xmlio.NewBufferWriter([]byte("prefix:"))
	build(w)
	if got := string(w.Bytes()); got != "prefix:"+want {
		t.Fatalf("NewBufferWriter appends: got %q", got)
	}

	// A failed document does not leak into the next one.
	w.Reset(nil)
	w.StartElement("", "a", "urn:a")
	w.EndElement()
	w.EndElement()
	if w.Err() == nil {
		t.Fatal("expected an error before Reset")
	}
	w.Reset(nil)
	if w.Err() != nil || w.Depth() != 0 || len(w.Bytes()) != 0 {
		t.Fatalf("after Reset: Err=%v Depth=%d len=%d", w.Err(), w.Depth(), len(w.Bytes()))
	}
	build(w)
	if got := string(w.Bytes()); got != want {
		t.Errorf("after Reset: got %q, want %q", got, want)
	}

	// Reset to a destination turns it into a streaming writer.
	var sb strings.Builder
	w.Reset(&sb)
	build(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if sb.String() != want {
		t.Errorf("streamed after Reset: got %q, want %q", sb.String(), want)
	}
	if len(w.Bytes()) != 0 {
		t.Errorf("Bytes() after Flush = %q, want empty", w.Bytes())
	}
}
