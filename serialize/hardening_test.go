package serialize_test

// Tests from the adversarial review of the engine: cyclic values, error
// paths of the fast paths and of writer errors, QName and etree corner
// cases, numeric overflow per width, concurrent first use, decode depth.

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// errStrings returns the Strings of err, which must be an *errors.Error.
func errStrings(t *testing.T, err error) []string {
	t.Helper()
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not an *errors.Error: %v", err, err)
	}
	return e.Strings
}

// checkPath requires err to have code and a first string starting with path
// and a later one containing what.
func checkPath(t *testing.T, err error, code errors.Code, path, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v at %q", code, path)
	}
	if c := errors.CodeOf(err); c != code {
		t.Errorf("code = %v, want %v (%v)", c, code, err)
	}
	s := errStrings(t, err)
	if len(s) < 2 || !strings.HasPrefix(s[0], path) {
		t.Errorf("first string of %q is not the path %q", s, path)
		return
	}
	if !strings.Contains(strings.Join(s[1:], " | "), what) {
		t.Errorf("strings %q do not say %q", s, what)
	}
}

type CycNode struct {
	Name string     `xml:"name,attr"`
	Kids []*CycNode `xml:"Node"`
	Next *CycNode   `xml:"next"`
	Any  any        `xml:"any"`
}

// LList reaches the recursive LLNode through a pointer first, so the plan
// of *LLNode is still being compiled when LLNode's fields refer to it.
type LList struct {
	Head *LLNode `xml:"head"`
}

type LLNode struct {
	V    int     `xml:"v"`
	Next *LLNode `xml:"next"`
	Attr *LLNode `xml:"attr,attr"`
}

type (
	cycSlice []cycSlice
	cycPtr   *cycPtr
	cycIface []any
)

func TestMarshalCyclicValue(t *testing.T) {
	// A recursive type compiles, writes and reads.
	tree := &CycNode{Name: "a", Kids: []*CycNode{{Name: "b"}, nil, {Name: "c", Kids: []*CycNode{{Name: "d"}}}}}
	b, err := serialize.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	var back CycNode
	if err := serialize.Unmarshal(b, &back); err != nil || len(back.Kids) != 2 || back.Kids[1].Kids[0].Name != "d" {
		t.Fatalf("%s: %v %+v", b, err, back)
	}

	list := &LList{Head: &LLNode{V: 1, Next: &LLNode{V: 2}}}
	b, err = serialize.Marshal(list)
	if err != nil || string(b) != `<LList><head><v>1</v><next><v>2</v></next></head></LList>` {
		t.Fatalf("linked list: %s %v", b, err)
	}
	var lback LList
	if err := serialize.Unmarshal(b, &lback); err != nil || lback.Head.Next.V != 2 {
		t.Fatalf("linked list read: %v %+v", err, lback)
	}

	// A deep but finite value is written.
	deep := &CycNode{Name: "0"}
	for i, n := 1, deep; i < 200; i++ {
		n.Next = &CycNode{Name: fmt.Sprint(i)}
		n = n.Next
	}
	if _, err := serialize.Marshal(deep); err != nil {
		t.Fatalf("200 levels: %v", err)
	}

	loop := &CycNode{Name: "a"}
	loop.Next = &CycNode{Name: "b", Next: loop}
	viaSlice := &CycNode{Name: "a"}
	viaSlice.Kids = []*CycNode{viaSlice}
	viaIface := &CycNode{Name: "a"}
	viaIface.Any = viaIface
	s := cycSlice{nil}
	s[0] = s
	var p cycPtr
	p = &p
	x := cycIface{nil}
	x[0] = x
	// A pointer type that only points to itself has no mapping.
	_, err = serialize.Marshal(p)
	checkPath(t, err, errors.InvalidArgument, "cycPtr", "has no XML mapping")
	var q cycPtr
	err = serialize.Unmarshal([]byte(`<cycPtr/>`), &q)
	checkPath(t, err, errors.InvalidArgument, "cycPtr", "has no XML mapping")

	for _, tc := range []struct {
		name string
		v    any
		path string
	}{
		{"pointer loop", loop, "CycNode/next/next/next/"},
		{"slice of self", viaSlice, "CycNode/Node[1]/Node[1]/"},
		{"interface holding self", viaIface, "CycNode/any/any/"},
		{"slice type", &s, "cycSlice"},

		{"interface slice", &x, "cycIface"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := serialize.Marshal(tc.v)
			checkPath(t, err, errors.InvalidArgument, tc.path, "is the value cyclic?")
			if s := errStrings(t, err); len(s[0]) > 400 {
				t.Errorf("path is %d bytes long: %.100s...", len(s[0]), s[0])
			}
		})
	}
}

