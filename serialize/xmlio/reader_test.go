package xmlio

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/wsgo/wsgo/errors"
)

// TestReaderWellFormed checks the token stream of well-formed documents in
// both modes.
func TestReaderWellFormed(t *testing.T) {
	for _, tc := range wellFormedTests {
		t.Run(tc.name, func(t *testing.T) {
			diffLines(t, "buffered", dumpBuffered([]byte(tc.doc), tc.opts), tc.want)
			diffLines(t, "streamed", dumpStreamed(iotest.OneByteReader(strings.NewReader(tc.doc)), tc.opts), tc.want)
		})
	}
}

// wellFormedTests are documents the reader accepts, with their token
// streams as dump renders them.
var wellFormedTests = []struct {
	name string
	doc  string
	opts *Options
	want []string
}{
	{
		name: "empty element",
		doc:  `<a/>`,
		want: []string{"S 1 {}a", "E 1 {}a", "EOF"},
	},
	{
		name: "nested with text",
		doc:  `<a><b>hi</b><c></c></a>`,
		want: []string{"S 1 {}a", "S 2 {}b", `T 3 "hi"`, "E 2 {}b", "S 2 {}c", "E 2 {}c", "E 1 {}a", "EOF"},
	},
	{
		name: "whitespace outside root skipped, inside reported",
		doc:  " \n<a>\n\t<b/>\n</a>\n\n",
		want: []string{"S 1 {}a", `T 2 "\n\t" ws`, "S 2 {}b", "E 2 {}b", `T 2 "\n" ws`, "E 1 {}a", "EOF"},
	},
	{
		name: "names with dots dashes digits underscores",
		doc:  `<_a.b-c9 x-y.z_1="v"/>`,
		want: []string{`S 1 {}_a.b-c9 @{}x-y.z_1="v"`, "E 1 {}_a.b-c9", "EOF"},
	},
	{
		name: "non-ASCII names",
		doc:  `<été ñ="ü"><日本語>x</日本語><a·b/></été>`,
		want: []string{`S 1 {}été @{}ñ="ü"`, "S 2 {}日本語", `T 3 "x"`, "E 2 {}日本語", "S 2 {}a·b", "E 2 {}a·b", "E 1 {}été", "EOF"},
	},
	{
		name: "default namespace and prefixes",
		doc:  `<s:E xmlns:s="urn:s" xmlns="urn:d"><B><s:C/></B></s:E>`,
		want: []string{
			`S 1 {urn:s}E p=s xmlns:s="urn:s" xmlns:="urn:d"`,
			"S 2 {urn:d}B", "S 3 {urn:s}C p=s", "E 3 {urn:s}C", "E 2 {urn:d}B", "E 1 {urn:s}E", "EOF",
		},
	},
	{
		name: "default namespace undeclared",
		doc:  `<a xmlns="urn:d"><b xmlns=""><c/></b><d/></a>`,
		want: []string{
			`S 1 {urn:d}a xmlns:="urn:d"`, `S 2 {}b xmlns:=""`, "S 3 {}c", "E 3 {}c", "E 2 {}b",
			"S 2 {urn:d}d", "E 2 {urn:d}d", "E 1 {urn:d}a", "EOF",
		},
	},
	{
		name: "prefix rebound in inner scope and restored",
		doc:  `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"/><p:c/></p:a>`,
		want: []string{
			`S 1 {urn:1}a p=p xmlns:p="urn:1"`, `S 2 {urn:2}b p=p xmlns:p="urn:2"`, "E 2 {urn:2}b",
			"S 2 {urn:1}c p=p", "E 2 {urn:1}c", "E 1 {urn:1}a", "EOF",
		},
	},
	{
		name: "unprefixed attributes have no namespace",
		doc:  `<a xmlns="urn:d" x="1" xmlns:p="urn:p" p:x="2" xml:lang="en"/>`,
		want: []string{
			`S 1 {urn:d}a xmlns:="urn:d" xmlns:p="urn:p" @{}x="1" @{urn:p}x(p=p)="2" @{http://www.w3.org/XML/1998/namespace}lang(p=xml)="en"`,
			"E 1 {urn:d}a", "EOF",
		},
	},
	{
		name: "declaration of the xml prefix to its own namespace",
		doc:  `<a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:space="preserve"/>`,
		want: []string{
			`S 1 {}a xmlns:xml="http://www.w3.org/XML/1998/namespace" @{http://www.w3.org/XML/1998/namespace}space(p=xml)="preserve"`,
			"E 1 {}a", "EOF",
		},
	},
	{
		name: "attribute quoting and whitespace around =",
		doc:  "<a x = 'it\"s' y\t=\n\"it's\" />",
		want: []string{`S 1 {}a @{}x="it\"s" @{}y="it's"`, "E 1 {}a", "EOF"},
	},
	{
		name: "attribute value normalization",
		doc:  "<a v=\"x\ty\nz\r\nw\rq&#9;&#10;&#13;\"/>",
		want: []string{`S 1 {}a @{}v="x y z w q\t\n\r"`, "E 1 {}a", "EOF"},
	},
	{
		name: "references in text and attributes",
		doc:  `<a v="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;">&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1f600;&#xe9;</a>`,
		want: []string{`S 1 {}a @{}v="<>&'\"AB😀"`, `T 2 "<>&'\"AB😀é"`, "E 1 {}a", "EOF"},
	},
	{
		name: "CR LF and lone CR in text become LF",
		doc:  "<a>x\r\ny\rz\r\r\nw</a>",
		want: []string{"S 1 {}a", `T 2 "x\ny\nz\n\nw"`, "E 1 {}a", "EOF"},
	},
	{
		name: "character reference to CR is kept",
		doc:  "<a>x&#13;&#xD;\n</a>",
		want: []string{"S 1 {}a", `T 2 "x\r\r\n"`, "E 1 {}a", "EOF"},
	},
	{
		name: "CDATA",
		doc:  "<a>x<![CDATA[<b>&amp;]] ]>\r\n]]>y<![CDATA[]]></a>",
		want: []string{"S 1 {}a", `T 2 "x"`, `T 2 "<b>&amp;]] ]>\n" cdata`, `T 2 "y"`, `T 2 "" cdata ws`, "E 1 {}a", "EOF"},
	},
	{
		name: "comments skipped",
		doc:  "<!-- before --><a><!-- in -->x<!---->y</a><!-- after -->",
		want: []string{"S 1 {}a", `T 2 "x"`, `T 2 "y"`, "E 1 {}a", "EOF"},
	},
	{
		name: "comments reported",
		doc:  "<!-- before --><a><!-- in\r\n- -->x</a><!-- after -->",
		opts: &Options{ReportComments: true},
		want: []string{`C 0 " before "`, "S 1 {}a", `C 2 " in\n- "`, `T 2 "x"`, "E 1 {}a", `C 0 " after "`, "EOF"},
	},
	{
		name: "declaration, BOM",
		doc:  "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a/>",
		want: []string{"S 1 {}a", "E 1 {}a", "EOF"},
	},
	{
		name: "declaration with single quotes and US-ASCII",
		doc:  "<?xml version='1.0' encoding='us-ascii' ?><a>&#xe9;</a>",
		want: []string{"S 1 {}a", `T 2 "é"`, "E 1 {}a", "EOF"},
	},
	{
		name: "declaration version only",
		doc:  "<?xml version=\"1.0\"?><a/>",
		want: []string{"S 1 {}a", "E 1 {}a", "EOF"},
	},
	{
		name: "end tag with whitespace; gt in text and attribute",
		doc:  "<a x='>'>1 > 0</a \n>",
		want: []string{`S 1 {}a @{}x=">"`, `T 2 "1 > 0"`, "E 1 {}a", "EOF"},
	},
	{
		name: "supplementary characters and C1 controls allowed",
		doc:  "<a>\U0001F600\u0085\u00A0\uFFFD</a>",
		want: []string{"S 1 {}a", "T 2 \"\U0001F600\\u0085\\u00a0\uFFFD\"", "E 1 {}a", "EOF"},
	},
	{
		name: "many attributes (sorted duplicate check)",
		doc:  `<a ` + manyAttrs(40) + `/>`,
		want: []string{"S 1 {}a" + manyAttrsDump(40), "E 1 {}a", "EOF"},
	},
}

func manyAttrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` a%d="%d"`, i, i)
	}
	return b.String()
}

func manyAttrsDump(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` @{}a%d="%d"`, i, i)
	}
	return b.String()
}

// TestReaderAccessors checks the lookup helpers on one document.
func TestReaderAccessors(t *testing.T) {
	doc := `<?xml version="1.0"?>
<s:Envelope xmlns:s="urn:s" xmlns="urn:d" xmlns:x="urn:x">
  <s:Body xmlns:x="urn:x2" x:a="1" b="2">
    <v>x:T</v>
  </s:Body>
</s:Envelope>`
	r := NewReader([]byte(doc), nil)
	mustNext := func(want Kind) {
		t.Helper()
		k, err := r.Next()
		if err != nil || k != want {
			t.Fatalf("Next = %v, %v; want %v", k, err, want)
		}
	}
	if r.Kind() != None || r.Depth() != 0 {
		t.Fatalf("before Next: Kind %v Depth %d", r.Kind(), r.Depth())
	}
	mustNext(StartElement)
	if !r.Is("Envelope", "urn:s") || r.Is("Envelope", "urn:d") || string(r.Prefix()) != "s" || r.Line() != 2 {
		t.Fatalf("Envelope: Is/Prefix/Line wrong: %s %s line %d", r.Prefix(), r.Local(), r.Line())
	}
	mustNext(Text)
	mustNext(StartElement)
	if v, ok := r.AttrValue("a", "urn:x2"); !ok || string(v) != "1" {
		t.Errorf(`AttrValue(a, urn:x2) = %q, %v`, v, ok)
	}
	if _, ok := r.AttrValue("a", "urn:x"); ok {
		t.Error(`AttrValue(a, urn:x) found an attribute`)
	}
	if v, ok := r.AttrValue("b", ""); !ok || string(v) != "2" {
		t.Errorf(`AttrValue(b, "") = %q, %v`, v, ok)
	}
	scope := r.InScopeNamespaces(nil)
	var got []string
	for _, d := range scope {
		got = append(got, string(d.Prefix)+"="+string(d.URI))
	}
	if strings.Join(got, " ") != "s=urn:s =urn:d x=urn:x2" {
		t.Errorf("InScopeNamespaces = %q", got)
	}
	mustNext(Text)
	mustNext(StartElement)
	text, err := r.ReadElementText(nil)
	if err != nil || string(text) != "x:T" || r.Kind() != EndElement || !r.Is("v", "urn:d") {
		t.Fatalf("ReadElementText = %q, %v; on %v %s", text, err, r.Kind(), r.Local())
	}
	if ns, ok := r.LookupNamespace([]byte("x")); !ok || string(ns) != "urn:x2" {
		t.Errorf("LookupNamespace(x) = %q, %v", ns, ok)
	}
	if ns, ok := r.LookupNamespace(nil); !ok || string(ns) != "urn:d" {
		t.Errorf("LookupNamespace('') = %q, %v", ns, ok)
	}
	if ns, ok := r.LookupNamespace([]byte("xml")); !ok || string(ns) != xmlNamespace {
		t.Errorf("LookupNamespace(xml) = %q, %v", ns, ok)
	}
	if _, ok := r.LookupNamespace([]byte("nope")); ok {
		t.Error("LookupNamespace(nope) found a binding")
	}
	if r.Depth() != 3 {
		t.Errorf("Depth on </v> = %d, want 3", r.Depth())
	}
	mustNext(Text)
	mustNext(EndElement)
	if !r.Is("Body", "urn:s") || r.Depth() != 2 {
		t.Errorf("on </s:Body>: %s depth %d", r.Local(), r.Depth())
	}
	if ns, _ := r.LookupNamespace([]byte("x")); string(ns) != "urn:x2" {
		t.Errorf("on </s:Body>, its own declaration should still be in scope: x=%q", ns)
	}
	mustNext(Text)
	if ns, _ := r.LookupNamespace([]byte("x")); string(ns) != "urn:x" {
		t.Errorf("after </s:Body>, x=%q, want urn:x", ns)
	}
	mustNext(EndElement)
	mustNext(EOF)
	if r.Depth() != 0 || r.Offset() != int64(len(doc)) {
		t.Errorf("at EOF: Depth %d Offset %d (len %d)", r.Depth(), r.Offset(), len(doc))
	}
	mustNext(EOF)
}

