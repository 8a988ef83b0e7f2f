package xmlio_test

import (
	"encoding/xml"
	"testing"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

const wrtXMLNS = "http://www.w3.org/XML/1998/namespace"

// wrtGolden writes with build into a buffer writer and compares the output
// with want exactly; it also checks that the output is well-formed.
func wrtGolden(t *testing.T, want string, build func(w *xmlio.Writer)) {
	t.Helper()
	w := xmlio.NewBufferWriter(nil)
	build(w)
	if err := w.Err(); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if w.Depth() != 0 {
		t.Fatalf("Depth() = %d after the build, want 0", w.Depth())
	}
	if got := string(w.Bytes()); got != want {
		t.Errorf("output mismatch\n got: %s\nwant: %s", got, want)
	}
	wrtWellFormed(t, w.Bytes())
}

// wrtWellFormed parses doc with encoding/xml and fails on any error.
func wrtWellFormed(t *testing.T, doc []byte) {
	t.Helper()
	if err := xml.Unmarshal(doc, new(struct{})); err != nil {
		t.Errorf("output is not well-formed: %v\n%s", err, doc)
	}
}

func TestWriterNamespaceRules(t *testing.T) {
	tests := []struct {
		name  string
		want  string
		build func(w *xmlio.Writer)
	}{
		{
			name: "no namespace and no default in scope: no declaration",
			want: `<a><b/></a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "")
				w.StartElement("", "b", "")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "namespace without prefix becomes the default namespace",
			want: `<a xmlns="urn:a"/>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.EndElement()
			},
		},
		{
			name: "in-scope default namespace is reused",
			want: `<a xmlns="urn:a"><b/></a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.StartElement("", "b", "urn:a")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "in-scope prefix is reused for an unprefixed request",
			want: `<p:a xmlns:p="urn:a"><p:b/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("", "b", "urn:a")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "given prefix already bound to the namespace is not redeclared",
			want: `<p:a xmlns:p="urn:a"><p:b/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("p", "b", "urn:a")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "given prefix is honoured even when another prefix is bound to the namespace",
			want: `<p:a xmlns:p="urn:a"><q:b xmlns:q="urn:a"/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("q", "b", "urn:a")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "prefix bound to another namespace is redeclared, and the outer binding returns after the end tag",
			want: `<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c/></p:b><p:d/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:1")
				w.StartElement("p", "b", "urn:2")
				w.StartElement("", "c", "urn:2")
				w.EndElement()
				w.EndElement()
				w.StartElement("", "d", "urn:1")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "no-namespace element under a default namespace gets xmlns=\"\"",
			want: `<a xmlns="urn:a"><b xmlns=""><c/></b><d/></a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.StartElement("", "b", "")
				w.StartElement("", "c", "") // undeclaration still in scope
				w.EndElement()
				w.EndElement()
				w.StartElement("", "d", "urn:a") // default namespace back in scope
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "no-namespace element under prefixed bindings only: no undeclaration",
			want: `<p:a xmlns:p="urn:a"><b/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("", "b", "")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "default namespace redeclared after an undeclaration",
			want: `<a xmlns="urn:a"><b xmlns=""><c xmlns="urn:a"/></b></a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.StartElement("", "b", "")
				w.StartElement("", "c", "urn:a")
				w.EndElement()
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "unprefixed attribute has no namespace, even under a default namespace",
			want: `<a xmlns="urn:a" x="1"/>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.Attr("", "x", "", "1")
				w.EndElement()
			},
		},
		{
			name: "attribute in the default namespace gets a generated prefix, never the default",
			want: `<a xmlns="urn:a" xmlns:p1="urn:a" p1:x="1"/>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "urn:a")
				w.Attr("", "x", "urn:a", "1")
				w.EndElement()
			},
		},
		{
			name: "attribute uses an in-scope prefix",
			want: `<s:a xmlns:s="urn:s"><b s:x="1"/></s:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("s", "a", "urn:s")
				w.StartElement("", "b", "")
				w.Attr("", "x", "urn:s", "1")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "attribute's given prefix is declared on the element",
			want: `<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", "")
				w.Attr("xsi", "nil", "http://www.w3.org/2001/XMLSchema-instance", "true")
				w.EndElement()
			},
		},
		{
			name: "attribute's given prefix is reused from scope and redeclared when bound elsewhere",
			want: `<r xmlns:q="urn:1"><a q:x="1"/><b xmlns:q="urn:2" q:y="2"/></r>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "r", "")
				w.DeclareNamespace("q", "urn:1")
				w.StartElement("", "a", "")
				w.Attr("q", "x", "urn:1", "1")
				w.EndElement()
				w.StartElement("", "b", "")
				w.Attr("q", "y", "urn:2", "2")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "attribute's given prefix that the start tag uses for another namespace falls back to a generated one",
			want: `<p:a xmlns:p="urn:elem" xmlns:p1="urn:attr" p1:x="1"/>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:elem")
				w.Attr("p", "x", "urn:attr", "1")
				w.EndElement()
			},
		},
		{
			name: "generated prefixes are unique in scope and reused by siblings",
			want: `<r xmlns:p1="urn:taken"><a xmlns:p2="urn:x" p2:x="1" xmlns:p3="urn:y" p3:y="2"/><b xmlns:p2="urn:z" p2:z="3"/></r>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "r", "")
				w.DeclareNamespace("p1", "urn:taken")
				w.StartElement("", "a", "")
				w.Attr("", "x", "urn:x", "1")
				w.Attr("", "y", "urn:y", "2")
				w.EndElement()
				w.StartElement("", "b", "")
				w.Attr("", "z", "urn:z", "3")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "xml prefix and namespace are predefined and never declared",
			want: `<xml:a xml:lang="en" xml:space="preserve"><b xml:id="i"/></xml:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("", "a", wrtXMLNS)
				w.Attr("", "lang", wrtXMLNS, "en")
				w.Attr("xml", "space", wrtXMLNS, "preserve")
				w.DeclareNamespace("xml", wrtXMLNS)
				w.StartElement("", "b", "")
				w.Attr("xml", "id", wrtXMLNS, "i")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "DeclareNamespace declares, skips a binding in scope, and lets children use it",
			want: `<r:a xmlns:r="urn:r" xmlns:s="urn:s" xmlns="urn:d"><s:b/><c/></r:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("r", "a", "urn:r")
				w.DeclareNamespace("s", "urn:s")
				w.DeclareNamespace("s", "urn:s")
				w.DeclareNamespace("r", "urn:r")
				w.DeclareNamespace("", "urn:d")
				w.StartElement("", "b", "urn:s")
				w.EndElement()
				w.StartElement("", "c", "urn:d")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "the innermost binding of a namespace is used",
			want: `<p:a xmlns:p="urn:a"><q:b xmlns:q="urn:b" xmlns="urn:a"><c/></q:b></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("q", "b", "urn:b")
				w.DeclareNamespace("", "urn:a")
				w.StartElement("", "c", "urn:a")
				w.EndElement()
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "a shadowed prefix is not reused",
			want: `<p:a xmlns:p="urn:a"><p:b xmlns:p="urn:x"><c xmlns="urn:a"/></p:b></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:a")
				w.StartElement("p", "b", "urn:x")
				w.StartElement("", "c", "urn:a")
				w.EndElement()
				w.EndElement()
				w.EndElement()
			},
		},
		{
			// Unprefixed attributes are in no namespace whatever the
			// default is, so they do not stop a prefixed element from
			// declaring a default namespace after them.
			name: "a default namespace declared after an unprefixed attribute",
			want: `<p:a xmlns:p="urn:p" x="1" xmlns="urn:d"><b y="2"/></p:a>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "a", "urn:p")
				w.Attr("", "x", "", "1")
				w.DeclareNamespace("", "urn:d")
				w.StartElement("", "b", "urn:d")
				w.Attr("", "y", "", "2")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			// StartElement("", "a", "urn:u") picks p, bound to urn:u in
			// scope; the caller then declares the default namespace and
			// rebinds p on the same tag (a copy of <a xmlns="urn:u"
			// xmlns:p="urn:w">). The writer chose p, so it moves the
			// element to the default namespace instead of refusing.
			name: "a prefix the writer chose is given up when the tag rebinds it",
			want: `<p:r xmlns:p="urn:u"><a xmlns="urn:u" xmlns:p="urn:w"><p:b/></a></p:r>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "r", "urn:u")
				w.StartElement("", "a", "urn:u")
				w.DeclareNamespace("", "urn:u")
				w.DeclareNamespace("p", "urn:w")
				w.StartElement("p", "b", "urn:w")
				w.EndElement()
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "a prefix the writer chose is given up for the default namespace",
			want: `<p:r xmlns:p="urn:u"><a x="1" xmlns="urn:u" xmlns:p="urn:w"/></p:r>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "r", "urn:u")
				w.StartElement("", "a", "urn:u")
				w.Attr("", "x", "", "1")
				w.DeclareNamespace("p", "urn:w")
				w.DeclareNamespace("", "urn:u")
				w.EndElement()
				w.EndElement()
			},
		},
		{
			name: "a prefix the writer chose is given up for a generated one",
			want: `<p:r xmlns:p="urn:u"><p1:a xmlns="urn:v" xmlns:p1="urn:u" xmlns:p="urn:w"><b/></p1:a></p:r>`,
			build: func(w *xmlio.Writer) {
				w.StartElement("p", "r", "urn:u")
				w.StartElement("", "a", "urn:u")
				w.DeclareNamespace("", "urn:v")
				w.DeclareNamespace("p", "urn:w")
				w.StartElement("", "b", "urn:v")
				w.EndElement()
				w.EndElement()
				w.EndElement()
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { wrtGolden(t, tc.want, tc.build) })
	}
}

