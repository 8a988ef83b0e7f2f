package serialize_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type ErrItem struct {
	Qty  uint8 `xml:"Qty"`
	Name string
}

type ErrOrder struct {
	XMLName xml.Name  `xml:"urn:x Order"`
	ID      int       `xml:"id,attr"`
	Items   []ErrItem `xml:"Items>Item"`
	Opt     *string   `xml:"Opt"`
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts *serialize.Options
		code errors.Code
		want string // substring of the message
	}{
		{"overflow", `<Order xmlns="urn:x"><Items><Item><Qty>1</Qty><Name/></Item><Item><Qty>2</Qty><Name/></Item><Item>
<Qty>300</Qty><Name/></Item></Items></Order>`, nil, errors.NumericOverflow,
			`Order/Items/Item[3]/Qty (line 2): value "300" overflows xsd:unsignedByte`},
		{"bad int", `<Order xmlns="urn:x"><Items><Item><Qty>x1</Qty><Name/></Item></Items></Order>`, nil, errors.InvalidFormat,
			`Order/Items/Item[1]/Qty (line 1): value "x1" is not a valid xsd:unsignedByte`},
		{"bad attribute", `<Order xmlns="urn:x" id="seven"/>`, nil, errors.InvalidFormat, `Order/@id (line 1): value "seven"`},
		{"unknown element", `<Order xmlns="urn:x"><Items><Item><Qty>1</Qty><Name/><f:Foo xmlns:f="urn:f"/></Item></Items></Order>`, nil,
			errors.InvalidFormat, `Order/Items/Item[1] (line 1): unexpected element <{urn:f}Foo>`},
		{"missing required", `<Order xmlns="urn:x"><Items><Item><Name/></Item></Items></Order>`, nil, errors.InvalidFormat,
			`Order/Items/Item[1] (line 1): missing required element <Qty>`},
		{"stray text", `<Order xmlns="urn:x">hello<Items/></Order>`, nil, errors.InvalidFormat, `Order (line 1): unexpected text "hello"`},
		{"wrong root", `<Other xmlns="urn:x"/>`, nil, errors.InvalidFormat, `expected <{urn:x}Order>, found <{urn:x}Other>`},
		{"wrong root namespace", `<Order xmlns="urn:y"/>`, nil, errors.InvalidFormat, `expected <{urn:x}Order>, found <{urn:y}Order>`},
		{"malformed", `<Order xmlns="urn:x"><Items></Order>`, nil, errors.InvalidFormat, `Order/Items`},
		{"child in text", `<Order xmlns="urn:x"><Items><Item><Qty><b/></Qty><Name/></Item></Items></Order>`, nil, errors.InvalidFormat, `Order/Items/Item[1]/Qty`},
		{"depth quota", `<Order xmlns="urn:x"><Items><Item><Qty>1</Qty><Name/></Item></Items></Order>`,
			&serialize.Options{Reader: &xmlio.Options{MaxDepth: 2}}, errors.QuotaExceeded, `Order/Items`},
		{"trailing element", `<Order xmlns="urn:x"/><Order xmlns="urn:x"/>`, nil, errors.InvalidFormat, ``},
		{"text after root", `<Order xmlns="urn:x"/>x`, nil, errors.InvalidFormat, ``},
		{"empty document", ``, nil, errors.InvalidFormat, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o ErrOrder
			var err error
			if tt.opts != nil {
				err = unmarshalWith([]byte(tt.doc), &o, tt.opts)
			} else {
				err = serialize.Unmarshal([]byte(tt.doc), &o)
			}
			checkErr(t, err, tt.code, tt.want)
		})
	}
}

// unmarshalWith reads a whole document with options, through the public
// streaming API.
func unmarshalWith(doc []byte, v any, opts *serialize.Options) error {
	r := xmlio.NewReader(doc, opts.Reader)
	return serialize.UnmarshalElement(r, xml.Name{}, v, opts)
}

