package serialize_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

func parseEtree(t *testing.T, s string) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromString(s); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestMarshalEtreeVerbatim(t *testing.T) {
	doc := parseEtree(t, `<env xmlns:h="urn:h" xmlns="urn:d"><h:Header a="1" h:b="2"><Inner>text &amp; more<![CDATA[<raw>]]><!-- c --></Inner></h:Header></env>`)
	hdr := doc.Root().SelectElement("h:Header")
	w := xmlio.NewBufferWriter(nil)
	if err := serialize.MarshalElement(w, xml.Name{}, hdr, nil); err != nil {
		t.Fatal(err)
	}
	got := string(w.Bytes())
	// Re-read: the names must resolve to the same namespaces as in the
	// source document, although the declarations were on an ancestor.
	var el *etree.Element
	if err := serialize.Unmarshal([]byte(got), &el); err != nil {
		t.Fatalf("%v: %s", err, got)
	}
	if el.Tag != "Header" || el.NamespaceURI() != "urn:h" {
		t.Errorf("root %s in %q: %s", el.FullTag(), el.NamespaceURI(), got)
	}
	inner := el.ChildElements()[0]
	if inner.NamespaceURI() != "urn:d" || inner.Text() != "text & more<raw>" {
		t.Errorf("inner %s in %q text %q: %s", inner.FullTag(), inner.NamespaceURI(), inner.Text(), got)
	}
	if el.SelectAttr("a") == nil || el.SelectAttrValue("h:b", "") != "2" {
		t.Errorf("attributes lost: %s", got)
	}
	if !strings.Contains(got, "<!-- c -->") || !strings.Contains(got, "<![CDATA[<raw>]]>") {
		t.Errorf("comment or CDATA lost: %s", got)
	}
}

func TestMarshalEtreeUndeclaredPrefix(t *testing.T) {
	el := etree.NewElement("p:x")
	w := xmlio.NewBufferWriter(nil)
	err := serialize.MarshalElement(w, xml.Name{}, el, nil)
	checkErr(t, err, errors.InvalidArgument, `prefix "p" is not declared`)
}

type Envelope struct {
	XMLName xml.Name         `xml:"urn:e Env"`
	Detail  *etree.Element   `xml:"urn:e Detail"`
	Any     []*etree.Element `xml:",any"`
}

func TestEtreeFields(t *testing.T) {
	src := `<e:Env xmlns:e="urn:e" xmlns:t="urn:types" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<e:Detail><t:Code xsi:type="t:CodeType">42</t:Code></e:Detail>` +
		`<t:Extra one="1"/><Plain>p</Plain></e:Env>`
	var env Envelope
	if err := serialize.Unmarshal([]byte(src), &env); err != nil {
		t.Fatal(err)
	}
	if env.Detail == nil || env.Detail.Tag != "Detail" || len(env.Any) != 2 {
		t.Fatalf("got %+v", env)
	}
	// The detail stands alone: the declarations it needs are on it.
	standalone, err := etree.NewDocumentWithRoot(env.Detail.Copy()).WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range []string{`xmlns:e="urn:e"`, `xmlns:t="urn:types"`, `xmlns:xsi=`} {
		if !strings.Contains(standalone, decl) {
			t.Errorf("detail lacks %s: %s", decl, standalone)
		}
	}
	code := env.Detail.ChildElements()[0]
	if code.NamespaceURI() != "urn:types" || code.Text() != "42" {
		t.Errorf("code %s %q", code.NamespaceURI(), code.Text())
	}
	if env.Any[0].NamespaceURI() != "urn:types" || env.Any[1].Tag != "Plain" || env.Any[1].NamespaceURI() != "" {
		t.Errorf("any: %s %s", env.Any[0].FullTag(), env.Any[1].FullTag())
	}
	out, err := serialize.Marshal(&env)
	if err != nil {
		t.Fatal(err)
	}
	var again Envelope
	if err := serialize.Unmarshal(out, &again); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if again.Detail.ChildElements()[0].NamespaceURI() != "urn:types" || len(again.Any) != 2 || again.Any[1].Text() != "p" {
		t.Errorf("re-read: %s", out)
	}
	var nilEnv Envelope
	out, err = serialize.Marshal(&nilEnv)
	if err != nil || string(out) != `<Env xmlns="urn:e"></Env>` && string(out) != `<Env xmlns="urn:e"/>` {
		t.Errorf("nil etree fields: %s %v", out, err)
	}
}

func TestUnmarshalElementIntoEtree(t *testing.T) {
	r := xmlio.NewReader([]byte(`<a:Outer xmlns:a="urn:a" xmlns="urn:def"><a:Fault><code>x</code></a:Fault></a:Outer>`), nil)
	for {
		k, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if k == xmlio.StartElement && string(r.Local()) == "Fault" {
			break
		}
	}
	var el *etree.Element
	if err := serialize.UnmarshalElement(r, xml.Name{Space: "urn:a", Local: "Fault"}, &el, nil); err != nil {
		t.Fatal(err)
	}
	if r.Kind() != xmlio.EndElement || string(r.Local()) != "Fault" {
		t.Errorf("reader not on </Fault>")
	}
	if el.NamespaceURI() != "urn:a" || el.ChildElements()[0].NamespaceURI() != "urn:def" {
		t.Errorf("namespaces: %q %q", el.NamespaceURI(), el.ChildElements()[0].NamespaceURI())
	}
}

func TestMarshalNilEtree(t *testing.T) {
	var el *etree.Element
	_, err := serialize.Marshal(el)
	checkErr(t, err, errors.InvalidArgument, "nil *etree.Element")
}