type FlatErrOuter struct {
	XMLName xml.Name     `xml:"F"`
	In      FlatErrInner `xml:"in"`
	More    []FlatErrInner
}

type FlatErrInner struct {
	A   string     `xml:"a,attr"`
	B   failingTxt `xml:"b"`
	Bad failingTxt `xml:"bad,attr"`
}

// failingTxt fails to marshal when it is true.
type failingTxt bool

func (f failingTxt) MarshalText() ([]byte, error) {
	if f {
		return nil, fmt.Errorf("boom")
	}
	return []byte("ok"), nil
}

func TestFlatStructErrorPath(t *testing.T) {
	_, err := serialize.Marshal(&FlatErrOuter{In: FlatErrInner{B: true}})
	checkPath(t, err, errors.InvalidArgument, "F/in/b", "boom")
	_, err = serialize.Marshal(&FlatErrOuter{More: []FlatErrInner{{}, {B: true}}})
	checkPath(t, err, errors.InvalidArgument, "F/More[2]/b", "boom")
	_, err = serialize.Marshal(&FlatErrOuter{In: FlatErrInner{Bad: true}})
	checkPath(t, err, errors.InvalidArgument, "F/in/@bad", "boom")
}

type WErr struct {
	XMLName xml.Name  `xml:"urn:w W"`
	In      WErrIn    `xml:"in"`
	Ins     []WErrIn2 `xml:"in2"`
	C       string    `xml:",comment"`
}

type WErrIn struct {
	A string `xml:"a,attr"`
	S string `xml:"s"`
}

type WErrIn2 struct {
	A string   `xml:"a,attr"`
	S string   `xml:"s"`
	P *WErrIn2 `xml:"p"`
	T []byte   `xml:",chardata"`
}

// Errors the writer detects (characters XML cannot carry) name the element
// path like every other error, on the leaf, flat and general paths.
func TestMarshalWriterErrorPath(t *testing.T) {
	long := strings.Repeat("x", 5000)
	for _, tc := range []struct {
		v    *WErr
		path string
		what string
	}{
		{&WErr{In: WErrIn{S: "bell\x07"}}, "W/in/s", "text in element <s> contains control character 0x07"},
		{&WErr{In: WErrIn{A: "bell\x07"}}, "W/in/@a", "control character 0x07"},
		{&WErr{In: WErrIn{S: long + "\x07"}}, "W/in/s", "text in element <s> contains control character 0x07 at byte 5000"},
		{&WErr{Ins: []WErrIn2{{}, {S: "bell\x07"}}}, "W/in2[2]/s", "text in element <s>"},
		{&WErr{Ins: []WErrIn2{{}, {A: "bell\x07"}}}, "W/in2[2]/@a", "control character 0x07"},
		{&WErr{Ins: []WErrIn2{{}, {P: &WErrIn2{S: "\xff"}}}}, "W/in2[2]/p/s", "invalid UTF-8"},
		{&WErr{Ins: []WErrIn2{{T: []byte("\x00")}}}, "W/in2[1]", "control character 0x00"},
		{&WErr{C: "a--b"}, "W", "--"},
	} {
		_, err := serialize.Marshal(tc.v)
		checkPath(t, err, errors.InvalidFormat, tc.path, tc.what)
	}
}

type QNameHolder struct {
	XMLName xml.Name        `xml:"urn:f Mix"`
	Q       serialize.QName `xml:"q,attr,omitempty"`
	E       serialize.QName `xml:"e"`
}