func checkErr(t *testing.T, err error, code errors.Code, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v %q", code, want)
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *errors.Error: %v", err, err)
	}
	if e.Code != code {
		t.Errorf("code = %v, want %v (%v)", e.Code, code, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

func TestLenientOptions(t *testing.T) {
	var o ErrOrder
	doc := `<Order xmlns="urn:x"><Items><Item><Name>n</Name><Foo/>text</Item></Items><Bar><x/></Bar></Order>`
	if err := unmarshalWith([]byte(doc), &o, &serialize.Options{IgnoreUnknown: true, AllowMissing: true}); err != nil {
		t.Fatal(err)
	}
	if len(o.Items) != 1 || o.Items[0].Name != "n" {
		t.Errorf("got %+v", o)
	}
	err := unmarshalWith([]byte(doc), &o, &serialize.Options{IgnoreUnknown: true})
	checkErr(t, err, errors.InvalidFormat, "missing required element <Qty>")
}

type Unsupported struct {
	M map[string]int
	C chan int `xml:",omitempty"`
}

func TestArgumentErrors(t *testing.T) {
	var nilPtr *ErrOrder
	_, err := serialize.Marshal(nilPtr)
	checkErr(t, err, errors.InvalidArgument, "nil *serialize_test.ErrOrder")
	_, err = serialize.Marshal(nil)
	checkErr(t, err, errors.InvalidArgument, "nil")
	err = serialize.Unmarshal([]byte(`<Order xmlns="urn:x"/>`), ErrOrder{})
	checkErr(t, err, errors.InvalidArgument, "want a non-nil pointer")
	err = serialize.Unmarshal([]byte(`<Order xmlns="urn:x"/>`), nilPtr)
	checkErr(t, err, errors.InvalidArgument, "want a non-nil pointer")

	_, err = serialize.Marshal(&Unsupported{M: map[string]int{"a": 1}})
	checkErr(t, err, errors.InvalidArgument, "Unsupported/M: Go type map[string]int has no XML mapping")
	var u Unsupported
	err = serialize.Unmarshal([]byte(`<Unsupported><M>1</M></Unsupported>`), &u)
	checkErr(t, err, errors.InvalidArgument, "Unsupported/M (line 1): Go type map[string]int has no XML mapping")

	type BadTag struct {
		A string `xml:"a>,attr"` //lint:ignore SA5008 an invalid tag is the point of the test
	}
	_, err = serialize.Marshal(&BadTag{})
	checkErr(t, err, errors.InvalidArgument, "BadTag.A")
	_, err = serialize.Marshal(&Clash{})
	checkErr(t, err, errors.InvalidArgument, "fields X and X both map to X")
}

type ClashA struct {
	X string
}

type ClashB struct {
	X int
}

// Clash has two fields named X at the same embedding depth.
type Clash struct {
	ClashA
	ClashB
}

func TestMarshalWriterErrors(t *testing.T) {
	type Bad struct{ S string }
	_, err := serialize.Marshal(&Bad{S: "bell\x07"})
	if errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("invalid character: %v", err)
	}
}

func TestUnmarshalElementPositioning(t *testing.T) {
	doc := `<Wrap><!-- c -->
	<Order xmlns="urn:x" id="5"/><Order xmlns="urn:x" id="6"/></Wrap>`
	r := xmlio.NewReader([]byte(doc), nil)
	if _, err := r.Next(); err != nil { // <Wrap>
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil { // whitespace or comment before the element
		t.Fatal(err)
	}
	var a, b ErrOrder
	if err := serialize.UnmarshalElement(r, xml.Name{Space: "urn:x", Local: "Order"}, &a, nil); err != nil {
		t.Fatal(err)
	}
	if r.Kind() != xmlio.EndElement || a.ID != 5 {
		t.Fatalf("after first: kind %v, %+v", r.Kind(), a)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if err := serialize.UnmarshalElement(r, xml.Name{}, &b, nil); err != nil || b.ID != 6 {
		t.Fatalf("second: %v %+v", err, b)
	}
	if _, err := r.Next(); err != nil { // </Wrap>
		t.Fatal(err)
	}
	err := serialize.UnmarshalElement(r, xml.Name{}, &b, nil)
	checkErr(t, err, errors.InvalidFormat, "expected an element, found the end")

	r = xmlio.NewReader([]byte(`<Order xmlns="urn:x"/>`), nil)
	err = serialize.UnmarshalElement(r, xml.Name{Space: "urn:other", Local: "Order"}, &a, nil)
	checkErr(t, err, errors.InvalidFormat, "expected <{urn:other}Order>, found <{urn:x}Order>")
}

func TestOptionsMethods(t *testing.T) {
	opts := &serialize.Options{Types: shapeRegistry(), Reader: &xmlio.Options{MaxDepth: 2}}
	doc, err := opts.Marshal(&Drawing{Main: &Square{Side: 1}})
	if err != nil || !strings.Contains(string(doc), "xsi:type") {
		t.Fatalf("%s %v", doc, err)
	}
	var d Drawing
	err = opts.Unmarshal(doc, &d)
	checkErr(t, err, errors.QuotaExceeded, "Drawing/Main")
	opts.Reader = nil
	if err := opts.Unmarshal(doc, &d); err != nil || d.Main.(*Square).Side != 1 {
		t.Errorf("%+v %v", d, err)
	}
	var nilOpts *serialize.Options
	if err := nilOpts.Unmarshal([]byte(`<Order xmlns="urn:x"/>`), &ErrOrder{}); err != nil {
		t.Error(err)
	}
}
