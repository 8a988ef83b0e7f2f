package xmlio

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzReader feeds arbitrary bytes to the reader in both modes. It checks
// that nothing panics, that every error is an *errors.Error with code
// InvalidFormat or QuotaExceeded, that buffered and streamed reading (one
// byte per Read through a tiny window) agree on the whole token stream, and
// that encoding/xml accepts whatever this reader accepts, with the same
// element and attribute names (see reader_diff_test.go for the documented
// differences), and that an accepted document written back through Writer
// (as message's element copy does) reads back as the same token stream.
func FuzzReader(f *testing.F) {
	for _, tc := range wellFormedTests {
		f.Add([]byte(tc.doc))
	}
	for _, c := range hostileCases() {
		if c.unit == nil {
			f.Add([]byte(c.doc))
		}
	}
	small := &Options{MaxDepth: 6, MaxAttributes: 6, MaxNamespaces: 4, MaxTokenBytes: 48, MaxBytes: 400, StreamBufferSize: 3}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, opts := range []*Options{{StreamBufferSize: 7, ReportComments: true}, small} {
			buffered := dumpBuffered(doc, opts)
			streamed := dumpStreamed(iotest.OneByteReader(bytes.NewReader(doc)), opts)
			diffLines(t, "streamed vs buffered", streamed, buffered)
			last := lastLine(buffered)
			if last != "EOF" && last != "ERR InvalidFormat" && !strings.HasPrefix(last, "ERR QuotaExceeded ") {
				t.Fatalf("unexpected outcome %s", last)
			}
		}
		if _, err := ourEvents(doc, false); err != nil {
			return
		}
		checkEndPosition(t, doc)
		checkRoundTrip(t, doc)
		want, err := stdEvents(doc, false)
		if err != nil {
			if hasNonASCII(doc) {
				return // encoding/xml's older name tables refuse some non-ASCII names
			}
			t.Fatalf("accepted, but encoding/xml refuses it: %v", err)
		}
		got, _ := ourEvents(doc, false)
		got, want = elementLines(got), elementLines(want)
		for i, w := range want {
			// Namespace URIs are attribute values, normalized here but not
			// by encoding/xml (which has already turned CR LF into LF).
			want[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(w)
		}
		if slices.ContainsFunc(got, func(e string) bool { return strings.Contains(e+" ", "}xmlns ") }) {
			return // encoding/xml keeps an element named xmlns out of the default namespace
		}
		diffLines(t, "names vs encoding/xml", got, want)
	})
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// elementLines keeps the start and end lines of an event list: names only.
func elementLines(events []string) []string {
	var out []string
	for _, e := range events {
		if e[0] == 'S' || e[0] == 'E' {
			out = append(out, e)
		}
	}
	return out
}

// checkEndPosition checks, for a document the reader accepts, that at EOF
// both modes report the whole input consumed (Offset) and the line after
// its last line end (Line: LF, CR LF and a lone CR each end a line).
func checkEndPosition(t *testing.T, doc []byte) {
	t.Helper()
	lines := bytes.Count(doc, []byte("\n")) + bytes.Count(doc, []byte("\r")) - bytes.Count(doc, []byte("\r\n")) + 1
	for _, r := range []*Reader{NewReader(doc, nil), NewStreamReader(iotest.OneByteReader(bytes.NewReader(doc)), &Options{StreamBufferSize: 5})} {
		if _, err := walk(r); err != nil {
			t.Fatalf("second read of an accepted document failed: %v", err)
		}
		if r.Offset() != int64(len(doc)) || r.Line() != lines {
			t.Fatalf("at EOF (streamed %v): Offset() = %d, Line() = %d; want %d, %d", r.src != nil, r.Offset(), r.Line(), len(doc), lines)
		}
	}
}