func TestQNameNamespaces(t *testing.T) {
	// A QName in no namespace is written unprefixed, which needs an element
	// where no default namespace is in scope: such an element gets a
	// prefix (and undeclares an inherited default namespace).
	var q QNameHolder
	if err := serialize.Unmarshal([]byte(`<f:Mix xmlns:f="urn:f" q="L"><f:e>M</f:e></f:Mix>`), &q); err != nil {
		t.Fatal(err)
	}
	if q.Q != (serialize.QName{Local: "L"}) || q.E != (serialize.QName{Local: "M"}) {
		t.Fatalf("read %+v", q)
	}
	for _, outer := range []string{"", "urn:f", "urn:other"} {
		w := xmlio.NewBufferWriter(nil)
		if outer != "" {
			w.StartElement("", "Outer", outer)
		}
		if err := serialize.MarshalElement(w, xml.Name{}, &q, nil); err != nil {
			t.Fatal(err)
		}
		if outer != "" {
			w.EndElement()
		}
		r := xmlio.NewReader(w.Bytes(), nil)
		if outer != "" {
			r.Next()
			r.Next()
		}
		var again QNameHolder
		if err := serialize.UnmarshalElement(r, xml.Name{}, &again, nil); err != nil || again != q {
			t.Errorf("in %q: wrote %s, which reads back as %+v (%v)", outer, w.Bytes(), again, err)
		}
	}
	b, err := serialize.Marshal(&q)
	if want := `<q1:Mix xmlns:q1="urn:f" q="L"><q1:e>M</q1:e></q1:Mix>`; err != nil || string(b) != want {
		t.Errorf("got  %s %v\nwant %s", b, err, want)
	}
	// Where that cannot be done (chardata of an element whose content
	// has begun), writing fails and says why instead of changing the name.
	type QText struct {
		XMLName xml.Name        `xml:"urn:f T"`
		Kid     string          `xml:"kid"`
		Q       serialize.QName `xml:",chardata"`
	}
	_, err = serialize.Marshal(&QText{Q: serialize.QName{Local: "L"}})
	checkPath(t, err, errors.InvalidArgument, "T", "default namespace")

	// Names in a namespace round-trip, declaring a prefix when needed, also
	// when the writer already has one in scope from the caller.
	q = QNameHolder{Q: serialize.QName{Space: "urn:x", Local: "A"}, E: serialize.QName{Space: "urn:f", Local: "B"}}
	w := xmlio.NewBufferWriter(nil)
	w.StartElement("x", "Outer", "urn:x")
	if err := serialize.MarshalElement(w, xml.Name{}, &q, nil); err != nil {
		t.Fatal(err)
	}
	w.EndElement()
	if got, want := string(w.Bytes()), `<x:Outer xmlns:x="urn:x"><Mix xmlns="urn:f" q="x:A"><e>B</e></Mix></x:Outer>`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	r := xmlio.NewReader(w.Bytes(), nil)
	r.Next()
	r.Next()
	var back QNameHolder
	if err := serialize.UnmarshalElement(r, xml.Name{}, &back, nil); err != nil || back.Q != q.Q || back.E != q.E {
		t.Errorf("read back %+v, %v", back, err)
	}
	b, err = serialize.Marshal(&q)
	if err != nil || string(b) != `<Mix xmlns="urn:f" xmlns:q1="urn:x" q="q1:A"><e>B</e></Mix>` {
		t.Errorf("%s %v", b, err)
	}
}

