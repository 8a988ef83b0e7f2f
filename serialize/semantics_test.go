package serialize_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

func TestForcedNameOverridesXMLName(t *testing.T) {
	w := xmlio.NewBufferWriter(nil)
	err := serialize.MarshalElement(w, xml.Name{Space: "urn:n", Local: "Renamed"}, &Namespaced{InA: "a"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(w.Bytes()); !strings.HasPrefix(got, `<Renamed xmlns="urn:n">`) {
		t.Errorf("got %s", got)
	}
}

type Holder struct {
	XMLName xml.Name `xml:"H"`
	S       Shape    `xml:"s"`
	Q       serialize.QName
	Parent  *string `xml:"p>c"`
	Comment string  `xml:",comment"`
}

func TestMiscSemantics(t *testing.T) {
	opts := &serialize.Options{Types: shapeRegistry()}
	// xsi:nil on an interface field; a QName in text resolved against the
	// default namespace; a nil pointer under a>b opens no parent.
	src := `<H xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s xsi:nil="true"/><Q xmlns="urn:d">Local</Q><!--note--></H>`
	h := Holder{S: &Square{}}
	if err := opts.Unmarshal([]byte(src), &h); err != nil {
		t.Fatal(err)
	}
	if h.S != nil || h.Q != (serialize.QName{Space: "urn:d", Local: "Local"}) || h.Comment != "note" {
		t.Errorf("got %+v", h)
	}
	doc, err := opts.Marshal(&h)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), "<p>") || !strings.Contains(string(doc), "<!--note-->") {
		t.Errorf("doc %s", doc)
	}
	// IgnoreUnknown also skips an element whose xsi:type is not registered.
	src = `<H xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s xsi:type="Hexagon"/></H>`
	h = Holder{}
	lenient := &serialize.Options{Types: shapeRegistry(), IgnoreUnknown: true, AllowMissing: true}
	if err := lenient.Unmarshal([]byte(src), &h); err != nil || h.S != nil {
		t.Errorf("got %+v, %v", h, err)
	}
}
