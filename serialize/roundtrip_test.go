//lint:file-ignore SA5008 the ",nillable" tag option is a wsgo extension, tested here in that spelling

package serialize_test

import (
	"encoding/xml"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type Level int8

type Scalars struct {
	XMLName xml.Name `xml:"urn:s Scalars"`
	S       string
	B       bool
	I       int
	I8      int8
	I16     int16
	I32     int32
	I64     int64
	U       uint
	U8      uint8
	U16     uint16
	U32     uint32
	U64     uint64
	F32     float32
	F64     float64
	Bytes   []byte
	When    time.Time
	Q       serialize.QName
	Dec     serialize.Decimal
	Day     serialize.Date
	GUID    serialize.GUID
	Lvl     Level
	Named   Color
}

type Color string

func roundTrip[T any](t *testing.T, in T) (T, string) {
	t.Helper()
	b, err := serialize.Marshal(&in)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var out T
	if err := serialize.Unmarshal(b, &out); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	return out, string(b)
}

func TestRoundTripScalars(t *testing.T) {
	in := Scalars{
		S: "a < b & \"c\" 'd' > e\ttab", B: true,
		I: -1 << 40, I8: -128, I16: 32767, I32: -5, I64: math.MinInt64,
		U: 1 << 50, U8: 255, U16: 65535, U32: 4e9, U64: math.MaxUint64,
		F32: 1.5, F64: -2.25e-300,
		Bytes: []byte{0, 1, 2, 0xff, 'x'},
		When:  time.Date(2024, 2, 29, 23, 59, 58, 123456789, time.FixedZone("", 5*3600+30*60)),
		Q:     serialize.QName{Space: "urn:q", Local: "Thing"},
		Dec:   serialize.MustParseDecimal("-12.340"),
		Day:   serialize.NewDate(2024, 1, 31, nil),
		GUID:  serialize.GUID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		Lvl:   -3, Named: "red",
	}
	out, doc := roundTrip(t, in)
	in.XMLName = xml.Name{Space: "urn:s", Local: "Scalars"}
	if diff := cmp.Diff(in, out, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
		cmp.Comparer(func(a, b serialize.Decimal) bool { return a.String() == b.String() }),
		cmp.Comparer(func(a, b serialize.Date) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("round trip differs (-in +out):\n%s\n%s", diff, doc)
	}
	for _, want := range []string{">AAEC/3g=</Bytes>", ">18446744073709551615</U64>", ">q1:Thing</Q>", ">-12.340</Dec>", `xmlns:q1="urn:q"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %s:\n%s", want, doc)
		}
	}
}

type Floats struct {
	A, B, C float64
	D       float32
}

func TestFloatSpecials(t *testing.T) {
	out, doc := roundTrip(t, Floats{A: math.Inf(1), B: math.Inf(-1), C: math.NaN(), D: float32(math.Inf(1))})
	if !math.IsInf(out.A, 1) || !math.IsInf(out.B, -1) || !math.IsNaN(out.C) || !math.IsInf(float64(out.D), 1) {
		t.Errorf("got %+v from %s", out, doc)
	}
	if !strings.Contains(doc, "<A>INF</A><B>-INF</B><C>NaN</C>") {
		t.Errorf("lexical forms: %s", doc)
	}
}

type Attrs struct {
	XMLName xml.Name          `xml:"A"`
	Str     string            `xml:"str,attr"`
	Num     int               `xml:"num,attr,omitempty"`
	NS      string            `xml:"urn:x ns,attr"`
	Ptr     *int              `xml:"ptr,attr"`
	Flag    bool              `xml:"flag,attr"`
	Dec     serialize.Decimal `xml:"dec,attr"`
	When    time.Time         `xml:"when,attr"`
	Q       serialize.QName   `xml:"q,attr"`
	Raw     []byte            `xml:"raw,attr"`
	Other   []xml.Attr        `xml:",any,attr"`
}

func TestRoundTripAttributes(t *testing.T) {
	seven := 7
	in := Attrs{
		Str: `x<&>"'`, NS: "n", Ptr: &seven, Flag: true, Dec: serialize.MustParseDecimal("3.14"),
		When: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Q: serialize.QName{Space: "urn:q", Local: "L"},
		Raw:   []byte("hi"),
		Other: []xml.Attr{{Name: xml.Name{Space: "urn:o", Local: "extra"}, Value: "1"}, {Name: xml.Name{Local: "plain"}, Value: "2"}},
	}
	out, doc := roundTrip(t, in)
	in.XMLName.Local = "A"
	// As with encoding/xml, ",any,attr" also collects the namespace
	// declarations the writer added.
	out.Other = dropNSDecls(out.Other)
	if diff := cmp.Diff(in, out, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
		cmp.Comparer(func(a, b serialize.Decimal) bool { return a.String() == b.String() })); diff != "" {
		t.Errorf("(-in +out):\n%s\n%s", diff, doc)
	}
	if strings.Contains(doc, "num=") {
		t.Errorf("omitempty attribute written: %s", doc)
	}
}

type Mixed struct {
	XMLName xml.Name `xml:"M"`
	Kind    string   `xml:"kind,attr"`
	Text    string   `xml:",chardata"`
}

type WithCData struct {
	Body    string `xml:",cdata"`
	Comment string `xml:",comment"`
}

type Inner struct {
	XMLName xml.Name `xml:"Inner"`
	ID      string   `xml:"id,attr"`
	Raw     string   `xml:",innerxml"`
}

func TestCharDataCDataCommentInnerXML(t *testing.T) {
	out, doc := roundTrip(t, Mixed{Kind: "k", Text: " some <text> & more "})
	if out.Text != " some <text> & more " || out.Kind != "k" {
		t.Errorf("chardata: %+v from %s", out, doc)
	}
	c, doc := roundTrip(t, WithCData{Body: "x ]]> y <z>", Comment: " note "})
	if c.Body != "x ]]> y <z>" || c.Comment != " note " {
		t.Errorf("cdata/comment: %+v from %s", c, doc)
	}
	var in Inner
	src := `<Inner id="1"><a xmlns="urn:a">x<b/></a><!-- c --></Inner>`
	if err := serialize.Unmarshal([]byte(src), &in); err != nil {
		t.Fatal(err)
	}
	if in.Raw != `<a xmlns="urn:a">x<b/></a><!-- c -->` || in.ID != "1" {
		t.Errorf("innerxml = %q", in.Raw)
	}
	b, err := serialize.Marshal(&in)
	if err != nil || string(b) != src {
		t.Errorf("Marshal innerxml = %s, %v", b, err)
	}
}

type Paths struct {
	XMLName xml.Name `xml:"P"`
	A       string   `xml:"outer>mid>a"`
	B       string   `xml:"outer>mid>b"`
	C       []string `xml:"outer>c"`
	D       *string  `xml:"other>d"`
}

func TestParentPaths(t *testing.T) {
	in := Paths{A: "1", B: "2", C: []string{"x", "y"}}
	out, doc := roundTrip(t, in)
	in.XMLName.Local = "P"
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("(-in +out):\n%s", diff)
	}
	const want = `<P><outer><mid><a>1</a><b>2</b></mid><c>x</c><c>y</c></outer></P>`
	if doc != want {
		t.Errorf("got  %s\nwant %s", doc, want)
	}
	std, _ := xml.Marshal(&in)
	if string(std) != want {
		t.Errorf("encoding/xml writes %s", std)
	}
}

type Base struct {
	ID   string `xml:"id,attr"`
	Name string
}

type Extra struct {
	Note string
}

type Derived struct {
	XMLName xml.Name `xml:"D"`
	Base
	*Extra
	Name string // shadows Base.Name
}

func TestEmbedded(t *testing.T) {
	in := Derived{Base: Base{ID: "i", Name: "hidden"}, Extra: &Extra{Note: "n"}, Name: "outer"}
	out, doc := roundTrip(t, in)
	if out.ID != "i" || out.Extra == nil || out.Note != "n" || out.Name != "outer" || out.Base.Name != "" {
		t.Errorf("got %+v from %s", out, doc)
	}
	if doc != `<D id="i"><Note>n</Note><Name>outer</Name></D>` {
		t.Errorf("doc %s", doc)
	}
	_, doc = roundTrip(t, Derived{Name: "x"})
	if strings.Contains(doc, "Note") {
		t.Errorf("nil embedded pointer written: %s", doc)
	}
}

type Optional struct {
	XMLName xml.Name `xml:"O"`
	Req     string
	Opt     string  `xml:",omitempty"`
	Ptr     *int    `xml:",omitempty"`
	Nil     *int    `xml:",nillable"`
	NilStr  *string `xml:"NilStr,nillable"`
	Items   []*Base `xml:"Item,nillable"`
	Skip    string  `xml:"-"`
}

func TestNillableAndOptional(t *testing.T) {
	in := Optional{Req: "r", Items: []*Base{{ID: "1"}, nil, {ID: "3"}}, Skip: "s"}
	out, doc := roundTrip(t, in)
	want := `<O><Req>r</Req><Nil xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`
	if !strings.HasPrefix(doc, want) {
		t.Errorf("doc %s\nwant prefix %s", doc, want)
	}
	if len(out.Items) != 3 || out.Items[1] != nil || out.Items[2].ID != "3" || out.Nil != nil || out.Skip != "" {
		t.Errorf("got %+v", out)
	}
	// xsi:nil is accepted on any element, also non-pointers.
	var o Optional
	src := `<O xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Req i:nil="1"/><Ptr i:nil="true">5</Ptr></O>`
	o.Req = "before"
	if err := serialize.Unmarshal([]byte(src), &o); err != nil {
		t.Fatal(err)
	}
	if o.Req != "" || o.Ptr != nil {
		t.Errorf("xsi:nil: %+v", o)
	}
}

type Any struct {
	XMLName xml.Name `xml:"Any"`
	Known   string
	Rest    []AnyElem `xml:",any"`
}

type AnyElem struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
}