// roundTripOptions reads a document written back by Writer. The writer may
// add declarations (xmlns="" to leave a default namespace) and escapes what
// the input had literally, so the copy may need more of the width and size
// quotas than the original; depth does not change.
var roundTripOptions = &Options{MaxAttributes: 1 << 20, MaxNamespaces: 1 << 20, MaxTokenBytes: 1 << 30, MaxBytes: 1 << 40}

// checkRoundTrip is the reader/writer oracle: doc, which the reader accepts
// with the default options, is copied into a Writer with CopyElement; the
// writer must accept it,
// and reading its output must give the same elements (local name and
// namespace), attributes (local name, namespace and value) and character
// data (text and CDATA concatenated between tags).
func checkRoundTrip(t *testing.T, doc []byte) {
	t.Helper()
	want, err := readerEvents(NewReader(doc, nil), true)
	if err != nil {
		t.Fatalf("second read of an accepted document failed: %v", err)
	}
	out, err := replay(NewReader(doc, nil), NewBufferWriter(nil))
	if err != nil {
		t.Fatalf("the writer refuses the token stream of an accepted document: %v\ninput: %q", err, doc)
	}
	got, err := readerEvents(NewReader(out, roundTripOptions), true)
	if err != nil {
		t.Fatalf("the reader refuses the writer's copy: %v\ninput: %q\ncopy:  %q", err, doc, out)
	}
	if !slices.Equal(got, want) {
		diffLines(t, fmt.Sprintf("round trip through Writer\ninput: %q\ncopy:  %q\n", doc, out), got, want)
	}
}

// replay copies the document's root element with CopyElement, the
// production copy that message and serialize use, and returns w's output.
func replay(r *Reader, w *Writer) ([]byte, error) {
	for {
		k, err := r.Next()
		if err != nil {
			return nil, err
		}
		switch k {
		case StartElement:
			if err := CopyElement(w, r, nil); err != nil {
				return nil, err
			}
		case EOF:
			return w.Bytes(), nil
		}
	}
}

// TestReaderWriterRoundTrip runs the fuzz oracle on the well-formed table,
// the order document and start tags that exercise the writer's prefix
// choices.
func TestReaderWriterRoundTrip(t *testing.T) {
	docs := []string{
		string(orderDocument(10)),
		`<r xmlns:p="u"><p:a xmlns="u" xmlns:p="w"/></r>`,
		`<r xmlns:p="u"><a xmlns="u" xmlns:p="w"><p:b/></a></r>`,
		`<r xmlns:p="u"><a xmlns:p="w" xmlns="u" x="1"/></r>`,
		`<r xmlns:p="u"><a xmlns:p="w"/></r>`,
		`<r xmlns="u"><a xmlns=""><b xmlns="u"/></a></r>`,
		`<r xmlns:p="u" xmlns="u"><a p:x="1" x="2"/></r>`,
		`<p:r xmlns:p="u"><a xmlns:p="v" p:x="1"/></p:r>`,
		`<r xmlns:p="u"><a xmlns:q="u" xmlns:p="v" p:x="1" q:x="2"/></r>`,
		`<r xmlns:p1="u"><a xmlns:p2="v" xmlns:p1="w" p1:x="1" p2:y="2"/></r>`,
		`<r xml:lang="en" xmlns:xml="http://www.w3.org/XML/1998/namespace"><xml:a/></r>`,
		`<r><![CDATA[a]]]]><![CDATA[>b]]>&lt;<![CDATA[]]></r>`,
		"<r a='&#9;&#10;&#13;\t\n\r\n' b=\"&quot;'\">&#13;\r\n\r]]&gt;</r>",
		`<xmlns xmlns="u"/>`,
	}
	for _, tc := range wellFormedTests {
		docs = append(docs, tc.doc)
	}
	for _, doc := range docs {
		if _, err := ourEvents([]byte(doc), false); err != nil {
			t.Errorf("%.60q: the reader refuses it: %v", doc, err)
			continue
		}
		checkRoundTrip(t, []byte(doc))
	}
}
