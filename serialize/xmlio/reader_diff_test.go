package xmlio

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// Differences from encoding/xml that the comparisons below allow for:
//
//   - encoding/xml does not normalize whitespace in attribute values
//     (namespace declarations included), so documents compared value by
//     value have no literal tab, CR or LF in attribute values, and the fuzz
//     test maps tab and LF to space in encoding/xml's namespace URIs;
//   - encoding/xml reports whitespace outside the root element, which this
//     reader skips, so only character data inside the root is compared;
//   - encoding/xml needs a CharsetReader for a US-ASCII declaration;
//   - encoding/xml checks names against the XML 1.0 Second Edition tables,
//     narrower than the Fifth Edition ones used here, so non-ASCII names may
//     be accepted here and refused there;
//   - encoding/xml leaves an unprefixed element whose local name is xmlns
//     out of the default namespace; Namespaces in XML 1.0 reserves only the
//     xmlns prefix, so here such an element takes the default namespace.

// stdEvents renders doc as read by encoding/xml: elements with resolved
// names, attributes other than namespace declarations, and the character
// data between tags inside the root, concatenated.
func stdEvents(doc []byte, attrValues bool) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = func(charset string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %q", charset)
	}
	var out []string
	var text strings.Builder
	depth := 0
	flush := func() {
		if text.Len() > 0 {
			out = append(out, fmt.Sprintf("T %q", text.String()))
			text.Reset()
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			flush()
			depth++
			s := fmt.Sprintf("S {%s}%s", tok.Name.Space, tok.Name.Local)
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				s += fmt.Sprintf(" @{%s}%s", a.Name.Space, a.Name.Local)
				if attrValues {
					s += fmt.Sprintf("=%q", a.Value)
				}
			}
			out = append(out, s)
		case xml.EndElement:
			flush()
			depth--
			out = append(out, fmt.Sprintf("E {%s}%s", tok.Name.Space, tok.Name.Local))
		case xml.CharData:
			if depth > 0 {
				text.Write(tok)
			}
		}
	}
}

// ourEvents renders doc as this reader reads it, in stdEvents' format.
func ourEvents(doc []byte, attrValues bool) ([]string, error) {
	return readerEvents(NewReader(doc, nil), attrValues)
}

// readerEvents renders what r reads: element and attribute names with
// namespaces (and attribute values when attrValues), and the character
// data between tags concatenated, so text and CDATA split differently
// compare equal.
func readerEvents(r *Reader, attrValues bool) ([]string, error) {
	var out []string
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, fmt.Sprintf("T %q", text.String()))
			text.Reset()
		}
	}
	for {
		k, err := r.Next()
		if err != nil {
			return out, err
		}
		switch k {
		case StartElement:
			flush()
			s := fmt.Sprintf("S {%s}%s", r.Namespace(), r.Local())
			for i := range r.AttrCount() {
				a := r.Attr(i)
				s += fmt.Sprintf(" @{%s}%s", a.Namespace, a.Local)
				if attrValues {
					s += fmt.Sprintf("=%q", a.Value)
				}
			}
			out = append(out, s)
		case EndElement:
			flush()
			out = append(out, fmt.Sprintf("E {%s}%s", r.Namespace(), r.Local()))
		case Text:
			text.Write(r.Text())
		case EOF:
			return out, nil
		}
	}
}

// TestReaderMatchesEncodingXML compares the reader with encoding/xml on
// valid documents: element names, resolved namespaces, attribute values and
// character data.
func TestReaderMatchesEncodingXML(t *testing.T) {
	docs := [][]byte{orderDocument(40)}
	for _, tc := range wellFormedTests {
		if strings.Contains(tc.name, "normalization") {
			continue // encoding/xml does not normalize attribute values
		}
		docs = append(docs, []byte(tc.doc))
	}
	docs = append(docs,
		[]byte(`<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:y="1" a:y="2" y="3"><b:z xmlns:a="urn:c" a:q="&#x26;"/></a:x>`),
		[]byte("<r>\r\n a &amp; b <![CDATA[ <&> ]]> c\r</r>"),
	)
	for i, doc := range docs {
		want, err := stdEvents(doc, true)
		if err != nil {
			t.Errorf("doc %d (%.40q): encoding/xml refuses it: %v", i, doc, err)
			continue
		}
		got, err := ourEvents(doc, true)
		if err != nil {
			t.Errorf("doc %d (%.40q): %v", i, doc, err)
			continue
		}
		diffLines(t, fmt.Sprintf("doc %d (%.40q)", i, doc), got, want)
	}
}