func TestAnyStructs(t *testing.T) {
	src := `<Any><Known>k</Known><x:One xmlns:x="urn:x" a="1">t</x:One><Two>u</Two></Any>`
	var a Any
	if err := serialize.Unmarshal([]byte(src), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Rest) != 2 || a.Rest[0].XMLName != (xml.Name{Space: "urn:x", Local: "One"}) || a.Rest[1].Text != "u" || a.Rest[0].Attrs[1].Value != "1" {
		t.Fatalf("got %+v", a)
	}
	var std Any
	if err := xml.Unmarshal([]byte(src), &std); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(std, a, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("differs from encoding/xml (-std +wsgo):\n%s", diff)
	}
	b, err := serialize.Marshal(&a)
	if err != nil {
		t.Fatal(err)
	}
	var again Any
	if err := serialize.Unmarshal(b, &again); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Any{&a, &again} {
		for i := range x.Rest {
			x.Rest[i].Attrs = dropNSDecls(x.Rest[i].Attrs)
		}
	}
	if diff := cmp.Diff(a, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("re-read differs:\n%s\n%s", diff, b)
	}
}

type Namespaced struct {
	XMLName xml.Name `xml:"urn:a Root"`
	InA     string   `xml:"urn:a InA"`
	InB     string   `xml:"urn:b InB"`
	NoNS    string   `xml:"NoNS"`
}