func TestWriterPrefixFor(t *testing.T) {
	type lookup struct {
		ns     string
		prefix string
		ok     bool
	}
	check := func(t *testing.T, w *xmlio.Writer, at string, want []lookup) {
		t.Helper()
		for _, l := range want {
			p, ok := w.PrefixFor(l.ns)
			if p != l.prefix || ok != l.ok {
				t.Errorf("%s: PrefixFor(%q) = %q, %v; want %q, %v", at, l.ns, p, ok, l.prefix, l.ok)
			}
		}
	}
	w := xmlio.NewBufferWriter(nil)
	check(t, w, "before root", []lookup{
		{"", "", true}, {"urn:a", "", false}, {wrtXMLNS, "xml", true},
	})
	w.StartElement("s", "Envelope", "urn:s")
	w.DeclareNamespace("", "urn:d")
	check(t, w, "in root", []lookup{
		{"urn:s", "s", true},
		{"urn:d", "", true}, // the default namespace: an unprefixed QName
		{"", "", false},     // no-namespace QNames cannot be written under a default
		{"urn:a", "", false},
		{wrtXMLNS, "xml", true},
	})
	w.StartElement("t", "Body", "urn:t")
	w.DeclareNamespace("s", "urn:other") // shadows s=urn:s
	check(t, w, "in child", []lookup{
		{"urn:s", "", false}, {"urn:other", "s", true}, {"urn:t", "t", true},
	})
	w.StartElement("", "x", "")
	check(t, w, "under xmlns=\"\"", []lookup{{"", "", true}, {"urn:d", "", false}})
	w.EndElement()
	w.EndElement()
	check(t, w, "after child ended", []lookup{
		{"urn:s", "s", true}, {"urn:t", "", false}, {"urn:other", "", false}, {"urn:d", "", true},
	})
	w.EndElement()
	check(t, w, "after root", []lookup{{"urn:s", "", false}, {"", "", true}})
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
}