// An xsi:type whose namespace is not in scope is declared where it is used.
func TestXsiTypeNamespaceNotInScope(t *testing.T) {
	reg := shapeRegistry()
	opts := &serialize.Options{Types: reg}
	b, err := opts.Marshal(&Drawing{Main: &Square{Side: 2}, Others: []Shape{Circle{R: 1}, &Square{Side: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	var d Drawing
	if err := opts.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if d.Main.(*Square).Side != 2 || d.Others[0].(Circle).R != 1 || d.Others[1].(*Square).Side != 3 {
		t.Errorf("%s read as %+v", b, d)
	}
}

type EtreeInIface struct {
	XMLName xml.Name `xml:"urn:t W"`
	V       any      `xml:",any"`
	I       any      `xml:"i"`
}

// An *etree.Element held by an interface field is written verbatim, as it
// is when the field's static type is *etree.Element.
func TestInterfaceHoldingEtree(t *testing.T) {
	el := etree.NewElement("x")
	el.CreateAttr("a", "1")
	el.CreateText("t")
	b, err := serialize.Marshal(&EtreeInIface{V: el, I: el})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<W xmlns="urn:t"><x xmlns="" a="1">t</x><x xmlns="" a="1">t</x></W>`; string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	// Reading: an element registered as *etree.Element is read verbatim.
	reg := serialize.NewRegistry()
	reg.RegisterElement(xml.Name{Space: "urn:t", Local: "x"}, &etree.Element{})
	var back EtreeInIface
	err = (&serialize.Options{Types: reg}).Unmarshal([]byte(`<W xmlns="urn:t"><x a="1">t<y/></x></W>`), &back)
	if el, ok := back.V.(*etree.Element); err != nil || !ok || el.Tag != "x" || el.SelectAttrValue("a", "") != "1" || el.SelectElement("y") == nil {
		t.Errorf("read %#v, %v", back.V, err)
	}
	var nilEl *etree.Element
	b, err = serialize.Marshal(&EtreeInIface{V: nilEl})
	if err != nil || string(b) != `<W xmlns="urn:t"/>` {
		t.Errorf("nil element: %s %v", b, err)
	}
}

type Widths struct {
	XMLName xml.Name `xml:"W"`
	I8      int8     `xml:"i8,omitempty"`
	I16     int16    `xml:"i16,omitempty"`
	I32     int32    `xml:"i32,omitempty"`
	I64     int64    `xml:"i64,omitempty"`
	I       int      `xml:"i,omitempty"`
	U8      uint8    `xml:"u8,omitempty"`
	U16     uint16   `xml:"u16,omitempty"`
	U32     uint32   `xml:"u32,omitempty"`
	U64     uint64   `xml:"u64,omitempty"`
	U       uint     `xml:"u,omitempty"`
	F32     float32  `xml:"f32,omitempty"`
	F64     float64  `xml:"f64,omitempty"`
	AI8     *int8    `xml:"ai8,attr"`
	AU16    *uint16  `xml:"au16,attr"`
	AF32    float32  `xml:"af32,attr"`
}

func TestNumericOverflowEveryWidth(t *testing.T) {
	for _, tc := range []struct{ elem, value, xsd string }{
		{"i8", "128", "xsd:byte"}, {"i8", "-129", "xsd:byte"},
		{"i16", "32768", "xsd:short"}, {"i16", "-32769", "xsd:short"},
		{"i32", "2147483648", "xsd:int"}, {"i32", "-2147483649", "xsd:int"},
		{"i64", "9223372036854775808", "xsd:long"}, {"i64", "-9223372036854775809", "xsd:long"},
		{"i", "9223372036854775808", "xsd:long"},
		{"u8", "256", "xsd:unsignedByte"}, {"u16", "65536", "xsd:unsignedShort"},
		{"u32", "4294967296", "xsd:unsignedInt"}, {"u64", "18446744073709551616", "xsd:unsignedLong"},
		{"u", "18446744073709551616", "xsd:unsignedLong"},
		{"f32", "3.5e38", "xsd:float"}, {"f32", "-1e39", "xsd:float"}, {"f64", "1e309", "xsd:double"},
	} {
		doc := fmt.Sprintf("<W>\n<%s>%s</%[1]s></W>", tc.elem, tc.value)
		var w Widths
		err := serialize.Unmarshal([]byte(doc), &w)
		checkPath(t, err, errors.NumericOverflow, "W/"+tc.elem+" (line 2)", fmt.Sprintf("value %q overflows %s", tc.value, tc.xsd))
	}
	for _, tc := range []struct{ attr, value string }{{"ai8", "-200"}, {"au16", "70000"}, {"af32", "1e39"}} {
		var w Widths
		err := serialize.Unmarshal([]byte(fmt.Sprintf(`<W %s="%s"/>`, tc.attr, tc.value)), &w)
		checkPath(t, err, errors.NumericOverflow, "W/@"+tc.attr+" (line 1)", "overflows")
	}
	// Unsigned types refuse a sign; this is a format error, not overflow.
	var w Widths
	err := serialize.Unmarshal([]byte(`<W><u8>-1</u8></W>`), &w)
	if c := errors.CodeOf(err); c != errors.InvalidFormat && c != errors.NumericOverflow {
		t.Errorf("negative unsigned: %v", err)
	}
}

type DeepNode struct {
	Next *DeepNode `xml:"next"`
}

// Decoding is bounded by the reader's MaxDepth, also for recursive types.
func TestDecodeDepthBounded(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(`<DeepNode>` + strings.Repeat("<next>", n) + strings.Repeat("</next>", n) + `</DeepNode>`)
	}
	var n DeepNode
	err := serialize.Unmarshal(deep(100), &n)
	checkPath(t, err, errors.QuotaExceeded, "DeepNode/next/next/", "MaxDepth")
	if err := (&serialize.Options{Reader: &xmlio.Options{MaxDepth: 200}}).Unmarshal(deep(100), &n); err != nil {
		t.Fatal(err)
	}
	// A limit set far beyond any real document cannot take the process
	// down with a stack overflow: the decoder has its own bound.
	err = (&serialize.Options{Reader: &xmlio.Options{MaxDepth: 1 << 30, MaxBytes: 1 << 30}}).Unmarshal(deep(2_000_000), &n)
	checkPath(t, err, errors.QuotaExceeded, "DeepNode/next/next/", "nest")
}

// Concurrent first use of the same new types, with registrations going on,
// under the race detector.
func TestConcurrentFirstUse(t *testing.T) {
	type Leaf struct {
		A string `xml:"a,attr"`
		V int    `xml:"v"`
	}
	type Rec struct {
		XMLName xml.Name `xml:"urn:c Rec"`
		Kids    []*Rec   `xml:"Rec"`
		Leaf    Leaf     `xml:"leaf"`
		Shape   Shape    `xml:"shape"`
	}
	reg := serialize.NewRegistry()
	opts := &serialize.Options{Types: reg}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%8 == 0 {
				reg.RegisterType(xml.Name{Space: "urn:shapes", Local: fmt.Sprint("Sq", i)}, reflect.New(reflect.StructOf([]reflect.StructField{{Name: "Side", Type: reflect.TypeFor[float64](), Tag: reflect.StructTag(fmt.Sprintf(`xml:"side%d"`, i))}})).Interface())
			}
			in := &Rec{Kids: []*Rec{{Leaf: Leaf{A: "x", V: i}}}}
			b, err := opts.Marshal(in)
			if err != nil {
				errs <- err
				return
			}
			var out Rec
			if err := opts.Unmarshal(b, &out); err != nil || out.Kids[0].Leaf.V != i {
				errs <- fmt.Errorf("%s: %v %+v", b, err, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

type EmbAttrs struct {
	ID  int    `xml:"id,attr"`
	Tag string `xml:"tag"`
}

type EmbText struct {
	T string `xml:",chardata"`
}

type EmbComment struct {
	C string `xml:",comment"`
}

type EmbAnyAttr struct {
	Any []xml.Attr `xml:",any,attr"`
}

type EmbHolder struct {
	XMLName xml.Name `xml:"E"`
	*EmbAttrs
	*EmbText
	*EmbComment
	*EmbAnyAttr
	Own string `xml:"own,omitempty"`
}

// doc.go: "an embedded pointer is allocated on read when one of its fields
// is present"; on write a nil embedded pointer's fields are absent.
func TestNilEmbeddedPointers(t *testing.T) {
	b, err := serialize.Marshal(&EmbHolder{Own: "o"})
	if err != nil || string(b) != `<E><own>o</own></E>` {
		t.Fatalf("%s %v", b, err)
	}
	var e EmbHolder
	if err := serialize.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	if e.EmbAttrs != nil || e.EmbText != nil || e.EmbComment != nil || e.EmbAnyAttr != nil || e.Own != "o" {
		t.Errorf("absent fields allocated their embedded pointers: %+v", e)
	}
	for doc, check := range map[string]func(EmbHolder) bool{
		`<E id="1"/>`:                func(e EmbHolder) bool { return e.EmbAttrs != nil && e.ID == 1 && e.EmbText == nil },
		`<E><tag>t</tag></E>`:        func(e EmbHolder) bool { return e.EmbAttrs != nil && e.Tag == "t" },
		`<E>text</E>`:                func(e EmbHolder) bool { return e.EmbText != nil && e.T == "text" && e.EmbAttrs == nil },
		`<E><!--c--></E>`:            func(e EmbHolder) bool { return e.EmbComment != nil && e.C == "c" && e.EmbText == nil },
		`<E x="1"/>`:                 func(e EmbHolder) bool { return e.EmbAnyAttr != nil && len(e.Any) == 1 },
		`<E xmlns:p="urn:p"/>`:       func(e EmbHolder) bool { return e.EmbAnyAttr != nil && e.Any[0].Value == "urn:p" },
		"<E><own>o</own>\n</E>":      func(e EmbHolder) bool { return e.EmbText != nil && e.T == "\n" },
		`<E><own>o</own></E><!---->`: func(e EmbHolder) bool { return e.EmbComment == nil },
	} {
		var e EmbHolder
		if err := serialize.Unmarshal([]byte(doc), &e); err != nil || !check(e) {
			t.Errorf("%s: %v %+v", doc, err, e)
		}
	}
}