func TestNamespaces(t *testing.T) {
	in := Namespaced{InA: "a", InB: "b", NoNS: "n"}
	out, doc := roundTrip(t, in)
	in.XMLName = xml.Name{Space: "urn:a", Local: "Root"}
	if out != in {
		t.Errorf("got %+v from %s", out, doc)
	}
	// encoding/xml reads what we write, with the same values.
	var std Namespaced
	if err := xml.Unmarshal([]byte(doc), &std); err != nil || std != in {
		t.Errorf("encoding/xml read %+v, %v from %s", std, err, doc)
	}
	// A field with a namespace does not match another namespace; a field
	// without one matches any.
	var o Namespaced
	err := serialize.Unmarshal([]byte(`<Root xmlns="urn:a"><NoNS>1</NoNS><InB>x</InB></Root>`), &o)
	if err == nil || !strings.Contains(err.Error(), "unexpected element <{urn:a}InB>") {
		t.Errorf("err = %v", err)
	}
}

type Recursive struct {
	Name     string       `xml:"name,attr"`
	Children []*Recursive `xml:"Node"`
}

func TestRecursiveType(t *testing.T) {
	in := Recursive{Name: "a", Children: []*Recursive{{Name: "b", Children: []*Recursive{{Name: "c"}}}, {Name: "d"}}}
	out, doc := roundTrip(t, in)
	if diff := cmp.Diff(in, out, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("(-in +out):\n%s\n%s", diff, doc)
	}
}

