package serialize_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type LeafMix struct {
	XMLName xml.Name   `xml:"urn:l Leaf"`
	Plain   string     `xml:"plain"`
	Escaped string     `xml:"escaped"`
	CR      string     `xml:"cr"`
	Unicode string     `xml:"unicode"`
	Long    string     `xml:"long"`
	Other   string     `xml:"urn:other other"`
	Nums    []int      `xml:"num"`
	Text    TextM      `xml:"text"`
	Ptr     *int       `xml:"ptr" wsgo:"nillable"`
	After   string     `xml:"after"`
	Blob    []byte     `xml:"blob"`
	Unbound string     `xml:"urn:unbound u"`
	Deep    *LeafChild `xml:"child"`
}

type LeafChild struct {
	V string `xml:"v"`
}

func TestLeafPathMatchesWriter(t *testing.T) {
	in := LeafMix{
		Plain: "p", Escaped: `a<b>&"c"`, CR: "line\r\nnext", Unicode: "Grüße ✓", Long: strings.Repeat("x&", 5000),
		Other: "o", Nums: []int{1, -2, 3}, Text: TextM{"t"}, After: "z", Blob: make([]byte, 10000), Unbound: "u",
		Deep: &LeafChild{V: "d"},
	}
	// Inside an element that binds the types' namespaces to prefixes, the
	// leaves use those prefixes; elsewhere they declare what they need.
	w := xmlio.NewBufferWriter(nil)
	w.StartElement("x", "Wrap", "urn:wrap")
	w.DeclareNamespace("l", "urn:l")
	w.DeclareNamespace("o", "urn:other")
	if err := serialize.MarshalElement(w, xml.Name{}, &in, nil); err != nil {
		t.Fatal(err)
	}
	w.EndElement()
	doc := string(w.Bytes())
	for _, want := range []string{"<l:plain>p</l:plain>", "<o:other>o</o:other>", "<l:num>-2</l:num>", `<l:ptr xmlns:xsi=`,
		"<l:escaped>a&lt;b&gt;&amp;\"c\"</l:escaped>", "line&#xD;\nnext", `<u xmlns="urn:unbound">u</u>`, "<l:child><l:v>d</l:v></l:child>"} {
		if !strings.Contains(doc, want) {
			t.Errorf("missing %s in %.600s", want, doc)
		}
	}
	r := xmlio.NewReader([]byte(doc), nil)
	r.Next()
	r.Next()
	var out LeafMix
	if err := serialize.UnmarshalElement(r, xml.Name{}, &out, nil); err != nil {
		t.Fatal(err)
	}
	in.XMLName = xml.Name{Space: "urn:l", Local: "Leaf"}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("(-in +out):\n%.2000s", diff)
	}
	// The same value on its own.
	again, _ := roundTrip(t, in)
	if diff := cmp.Diff(in, again); diff != "" {
		t.Errorf("(-in +out):\n%.2000s", diff)
	}
}

func TestLeafInvalidCharacter(t *testing.T) {
	_, err := serialize.Marshal(&LeafMix{After: "bad\x01"})
	if errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("err = %v", err)
	}
	_, err = serialize.Marshal(&LeafMix{Unicode: "bad \xff utf-8"})
	if errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("err = %v", err)
	}
}

type FlatRec struct {
	ID    string   `xml:"id,attr"`
	N     *int     `xml:"n,attr"`
	Name  string   `xml:"urn:l name"`
	Other string   `xml:"urn:other other,omitempty"`
	Tags  []string `xml:"tag"`
	Opt   *int     `xml:"opt" wsgo:"nillable"`
}

type FlatList struct {
	XMLName xml.Name  `xml:"urn:l List"`
	Recs    []FlatRec `xml:"rec"`
}

func TestFlatStructs(t *testing.T) {
	seven := 7
	in := FlatList{Recs: []FlatRec{
		{ID: `a"b<c>&` + "\t\n\r", N: &seven, Name: "n1", Tags: []string{"x", "y"}, Opt: &seven},
		{ID: "ünïcode", Name: "n2", Other: "o"}, // non-ASCII attribute: general path
		{ID: "3", Name: "n3"}, // nil nillable leaf: general path
	}}
	for _, prefixed := range []bool{false, true} {
		w := xmlio.NewBufferWriter(nil)
		if prefixed {
			w.StartElement("l", "Wrap", "urn:l")
			w.DeclareNamespace("o", "urn:other")
		}
		if err := serialize.MarshalElement(w, xml.Name{}, &in, nil); err != nil {
			t.Fatal(err)
		}
		if prefixed {
			w.EndElement()
		}
		doc := w.Bytes()
		r := xmlio.NewReader(doc, nil)
		if prefixed {
			r.Next()
			r.Next()
			if !strings.Contains(string(doc), `<l:rec id="3"><l:name>n3</l:name><l:opt xmlns:xsi=`) {
				t.Errorf("prefixed output: %s", doc)
			}
		}
		var out FlatList
		if err := serialize.UnmarshalElement(r, xml.Name{}, &out, nil); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		in.XMLName = xml.Name{Space: "urn:l", Local: "List"}
		if diff := cmp.Diff(in, out); diff != "" {
			t.Errorf("prefixed=%v (-in +out):\n%s\n%s", prefixed, diff, doc)
		}
	}
}
