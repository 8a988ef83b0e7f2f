package serialize_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type Shape interface{ Area() float64 }

type Square struct {
	Side float64 `xml:"side"`
}

func (s *Square) Area() float64 { return s.Side * s.Side }

type Circle struct {
	R float64 `xml:"r"`
}

func (c Circle) Area() float64 { return 3 * c.R * c.R }

type Drawing struct {
	XMLName xml.Name `xml:"urn:draw Drawing"`
	Main    Shape    `xml:"urn:draw Main"`
	Others  []Shape  `xml:"urn:draw Other"`
}

func shapeRegistry() *serialize.Registry {
	reg := serialize.NewRegistry()
	reg.RegisterType(xml.Name{Space: "urn:shapes", Local: "Square"}, &Square{})
	reg.RegisterType(xml.Name{Space: "urn:shapes", Local: "Circle"}, Circle{})
	return reg
}

func marshalWith(t *testing.T, v any, opts *serialize.Options) []byte {
	t.Helper()
	w := xmlio.NewBufferWriter(nil)
	if err := serialize.MarshalElement(w, xml.Name{}, v, opts); err != nil {
		t.Fatal(err)
	}
	return w.Bytes()
}

func TestXsiTypeSubtypes(t *testing.T) {
	opts := &serialize.Options{Types: shapeRegistry()}
	in := Drawing{Main: &Square{Side: 2}, Others: []Shape{Circle{R: 1}, &Square{Side: 3}}}
	doc := marshalWith(t, &in, opts)
	if !strings.Contains(string(doc), `xsi:type="`) || !strings.Contains(string(doc), `:Circle"`) {
		t.Fatalf("no xsi:type: %s", doc)
	}
	var out Drawing
	if err := unmarshalWith(doc, &out, opts); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	sq, ok := out.Main.(*Square)
	if !ok || sq.Side != 2 || len(out.Others) != 2 {
		t.Fatalf("got %#v", out)
	}
	if c, ok := out.Others[0].(Circle); !ok || c.R != 1 {
		t.Errorf("other[0] = %#v", out.Others[0])
	}
	// The prefix of xsi:type resolves against the document's declarations.
	src := `<d:Drawing xmlns:d="urn:draw" xmlns:s="urn:shapes" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
		`<d:Main i:type="s:Circle"><r>5</r></d:Main></d:Drawing>`
	out = Drawing{}
	if err := unmarshalWith([]byte(src), &out, opts); err != nil {
		t.Fatal(err)
	}
	if c, ok := out.Main.(Circle); !ok || c.R != 5 {
		t.Errorf("main = %#v", out.Main)
	}
	// Unknown xsi:type on an interface field: an error naming the way out.
	src = strings.Replace(src, "s:Circle", "s:Hexagon", 1)
	err := unmarshalWith([]byte(src), &out, opts)
	checkErr(t, err, errors.InvalidFormat, "Drawing/Main (line 1): cannot tell which Go type")
	// Undeclared prefix in xsi:type.
	src = strings.Replace(src, "s:Hexagon", "zz:Circle", 1)
	err = unmarshalWith([]byte(src), &out, opts)
	checkErr(t, err, errors.InvalidFormat, `prefix "zz" is not declared`)
}

type Plain struct {
	XMLName xml.Name `xml:"Plain"`
	Sq      Square
}

func TestXsiTypeOnConcreteFieldIgnored(t *testing.T) {
	src := `<Plain xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:s="urn:shapes"><Sq i:type="s:Whatever"><side>4</side></Sq></Plain>`
	var p Plain
	if err := serialize.Unmarshal([]byte(src), &p); err != nil || p.Sq.Side != 4 {
		t.Errorf("got %+v, %v", p, err)
	}
}

type Payment interface{ isPayment() }

type Card struct {
	XMLName xml.Name `xml:"urn:pay card"`
	Number  string   `xml:"number"`
}

func (*Card) isPayment() {}

type Transfer struct {
	IBAN string `xml:"iban"`
}

func (*Transfer) isPayment() {}

type Checkout struct {
	XMLName xml.Name  `xml:"urn:pay Checkout"`
	Amount  int       `xml:"urn:pay amount"`
	Method  Payment   `xml:",any"`
	Extra   []Payment `xml:",any"`
}

func TestChoiceByElementName(t *testing.T) {
	reg := serialize.NewRegistry()
	reg.RegisterElement(xml.Name{Space: "urn:pay", Local: "card"}, &Card{})
	reg.RegisterElement(xml.Name{Space: "urn:pay", Local: "transfer"}, &Transfer{})
	opts := &serialize.Options{Types: reg}
	doc := marshalWith(t, &Checkout{Amount: 5, Method: &Transfer{IBAN: "DE00"}}, opts)
	if !strings.Contains(string(doc), `<transfer><iban>DE00</iban></transfer>`) {
		t.Fatalf("choice written as %s", doc)
	}
	var out Checkout
	if err := unmarshalWith(doc, &out, opts); err != nil {
		t.Fatal(err)
	}
	if tr, ok := out.Method.(*Transfer); !ok || tr.IBAN != "DE00" {
		t.Errorf("method = %#v", out.Method)
	}
	src := `<Checkout xmlns="urn:pay"><amount>1</amount><card><number>4111</number></card></Checkout>`
	out = Checkout{}
	if err := unmarshalWith([]byte(src), &out, opts); err != nil {
		t.Fatal(err)
	}
	if c, ok := out.Method.(*Card); !ok || c.Number != "4111" {
		t.Errorf("method = %#v", out.Method)
	}
	out = Checkout{}
	err := unmarshalWith([]byte(strings.Replace(src, "card>", "cash>", 2)), &out, opts)
	checkErr(t, err, errors.InvalidFormat, "cannot tell which Go type implementing serialize_test.Payment")
}

func TestRegistryPanics(t *testing.T) {
	reg := serialize.NewRegistry()
	reg.RegisterType(xml.Name{Local: "A"}, &Square{})
	reg.RegisterType(xml.Name{Local: "A"}, &Square{}) // same binding again is fine
	for name, f := range map[string]func(){
		"nil sample":   func() { reg.RegisterType(xml.Name{Local: "B"}, nil) },
		"empty name":   func() { reg.RegisterElement(xml.Name{}, &Card{}) },
		"name reused":  func() { reg.RegisterType(xml.Name{Local: "A"}, &Circle{}) },
		"type renamed": func() { reg.RegisterType(xml.Name{Local: "C"}, &Square{}) },
		"ptr vs value": func() { reg.RegisterType(xml.Name{Local: "A"}, Square{}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