// TestReaderNoDefaultNamespace checks LookupNamespace("") without and after
// undeclaring a default namespace.
func TestReaderNoDefaultNamespace(t *testing.T) {
	r := NewReader([]byte(`<a xmlns="urn:d"><b xmlns=""/></a>`), nil)
	r.Next()
	if ns, ok := r.LookupNamespace(nil); !ok || string(ns) != "urn:d" {
		t.Errorf("on <a>: %q %v", ns, ok)
	}
	r.Next()
	if ns, ok := r.LookupNamespace(nil); ok || len(ns) != 0 {
		t.Errorf(`on <b xmlns="">: %q %v, want unbound`, ns, ok)
	}
	if got := r.InScopeNamespaces(nil); len(got) != 0 {
		t.Errorf(`InScopeNamespaces on <b xmlns="">: %d bindings, want 0`, len(got))
	}
}

// TestReaderSkip checks Skip over nested content and from the wrong node.
func TestReaderSkip(t *testing.T) {
	r := NewReader([]byte(`<a><b x="1"><c>t<d/></c><!--x--></b><e/></a>`), nil)
	r.Next()
	if err := r.Skip(); err != nil || r.Kind() != EndElement || string(r.Local()) != "a" {
		t.Fatalf("Skip on <a>: %v, on %v %s", err, r.Kind(), r.Local())
	}
	r.Reset([]byte(`<a><b x="1"><c>t<d/></c></b><e/></a>`))
	r.Next()
	r.Next()
	if err := r.Skip(); err != nil || r.Kind() != EndElement || string(r.Local()) != "b" {
		t.Fatalf("Skip on <b>: %v, on %v %s", err, r.Kind(), r.Local())
	}
	if k, _ := r.Next(); k != StartElement || string(r.Local()) != "e" {
		t.Fatalf("after Skip: %v %s", k, r.Local())
	}
	r.Next()
	if err := r.Skip(); !errors.Is(err, errors.InvalidOperation) {
		t.Fatalf("Skip on an EndElement: %v, want InvalidOperation", err)
	}
	if k, err := r.Next(); k != EndElement || err != nil {
		t.Fatalf("InvalidOperation should leave the reader usable: %v %v", k, err)
	}
	r.Reset([]byte(`<a><b>`))
	r.Next()
	if err := r.Skip(); !errors.Is(err, errors.InvalidFormat) {
		t.Fatalf("Skip over a truncated document: %v", err)
	}
}

