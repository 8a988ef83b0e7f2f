package xmlio

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// equivalenceDocs are documents, good and bad, whose token stream must not
// depend on how the input arrives.
func equivalenceDocs() []string {
	docs := []string{
		string(orderDocument(40)),
		"\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?>\r\n<!-- c --><a xmlns='urn:d' xmlns:p=\"urn:p\"><p:b p:x='1&amp;2' y=\"\t\r\n\">t&#x1F600;\r\n<![CDATA[c]]d]]>é</p:b><e/></a>\n<!-- z -->\n",
		"<a>" + strings.Repeat("<b x='"+strings.Repeat("v", 50)+"'>"+strings.Repeat("t", 70)+"</b>", 30) + "</a>",
		"<a>" + strings.Repeat("0123456789", 30) + "</a>",
		"<a><!--" + strings.Repeat("-x", 100) + "--></a>",
		"<a><![CDATA[" + strings.Repeat("]", 100) + "]]></a>",
		"<a v='" + strings.Repeat("&lt;", 80) + "'/>",
		"<" + strings.Repeat("n", 200) + "/>",
		"<a>" + strings.Repeat("é", 200) + "</a>",
		"<a></" + strings.Repeat("a", 20) + ">",
		"<a>x</a",
		"<a x='1' x='1'/>",
		"<![CDAT",
		"<!-",
		"<?xml version='1.0'",
		"<a>\xff</a>",
		"<a>]]</a>",
		"<a>]]>",
		"<a v='\xe2\x82'/>",
		"<a\xe2\x82",
		"<a>&#x41",
		"<a/> <b/>",
	}
	for _, c := range hostileCases() {
		if c.unit == nil {
			docs = append(docs, c.doc)
		}
	}
	return docs
}

// TestReaderStreamedEqualsBuffered reads each document buffered and then
// streamed through tiny windows, one byte per Read and other awkward
// sources, and with token limits around the documents' token sizes; the
// token streams (and errors) must be identical.
func TestReaderStreamedEqualsBuffered(t *testing.T) {
	sources := map[string]func(string) io.Reader{
		"one byte":   func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"half":       func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		"data + EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"whole":      func(s string) io.Reader { return strings.NewReader(s) },
	}
	for i, doc := range equivalenceDocs() {
		for _, maxTok := range []int{0, 8, 9, 10, 16, 50, 63, 64, 65, 100} {
			for _, window := range []int{1, 2, 7, 64} {
				opts := &Options{StreamBufferSize: window, MaxTokenBytes: maxTok, ReportComments: i%2 == 0}
				want := dumpBuffered([]byte(doc), opts)
				for name, src := range sources {
					got := dumpStreamed(src(doc), opts)
					diffLines(t, fmt.Sprintf("doc %d (%.30q) window %d MaxTokenBytes %d source %s", i, doc, window, maxTok, name), got, want)
				}
			}
		}
	}
}

// TestReaderWindowStaysBounded checks that the streamed window grows only
// to the largest token, not to the document.
func TestReaderWindowStaysBounded(t *testing.T) {
	doc := orderDocument(400)
	r := NewStreamReader(bytes.NewReader(doc), &Options{StreamBufferSize: 64})
	if _, err := walk(r); err != nil {
		t.Fatal(err)
	}
	if len(r.own) > 1024 {
		t.Errorf("window grew to %d bytes for a %d-byte document whose largest token is under 300 bytes", len(r.own), len(doc))
	}
}