func TestTopLevelValues(t *testing.T) {
	b, err := serialize.Marshal(42)
	if err != nil || string(b) != "<int>42</int>" {
		t.Errorf("Marshal(42) = %s, %v", b, err)
	}
	var n int
	if err := serialize.Unmarshal([]byte("<x> 17 </x>"), &n); err != nil || n != 17 {
		t.Errorf("Unmarshal int = %d, %v", n, err)
	}
	b, err = serialize.Marshal(Mixed{Text: "v"}) // by value
	if err != nil || string(b) != `<M kind="">v</M>` {
		t.Errorf("Marshal by value = %s, %v", b, err)
	}
	name, ok := serialize.ElementName(&Namespaced{})
	if !ok || name != (xml.Name{Space: "urn:a", Local: "Root"}) {
		t.Errorf("ElementName = %v, %v", name, ok)
	}
	if _, ok := serialize.ElementName(Recursive{}); ok {
		t.Error("ElementName without XMLName reported one")
	}
}

type TextM struct{ V string }

func (t TextM) MarshalText() ([]byte, error)  { return []byte("<" + t.V + ">"), nil }
func (t *TextM) UnmarshalText(b []byte) error { t.V = strings.Trim(string(b), "<>"); return nil }

type UsesText struct {
	XMLName xml.Name `xml:"U"`
	Elem    TextM
	Attr    TextM  `xml:"a,attr"`
	Ptr     *TextM `xml:",omitempty"`
}

func TestTextMarshalers(t *testing.T) {
	in := UsesText{Elem: TextM{"e"}, Attr: TextM{"a"}, Ptr: &TextM{"p"}}
	out, doc := roundTrip(t, in)
	in.XMLName.Local = "U"
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("(-in +out):\n%s\n%s", diff, doc)
	}
	if !strings.Contains(doc, `a="&lt;a>"`) || !strings.Contains(doc, "<Elem>&lt;e&gt;</Elem>") {
		t.Errorf("doc %s", doc)
	}
}

// dropNSDecls removes namespace declarations from an ",any,attr" list.
func dropNSDecls(attrs []xml.Attr) []xml.Attr {
	var out []xml.Attr
	for _, a := range attrs {
		if a.Name.Space != "xmlns" && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			out = append(out, a)
		}
	}
	return out
}

type BigValues struct {
	XMLName xml.Name   `xml:"Big"`
	Int     *big.Int   `xml:"int"`
	Rat     *big.Rat   `xml:"rat,attr"`
	Float   *big.Float `xml:"float,omitempty"`
}

func TestMathBigViaTextMarshaler(t *testing.T) {
	n, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	in := BigValues{Int: n, Rat: big.NewRat(-1, 3)}
	out, doc := roundTrip(t, in)
	if out.Int.Cmp(n) != 0 || out.Rat.Cmp(in.Rat) != 0 || out.Float != nil {
		t.Errorf("got %+v from %s", out, doc)
	}
}

func TestInnerXMLFromReader(t *testing.T) {
	// UnmarshalElement on a caller's reader has no document bytes to
	// slice; the element is re-serialized, with its namespaces.
	src := `<w xmlns:p="urn:p"><Inner id="2"><p:a>x</p:a></Inner></w>`
	r := xmlio.NewReader([]byte(src), nil)
	r.Next()
	r.Next()
	var in Inner
	if err := serialize.UnmarshalElement(r, xml.Name{}, &in, nil); err != nil {
		t.Fatal(err)
	}
	if in.ID != "2" || in.Raw != `<p:a>x</p:a>` || r.Kind() != xmlio.EndElement || string(r.Local()) != "Inner" {
		t.Errorf("got %+v", in)
	}
}