// TestReaderReadElementText covers text, CDATA and comment mixing, a child
// element, and the text quota.
func TestReaderReadElementText(t *testing.T) {
	r := NewReader([]byte(`<a>x&amp;<!--c-->y<![CDATA[<z>]]></a>`), nil)
	r.Next()
	got, err := r.ReadElementText([]byte("pre:"))
	if err != nil || string(got) != "pre:x&y<z>" {
		t.Fatalf("ReadElementText = %q, %v", got, err)
	}
	r.Reset([]byte(`<a><b/></a>`))
	r.Next()
	if _, err := r.ReadElementText(nil); !errors.Is(err, errors.InvalidFormat) {
		t.Fatalf("child element: %v, want InvalidFormat", err)
	}
	if _, err2 := r.Next(); err2 == nil {
		t.Fatal("the reader should stay failed after a child element in ReadElementText")
	}
	r.Reset([]byte(`<a/>`))
	r.Next()
	if got, err := r.ReadElementText(nil); err != nil || len(got) != 0 || r.Kind() != EndElement {
		t.Fatalf("empty element: %q %v %v", got, err, r.Kind())
	}
	if _, err := r.ReadElementText(nil); !errors.Is(err, errors.InvalidOperation) {
		t.Fatalf("on an EndElement: %v", err)
	}
	small := NewReader([]byte(`<a>0123456789<!---->0123456789</a>`), &Options{MaxTokenBytes: 15})
	small.Next()
	_, err = small.ReadElementText(nil)
	if e := asError(t, err); e.Code != errors.QuotaExceeded || e.Quota != "MaxTokenBytes" {
		t.Fatalf("text over MaxTokenBytes: %v", err)
	}
}

// TestReaderErrorsAreSticky checks that a failed reader keeps failing with
// the same error, and that the message says where.
func TestReaderErrorsAreSticky(t *testing.T) {
	r := NewReader([]byte("<a>\n  <b>\n  </c>\n</a>"), nil)
	var first error
	for range 5 {
		_, err := r.Next()
		if err != nil {
			first = err
			break
		}
	}
	if first == nil {
		t.Fatal("no error")
	}
	for range 3 {
		if _, err := r.Next(); err != first {
			t.Fatalf("later Next returned %v, want the same error", err)
		}
	}
	msg := first.Error()
	for _, want := range []string{"line 3", "offset 12", "</c>", "<b>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
	if r.Kind() != None {
		t.Errorf("Kind after an error = %v, want None", r.Kind())
	}
}

// TestReaderTruncatedMessage checks the message of a document cut short.
func TestReaderTruncatedMessage(t *testing.T) {
	tests := []struct {
		doc  string
		open int
	}{
		{"<a><b><c>text", 3},
		{"<a><b><c x='1", 2},
		{"<a><b><c", 2},
		{"<a><b></b", 2},
		{"<a><!-- x", 1},
	}
	for _, tc := range tests {
		_, err := walk(NewReader([]byte(tc.doc), nil))
		if e := asError(t, err); e.Code != errors.InvalidFormat {
			t.Errorf("%q: %v", tc.doc, err)
		}
		want := "(" + openCount(tc.open) + ")"
		if msg := err.Error(); !strings.Contains(msg, "unexpected end of document") || !strings.Contains(msg, want) {
			t.Errorf("%q: message %q does not say %q", tc.doc, msg, want)
		}
	}
}

// TestReaderReuse checks that Reset and ResetStream start over and that a
// warmed-up reader allocates nothing.
func TestReaderReuse(t *testing.T) {
	doc := orderDocument(10)
	want := dumpBuffered(doc, nil)
	r := NewReader([]byte("<broken"), nil)
	walk(r)
	r.Reset(doc)
	diffLines(t, "Reset after error", dump(r), want)
	r.ResetStream(bytes.NewReader(doc))
	diffLines(t, "ResetStream on a buffered reader", dump(r), want)
	r.Reset(doc)
	diffLines(t, "Reset on a streamed reader", dump(r), want)

	src := bytes.NewReader(doc)
	allocs := testing.AllocsPerRun(20, func() {
		r.Reset(doc)
		if _, err := walk(r); err != nil {
			t.Fatal(err)
		}
		src.Reset(doc)
		r.ResetStream(src)
		if _, err := walk(r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("a warmed-up reader allocated %.1f times per document", allocs)
	}
}

// TestReaderStreamErrors checks how errors of the source are reported.
func TestReaderStreamErrors(t *testing.T) {
	doc := "<a><b>text</b></a>"
	disconnect := fmt.Errorf("connection reset by peer")
	timeout := errors.Errorf(errors.OperationTimedOut, "receive timed out")
	tests := []struct {
		name string
		err  error
		code errors.Code
		same bool
	}{
		{"unexpected EOF", io.ErrUnexpectedEOF, errors.InvalidFormat, false},
		{"other error", disconnect, errors.EndpointDisconnected, false},
		{"wsgo error propagated", timeout, errors.OperationTimedOut, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := io.MultiReader(strings.NewReader(doc[:8]), iotest.ErrReader(tc.err))
			r := NewStreamReader(src, &Options{StreamBufferSize: 4})
			_, err := walk(r)
			e := asError(t, err)
			if e.Code != tc.code {
				t.Fatalf("code %v, want %v (%v)", e.Code, tc.code, err)
			}
			if tc.same && err != error(timeout) {
				t.Fatalf("the *errors.Error was not propagated unchanged: %v", err)
			}
			if !tc.same && !errors.Is(err, tc.err) {
				t.Fatalf("the cause is not wrapped: %v", err)
			}
		})
	}
	t.Run("no progress", func(t *testing.T) {
		_, err := walk(NewStreamReader(zeroReader{}, nil))
		if e := asError(t, err); e.Code != errors.EndpointDisconnected || !errors.Is(err, io.ErrNoProgress) {
			t.Fatalf("%v", err)
		}
	})
}

// zeroReader returns no data and no error, forever.
type zeroReader struct{}

func (zeroReader) Read([]byte) (int, error) { return 0, nil }

// TestReaderLines checks line numbers, including across window compaction
// and with CR line ends.
func TestReaderLines(t *testing.T) {
	doc := "<a>\n<b/>\r\n<c/>\r<d/>\n\n<e>" + strings.Repeat("x", 100) + "\n</e>\n<f/></a>"
	wantLines := map[string]int{"a": 1, "b": 2, "c": 3, "d": 4, "e": 6, "f": 8}
	for _, mode := range []string{"buffered", "streamed"} {
		r := NewReader([]byte(doc), nil)
		if mode == "streamed" {
			r = NewStreamReader(iotest.HalfReader(strings.NewReader(doc)), &Options{StreamBufferSize: 8})
		}
		for {
			k, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if k == EOF {
				break
			}
			if k == StartElement {
				if got := r.Line(); got != wantLines[string(r.Local())] {
					t.Errorf("%s: <%s> on line %d, want %d", mode, r.Local(), got, wantLines[string(r.Local())])
				}
			}
		}
	}
}

// TestReaderMaxBytes checks the whole-document quota in both modes.
func TestReaderMaxBytes(t *testing.T) {
	doc := []byte("<a>" + strings.Repeat("<b>x</b>", 20) + "</a>")
	opts := &Options{MaxBytes: 50}
	for _, d := range [][]string{dumpBuffered(doc, opts), dumpStreamed(bytes.NewReader(doc), opts)} {
		if got := lastLine(d); got != "ERR QuotaExceeded MaxBytes" {
			t.Errorf("got %s", got)
		}
	}
	exact := &Options{MaxBytes: int64(len(doc))}
	if got := lastLine(dumpStreamed(bytes.NewReader(doc), exact)); got != "EOF" {
		t.Errorf("document of exactly MaxBytes: %s", got)
	}
}

func asError(t *testing.T, err error) *errors.Error {
	t.Helper()
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *errors.Error", err, err)
	}
	return e
}

// TestReaderQuotaBoundaries checks each quota at its limit and one past it,
// in both modes.
func TestReaderQuotaBoundaries(t *testing.T) {
	tests := []struct {
		doc   string
		opts  *Options
		quota string // empty: accepted
	}{
		{`<a><b/></a>`, &Options{MaxDepth: 2}, ""},
		{`<a><b><c/></b></a>`, &Options{MaxDepth: 2}, "MaxDepth"},
		{`<a x="1" xmlns:p="u"/>`, &Options{MaxAttributes: 2}, ""},
		{`<a x="1" y="2" xmlns:p="u"/>`, &Options{MaxAttributes: 2}, "MaxAttributes"},
		{`<a xmlns="u" xmlns:p="u" xmlns:q="u"/>`, &Options{MaxAttributes: 2}, "MaxAttributes"},
		{`<a xmlns:p="1" xmlns:q="2"/>`, &Options{MaxNamespaces: 2}, ""},
		{`<a xmlns:p="1" xmlns:q="2" xmlns="3"/>`, &Options{MaxNamespaces: 2}, "MaxNamespaces"},
		{`<a><b xmlns:p="1" xmlns:q="2"/><c xmlns:p="1" xmlns:q="2"/></a>`, &Options{MaxNamespaces: 2}, ""},
		{`<a xmlns:p="1"><b xmlns:q="2"><c xmlns:p="3"/></b></a>`, &Options{MaxNamespaces: 2}, "MaxNamespaces"},
		{`<a>0123456789</a>`, &Options{MaxTokenBytes: 10}, ""},
		{`<a>0123456789X</a>`, &Options{MaxTokenBytes: 10}, "MaxTokenBytes"},
		{`<a x='12'>x</a>`, &Options{MaxTokenBytes: 10}, ""},
		{`<a x='123'>x</a>`, &Options{MaxTokenBytes: 10}, "MaxTokenBytes"},
		{`<a><!--456--></a>`, &Options{MaxTokenBytes: 10}, ""},
		{`<a><!--4567--></a>`, &Options{MaxTokenBytes: 10}, "MaxTokenBytes"},
		{`<a>` + strings.Repeat(" ", 20) + `</a>`, &Options{MaxBytes: 27}, ""},
		{`<a>` + strings.Repeat(" ", 20) + `</a> `, &Options{MaxBytes: 27}, "MaxBytes"},
	}
	for _, tc := range tests {
		want := "EOF"
		if tc.quota != "" {
			want = "ERR QuotaExceeded " + tc.quota
		}
		for _, window := range []int{1, 4096} {
			tc.opts.StreamBufferSize = window
			if got := lastLine(dumpBuffered([]byte(tc.doc), tc.opts)); got != want {
				t.Errorf("buffered %q %+v: %s, want %s", tc.doc, *tc.opts, got, want)
			}
			if got := lastLine(dumpStreamed(iotest.OneByteReader(strings.NewReader(tc.doc)), tc.opts)); got != want {
				t.Errorf("streamed %q %+v: %s, want %s", tc.doc, *tc.opts, got, want)
			}
		}
	}
}
