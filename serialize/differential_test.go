package serialize_test

// Differential test: wsgo's serializer against encoding/xml.
//
// Every value of the corpus (hand-written types covering encoding/xml's tag
// features, and the gowsdl-generated types of internal/testtypes) goes through
// four directions:
//
//	a  encoding/xml Marshal → wsgo Unmarshal         → equals the value
//	b  wsgo Marshal         → encoding/xml Unmarshal → equals the value
//	c  wsgo Marshal         → wsgo Unmarshal         → equals the value
//	d  encoding/xml Marshal and wsgo Marshal, each read back by encoding/xml,
//	   give equal values (the bytes may differ); d_names also requires the two
//	   documents to have the same elements and attributes, namespace-resolved,
//	   in the same order (prefixes, xmlns declarations and text are free).
//
// Documented deviations and how the comparison treats them:
//   - []byte is xsd:base64Binary in wsgo but raw text in encoding/xml. Plain
//     []byte fields are cleared (set to nil) in the values used for a, b and d;
//     direction c keeps them, and TestDifferentialBytesAreBase64 pins the wsgo
//     encoding. (HexBinary and other TextMarshaler byte slices are kept: both
//     libraries use MarshalText for them.)
//   - Infinities: encoding/xml writes strconv's "+Inf"/"-Inf", which are not in
//     the lexical space of xsd:float/xsd:double ("INF", "-INF", XSD 1.1 also
//     "+INF"). wsgo writes the XSD spellings, which encoding/xml reads (strconv
//     accepts them case-insensitively), so b, c and d hold for infinities, and
//     wsgo's strict reader rejects encoding/xml's spelling: for cases holding an
//     infinity, direction a must fail with InvalidFormat. NaN is "NaN" in both
//     and is compared with cmpopts.EquateNaNs.
//   - XMLName fields: encoding/xml fills them on read with the name it found.
//     The expected value of a case therefore has every XMLName whose tag names
//     an element set to that name (see fillXMLNames); the marshalled value
//     leaves them zero, as callers do.
//   - ",innerxml" strings are compared as XML (same tokens with resolved names,
//     attributes in any order), not byte for byte: a reader may rebuild them.
//   - ",any,attr" slices are compared without xmlns declarations, which
//     encoding/xml also collects there.
//   - Values whose fields are struct types with unexported fields
//     (soap.XSDDate/XSDDateTime/XSDTime from gowsdl, serialize.Decimal,
//     Date, DateTime) are compared by their lexical form, which is what
//     round-tripping has to preserve (the zone as written, the decimal scale).
//     time.Time must be the same instant with the same UTC offset.

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hooklift/gowsdl/soap"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/internal/testtypes/orders"
	"github.com/wsgo/wsgo/serialize"
)

const (
	diffNS = "urn:wsgo:diff"
	extNS  = "urn:wsgo:ext"
	xmlNS  = "http://www.w3.org/XML/1998/namespace"
)

// diffCase is one corpus entry.
type diffCase struct {
	name string
	// value returns a fresh pointer to the value, fully populated. It is
	// called several times per case, so results can be mutated freely.
	value func() any
	// adjust, if set, turns a fresh value into the value a round trip is
	// expected to produce (for fields a round trip must drop, like "-").
	adjust func(v any)
	// aCode, if not OK, is the error code wsgo must return in direction a
	// (encoding/xml output that wsgo rejects by design); see the file comment.
	aCode errors.Code
}

func TestDifferential(t *testing.T) {
	for _, c := range differentialCorpus() {
		t.Run(c.name, func(t *testing.T) {
			runDifferential(t, c)
		})
	}
}

func runDifferential(t *testing.T, c diffCase) {
	// expected builds the value a round trip must produce.
	expected := func(cross bool) any {
		v := c.value()
		fillXMLNames(v)
		if c.adjust != nil {
			c.adjust(v)
		}
		if cross {
			clearRawBytes(v)
		}
		return v
	}
	full := c.value()
	cross := c.value()
	clearRawBytes(cross)

	stdOut, err := xml.Marshal(cross)
	if err != nil {
		t.Fatalf("test bug: encoding/xml cannot marshal the value: %v", err)
	}
	wsOut, wsErr := serialize.Marshal(cross)

	t.Run("a_encodingxml_to_wsgo", func(t *testing.T) {
		got := newLike(cross)
		err := serialize.Unmarshal(stdOut, got)
		if c.aCode != errors.OK {
			if errors.CodeOf(err) != c.aCode {
				t.Fatalf("wsgo Unmarshal of encoding/xml output: err = %v (code %v), want code %v\ninput: %s",
					err, errors.CodeOf(err), c.aCode, stdOut)
			}
			return
		}
		if err != nil {
			t.Fatalf("wsgo Unmarshal of encoding/xml output: %v\ninput: %s", err, stdOut)
		}
		if diff := cmp.Diff(expected(true), got, diffOptions...); diff != "" {
			t.Errorf("wsgo read encoding/xml output into a different value (-want +got):\n%s\ninput: %s", diff, stdOut)
		}
	})

	t.Run("b_wsgo_to_encodingxml", func(t *testing.T) {
		if wsErr != nil {
			t.Fatalf("wsgo Marshal: %v", wsErr)
		}
		got := newLike(cross)
		if err := xml.Unmarshal(wsOut, got); err != nil {
			t.Fatalf("encoding/xml Unmarshal of wsgo output: %v\ninput: %s", err, wsOut)
		}
		if diff := cmp.Diff(expected(true), got, diffOptions...); diff != "" {
			t.Errorf("encoding/xml read wsgo output into a different value (-want +got):\n%s\ninput: %s", diff, wsOut)
		}
	})

	t.Run("c_wsgo_to_wsgo", func(t *testing.T) {
		out, err := serialize.Marshal(full)
		if err != nil {
			t.Fatalf("wsgo Marshal: %v", err)
		}
		got := newLike(full)
		if err := serialize.Unmarshal(out, got); err != nil {
			t.Fatalf("wsgo Unmarshal of wsgo output: %v\ninput: %s", err, out)
		}
		if diff := cmp.Diff(expected(false), got, diffOptions...); diff != "" {
			t.Errorf("wsgo round trip changed the value (-want +got):\n%s\ninput: %s", diff, out)
		}
	})

	t.Run("d_both_read_by_encodingxml", func(t *testing.T) {
		if wsErr != nil {
			t.Fatalf("wsgo Marshal: %v", wsErr)
		}
		fromStd, fromWs := newLike(cross), newLike(cross)
		if err := xml.Unmarshal(stdOut, fromStd); err != nil {
			t.Fatalf("test bug: encoding/xml cannot read its own output: %v\ninput: %s", err, stdOut)
		}
		if err := xml.Unmarshal(wsOut, fromWs); err != nil {
			t.Fatalf("encoding/xml Unmarshal of wsgo output: %v\ninput: %s", err, wsOut)
		}
		if diff := cmp.Diff(fromStd, fromWs, diffOptions...); diff != "" {
			t.Errorf("the two encodings read back differently (-encoding/xml +wsgo):\n%s\nencoding/xml: %s\nwsgo:         %s",
				diff, stdOut, wsOut)
		}
	})

	t.Run("d_names", func(t *testing.T) {
		if wsErr != nil {
			t.Fatalf("wsgo Marshal: %v", wsErr)
		}
		want, err := xmlNames(stdOut)
		if err != nil {
			t.Fatalf("test bug: encoding/xml output does not tokenize: %v", err)
		}
		got, err := xmlNames(wsOut)
		if err != nil {
			t.Fatalf("wsgo output does not tokenize: %v\n%s", err, wsOut)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("element/attribute names differ (-encoding/xml +wsgo):\n%s\nencoding/xml: %s\nwsgo:         %s",
				diff, stdOut, wsOut)
		}
	})
}

// newLike returns a new zero value of the type v points to.
func newLike(v any) any {
	return reflect.New(reflect.TypeOf(v).Elem()).Interface()
}

// diffOptions are the comparison rules described in the file comment.
var diffOptions = cmp.Options{
	cmpopts.EquateNaNs(),
	cmpopts.EquateEmpty(),
	cmp.Comparer(func(a, b time.Time) bool {
		_, ao := a.Zone()
		_, bo := b.Zone()
		return a.Equal(b) && ao == bo
	}),
	cmp.Comparer(func(a, b soap.XSDDateTime) bool { return attrText(a) == attrText(b) }),
	cmp.Comparer(func(a, b soap.XSDDate) bool { return attrText(a) == attrText(b) }),
	cmp.Comparer(func(a, b soap.XSDTime) bool { return attrText(a) == attrText(b) }),
	cmp.Comparer(func(a, b serialize.Decimal) bool { return lexical(a) == lexical(b) }),
	cmp.Comparer(func(a, b serialize.Date) bool { return lexical(a) == lexical(b) }),
	cmp.Comparer(func(a, b serialize.DateTime) bool { return lexical(a) == lexical(b) }),
	cmp.FilterPath(isInnerXMLField, cmp.Comparer(sameXML)),
	// Only for non-empty slices: EquateEmpty handles the rest, and two
	// options applying to the same values would be ambiguous.
	cmp.FilterValues(func(a, b []xml.Attr) bool { return len(a)+len(b) > 0 },
		cmp.Transformer("withoutXMLNS", func(attrs []xml.Attr) []xml.Attr {
			out := []xml.Attr{}
			for _, a := range attrs {
				if !isXMLNS(a.Name) {
					out = append(out, a)
				}
			}
			return out
		})),
}

// isXMLNS reports whether an attribute name is a namespace declaration as
// encoding/xml reports it: xmlns="..." or xmlns:p="...".
func isXMLNS(n xml.Name) bool {
	return n.Space == "xmlns" || (n.Space == "" && n.Local == "xmlns")
}

// attrText is the lexical form of a gowsdl XSD date/time value: its
// MarshalXMLAttr output (the only exported view of its unexported fields).
func attrText(v xml.MarshalerAttr) string {
	a, err := v.MarshalXMLAttr(xml.Name{Local: "v"})
	if err != nil {
		return "error: " + err.Error()
	}
	return a.Value
}

// lexical is the MarshalText output of v.
func lexical(v encoding.TextMarshaler) string {
	b, err := v.MarshalText()
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// isInnerXMLField reports whether the path ends at a struct field tagged
// ",innerxml".
func isInnerXMLField(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	if !ok || len(p) < 2 {
		return false
	}
	parent := p.Index(-2).Type()
	if parent.Kind() != reflect.Struct {
		return false
	}
	f, ok := parent.FieldByName(sf.Name())
	return ok && slices.Contains(strings.Split(f.Tag.Get("xml"), ","), "innerxml")
}

// sameXML reports whether two XML fragments have the same tokens: element
// and attribute names resolved to namespaces, attributes in any order and
// without xmlns declarations, adjacent character data merged.
func sameXML(a, b string) bool {
	ta, errA := xmlTokens(a)
	tb, errB := xmlTokens(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return slices.Equal(ta, tb)
}

func xmlTokens(fragment string) ([]string, error) {
	d := xml.NewDecoder(strings.NewReader("<r>" + fragment + "</r>"))
	var toks []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return toks, nil
		}
		if err != nil {
			return nil, err
		}
		var s string
		switch tok := tok.(type) {
		case xml.StartElement:
			var attrs []string
			for _, a := range tok.Attr {
				if isXMLNS(a.Name) {
					continue
				}
				attrs = append(attrs, fmt.Sprintf("{%s}%s=%q", a.Name.Space, a.Name.Local, a.Value))
			}
			slices.Sort(attrs)
			s = fmt.Sprintf("<{%s}%s %s>", tok.Name.Space, tok.Name.Local, strings.Join(attrs, " "))
		case xml.EndElement:
			s = fmt.Sprintf("</{%s}%s>", tok.Name.Space, tok.Name.Local)
		case xml.CharData:
			s = "text:" + string(tok)
			if n := len(toks); n > 0 && strings.HasPrefix(toks[n-1], "text:") {
				toks[n-1] += string(tok)
				continue
			}
		case xml.Comment:
			s = "comment:" + string(tok)
		case xml.ProcInst:
			s = "pi:" + tok.Target + " " + string(tok.Inst)
		case xml.Directive:
			s = "directive:" + string(tok)
		}
		toks = append(toks, s)
	}
}

// xmlNames lists a document's elements in order, each with its sorted
// attribute names, all namespace-resolved; xmlns declarations are left out.
func xmlNames(doc []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var names []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			var attrs []string
			for _, a := range se.Attr {
				if isXMLNS(a.Name) {
					continue
				}
				attrs = append(attrs, "@{"+a.Name.Space+"}"+a.Name.Local)
			}
			slices.Sort(attrs)
			names = append(names, strings.TrimSpace("{"+se.Name.Space+"}"+se.Name.Local+" "+strings.Join(attrs, " ")))
		}
	}
}

// walkStructs calls fn for every struct reachable from v through pointers,
// slices, arrays and struct fields (exported and embedded).
func walkStructs(v reflect.Value, fn func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStructs(v.Elem(), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStructs(v.Index(i), fn)
		}
	case reflect.Struct:
		fn(v)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStructs(v.Field(i), fn)
			}
		}
	}
}

var (
	xmlNameType       = reflect.TypeFor[xml.Name]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// fillXMLNames sets every XMLName field whose tag names an element to that
// name, as encoding/xml does when it reads the element.
func fillXMLNames(v any) {
	walkStructs(reflect.ValueOf(v), func(s reflect.Value) {
		f, ok := s.Type().FieldByName("XMLName")
		if !ok || f.Type != xmlNameType || len(f.Index) != 1 {
			return
		}
		tag, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if tag == "" {
			return
		}
		name := xml.Name{Local: tag}
		if ns, local, ok := strings.Cut(tag, " "); ok {
			name = xml.Name{Space: ns, Local: local}
		}
		s.FieldByIndex(f.Index).Set(reflect.ValueOf(name))
	})
}

// clearRawBytes sets every plain []byte field (one without MarshalText) to
// nil: the base64Binary deviation described in the file comment.
func clearRawBytes(v any) {
	walkStructs(reflect.ValueOf(v), func(s reflect.Value) {
		for i := 0; i < s.NumField(); i++ {
			f := s.Type().Field(i)
			if !f.IsExported() || f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Uint8 {
				continue
			}
			if f.Type.Implements(textMarshalerType) || reflect.PointerTo(f.Type).Implements(textMarshalerType) {
				continue
			}
			s.Field(i).SetZero()
		}
	})
}

// TestDifferentialBytesAreBase64 pins the documented []byte deviation: wsgo
// writes xsd:base64Binary, and reads it back.
func TestDifferentialBytesAreBase64(t *testing.T) {
	type blob struct {
		XMLName xml.Name `xml:"urn:wsgo:diff Blob"`
		Data    []byte   `xml:"data"`
	}
	type blobText struct {
		XMLName xml.Name `xml:"urn:wsgo:diff Blob"`
		Data    string   `xml:"data"`
	}
	data := []byte{0, 1, 2, 0xfe, 0xff, '<', '&'}
	out, err := serialize.Marshal(&blob{Data: data})
	if err != nil {
		t.Fatalf("wsgo Marshal: %v", err)
	}
	var text blobText
	if err := xml.Unmarshal(out, &text); err != nil {
		t.Fatalf("encoding/xml Unmarshal of wsgo output: %v\n%s", err, out)
	}
	if want := base64.StdEncoding.EncodeToString(data); strings.TrimSpace(text.Data) != want {
		t.Errorf("[]byte written as %q, want base64 %q", text.Data, want)
	}
	var back blob
	if err := serialize.Unmarshal(out, &back); err != nil {
		t.Fatalf("wsgo Unmarshal: %v\n%s", err, out)
	}
	if !bytes.Equal(back.Data, data) {
		t.Errorf("[]byte round trip: got %v, want %v", back.Data, data)
	}
}

// TestDifferentialFloatSpelling pins the infinity policy of the file
// comment: wsgo writes the XSD spellings, which encoding/xml can read.
func TestDifferentialFloatSpelling(t *testing.T) {
	type floats struct {
		XMLName xml.Name  `xml:"urn:wsgo:diff Floats"`
		V       []float64 `xml:"v"`
		W       []float32 `xml:"w"`
	}
	type floatsText struct {
		XMLName xml.Name `xml:"urn:wsgo:diff Floats"`
		V       []string `xml:"v"`
		W       []string `xml:"w"`
	}
	out, err := serialize.Marshal(&floats{
		V: []float64{math.Inf(1), math.Inf(-1), math.NaN()},
		W: []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())},
	})
	if err != nil {
		t.Fatalf("wsgo Marshal: %v", err)
	}
	var text floatsText
	if err := xml.Unmarshal(out, &text); err != nil {
		t.Fatalf("encoding/xml Unmarshal of wsgo output: %v\n%s", err, out)
	}
	want := []string{"INF", "-INF", "NaN"}
	if !slices.Equal(text.V, want) || !slices.Equal(text.W, want) {
		t.Errorf("special floats written as %q and %q, want %q\n%s", text.V, text.W, want, out)
	}
}

// rejectCase is an input wsgo's strict reader must refuse.
type rejectCase struct {
	name    string
	input   string
	into    func() any
	stdErr  bool        // whether encoding/xml fails too (documents the premise)
	code    errors.Code // the wsgo error code
	mention string      // text the wsgo message must contain (what went wrong, where)
}

// TestDifferentialStrict lists inputs encoding/xml accepts (or also refuses)
// that wsgo must reject in its default strict mode, with the error code.
func TestDifferentialStrict(t *testing.T) {
	primitives := func(replace, with string) string {
		doc := `<Primitives xmlns="urn:wsgo:diff"><Int>1</Int><Int8>2</Int8><Int16>3</Int16><Int32>4</Int32>` +
			`<Int64>5</Int64><Uint>6</Uint><Uint8>7</Uint8><Uint16>8</Uint16><Uint32>9</Uint32><Uint64>10</Uint64>` +
			`<Float32>1.5</Float32><Float64>2.5</Float64><Bool>true</Bool><String>s</String></Primitives>`
		if !strings.Contains(doc, replace) {
			panic("test bug: " + replace + " not in the template")
		}
		return strings.Replace(doc, replace, with, 1)
	}
	newPrimitives := func() any { return new(diffPrimitives) }
	cases := []rejectCase{
		{
			name:    "unknown element",
			input:   primitives("<String>s</String>", "<String>s</String><Bogus>1</Bogus>"),
			into:    newPrimitives,
			code:    errors.InvalidFormat,
			mention: "Bogus",
		},
		{
			name:    "unknown element in gowsdl type",
			input:   `<Add xmlns="http://example.com/calc"><a>1</a><b>2</b><carry>3</carry></Add>`,
			into:    func() any { return new(calc.Add) },
			code:    errors.InvalidFormat,
			mention: "carry",
		},
		{
			name:    "unknown nested element",
			input:   `<Paths xmlns="urn:wsgo:diff"><name>n</name><address><street>s</street><city>c</city><planet>p</planet></address></Paths>`,
			into:    func() any { return new(diffPaths) },
			code:    errors.InvalidFormat,
			mention: "planet",
		},
		{
			name:    "missing required element",
			input:   primitives("<Int32>4</Int32>", ""),
			into:    newPrimitives,
			code:    errors.InvalidFormat,
			mention: "Int32",
		},
		{
			name:    "missing required struct element",
			input:   `<Derived xmlns="urn:wsgo:diff" id="x"><created>2024-01-02T03:04:05Z</created><name>n</name></Derived>`,
			into:    func() any { return new(diffDerived) },
			code:    errors.InvalidFormat,
			mention: "version",
		},
		{
			name:    "300 into uint8",
			input:   primitives("<Uint8>7</Uint8>", "<Uint8>300</Uint8>"),
			into:    newPrimitives,
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "300",
		},
		{
			name:    "-1 into uint16",
			input:   primitives("<Uint16>8</Uint16>", "<Uint16>-1</Uint16>"),
			into:    newPrimitives,
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "-1",
		},
		{
			name:    "128 into int8",
			input:   primitives("<Int8>2</Int8>", "<Int8>128</Int8>"),
			into:    newPrimitives,
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "128",
		},
		{
			name:    "uint64 max plus one",
			input:   primitives("<Uint64>10</Uint64>", "<Uint64>18446744073709551616</Uint64>"),
			into:    newPrimitives,
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "18446744073709551616",
		},
		{
			name:    "attribute overflow",
			input:   `<Attrs xmlns="urn:wsgo:diff" count="40000"></Attrs>`,
			into:    func() any { return new(diffAttrs) },
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "40000",
		},
		{
			name:    "Go spelling of infinity",
			input:   primitives("<Float64>2.5</Float64>", "<Float64>+Inf</Float64>"),
			into:    newPrimitives,
			code:    errors.InvalidFormat,
			mention: "+Inf",
		},
		{
			name:    "Go spelling of true",
			input:   primitives("<Bool>true</Bool>", "<Bool>True</Bool>"),
			into:    newPrimitives,
			code:    errors.InvalidFormat,
			mention: "True",
		},
		{
			name:    "stray text in element-only content",
			input:   primitives("<Int>1</Int>", "stray<Int>1</Int>"),
			into:    newPrimitives,
			code:    errors.InvalidFormat,
			mention: "Primitives",
		},
		{
			name:    "gowsdl int32 overflow",
			input:   `<Add xmlns="http://example.com/calc"><a>2147483648</a><b>2</b></Add>`,
			into:    func() any { return new(calc.Add) },
			stdErr:  true,
			code:    errors.NumericOverflow,
			mention: "2147483648",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdErr := xml.Unmarshal([]byte(c.input), c.into())
			if (stdErr != nil) != c.stdErr {
				t.Fatalf("test premise broken: encoding/xml Unmarshal err = %v, want error: %v", stdErr, c.stdErr)
			}
			err := serialize.Unmarshal([]byte(c.input), c.into())
			if err == nil {
				t.Fatalf("wsgo accepted %s", c.input)
			}
			var e *errors.Error
			if !errors.As(err, &e) {
				t.Fatalf("wsgo error %T %q is not an *errors.Error", err, err)
			}
			if errors.CodeOf(err) != c.code {
				t.Errorf("code = %v, want %v (error: %v)", errors.CodeOf(err), c.code, err)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("error %q does not mention %q", err, c.mention)
			}
		})
	}
}

// --- hand-written corpus types: encoding/xml's tag features ---

type diffPrimitives struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Primitives"`
	Int     int
	Int8    int8
	Int16   int16
	Int32   int32
	Int64   int64
	Uint    uint
	Uint8   uint8
	Uint16  uint16
	Uint32  uint32
	Uint64  uint64
	Float32 float32
	Float64 float64
	Bool    bool
	String  string
}

type diffAttrs struct {
	XMLName xml.Name          `xml:"urn:wsgo:diff Attrs"`
	ID      string            `xml:"id,attr"`
	Count   int16             `xml:"count,attr"`
	Big     uint64            `xml:"big,attr"`
	Ratio   float64           `xml:"ratio,attr"`
	Enabled bool              `xml:"enabled,attr"`
	Lang    string            `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Flag    string            `xml:"urn:wsgo:ext flag,attr"`
	Opt     string            `xml:"opt,attr,omitempty"`
	Ptr     *int32            `xml:"ptr,attr"`
	When    time.Time         `xml:"when,attr"`
	Price   serialize.Decimal `xml:"price,attr"`
	Text    string            `xml:",chardata"`
}

type diffPaths struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Paths"`
	Name    string   `xml:"name"`
	Street  string   `xml:"address>street"`
	City    string   `xml:"address>city"`
	Zip     string   `xml:"address>zip,omitempty"`
	Phones  []string `xml:"contact>phone"`
	Email   string   `xml:"contact>email,omitempty"`
	Deep    []int64  `xml:"a>b>c>d"`
}

type diffItem struct {
	XMLName xml.Name          `xml:"urn:wsgo:diff item"`
	SKU     string            `xml:"sku,attr"`
	Qty     uint16            `xml:"qty"`
	Price   serialize.Decimal `xml:"price"`
}

type diffPart struct {
	No    int32   `xml:"no"`
	Label *string `xml:"label"`
}

type diffNote struct {
	Author string `xml:"author,attr,omitempty"`
	Text   string `xml:",chardata"`
}

type diffAddress struct {
	Street  string `xml:"street"`
	Country string `xml:"urn:wsgo:ext country"`
}

type diffOrder struct {
	XMLName  xml.Name            `xml:"urn:wsgo:diff Order"`
	ID       serialize.GUID      `xml:"id,attr"`
	Items    []diffItem          `xml:"item"`
	Parts    []*diffPart         `xml:"urn:wsgo:ext part"`
	Notes    []diffNote          `xml:"note"`
	Tags     []string            `xml:"tag"`
	Codes    []int32             `xml:"code"`
	Flags    []bool              `xml:"flag"`
	Ratios   []float64           `xml:"ratio"`
	Billing  diffAddress         `xml:"billing"`
	Shipping *diffAddress        `xml:"shipping"`
	Comment  *string             `xml:"comment"`
	Created  time.Time           `xml:"created"`
	Due      serialize.Date      `xml:"due"`
	Stamp    serialize.DateTime  `xml:"stamp"`
	Checksum serialize.HexBinary `xml:"checksum"`
	Total    serialize.Decimal   `xml:"total"`
}

// DiffBase and DiffAudit are embedded in diffDerived (exported: encoding/xml
// cannot allocate an embedded pointer to an unexported type).
type DiffBase struct {
	ID      string    `xml:"id,attr"`
	Created time.Time `xml:"created"`
	Version int       `xml:"version"`
}

// DiffAudit is embedded by pointer; its fields are optional.
type DiffAudit struct {
	By string     `xml:"by,omitempty"`
	At *time.Time `xml:"at,omitempty"`
}

type diffDerived struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Derived"`
	DiffBase
	*DiffAudit
	Name string `xml:"name"`
}

type diffOmit struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Omit"`
	S       string   `xml:"s,omitempty"`
	I       int64    `xml:"i,omitempty"`
	U       uint8    `xml:"u,omitempty"`
	F       float32  `xml:"f,omitempty"`
	B       bool     `xml:"b,omitempty"`
	P       *string  `xml:"p,omitempty"`
	L       []string `xml:"l,omitempty"`
	A       string   `xml:"a,attr,omitempty"`
	Skip    string   `xml:"-"`
}

type diffText struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Text"`
	Lang    string   `xml:"lang,attr"`
	Body    string   `xml:",chardata"`
}

type diffCData struct {
	XMLName xml.Name `xml:"urn:wsgo:diff CData"`
	Body    string   `xml:",cdata"`
}

type diffComment struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Comment"`
	Note    string   `xml:",comment"`
	Value   int      `xml:"value"`
}

type diffRaw struct {
	XMLName xml.Name `xml:"urn:wsgo:diff Raw"`
	ID      string   `xml:"id,attr"`
	Inner   string   `xml:",innerxml"`
}

type diffAnyElem struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
}

type diffAny struct {
	XMLName xml.Name      `xml:"urn:wsgo:diff Any"`
	Known   string        `xml:"known"`
	Others  []diffAnyElem `xml:",any"`
}

type diffFloats struct {
	XMLName xml.Name  `xml:"urn:wsgo:diff Floats"`
	F32     float32   `xml:"f32"`
	F64     float64   `xml:"f64"`
	A32     float32   `xml:"a32,attr"`
	A64     float64   `xml:"a64,attr"`
	L64     []float64 `xml:"l64"`
}

// --- corpus construction helpers ---

func ptr[T any](v T) *T { return &v }

// mustText builds a TextUnmarshaler value from its lexical form.
func mustText[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](s string) T {
	var v T
	if err := P(&v).UnmarshalText([]byte(s)); err != nil {
		panic(fmt.Sprintf("test bug: %T.UnmarshalText(%q): %v", v, s, err))
	}
	return v
}

var (
	zoneIndia   = time.FixedZone("", 5*3600+30*60)
	zonePacific = time.FixedZone("", -8*3600)
)

func differentialCorpus() []diffCase {
	var cases []diffCase
	add := func(name string, value func() any) *diffCase {
		cases = append(cases, diffCase{name: name, value: value})
		return &cases[len(cases)-1]
	}

	add("primitives/zero", func() any { return &diffPrimitives{} })
	add("primitives/max", func() any {
		return &diffPrimitives{
			Int: math.MaxInt, Int8: math.MaxInt8, Int16: math.MaxInt16, Int32: math.MaxInt32, Int64: math.MaxInt64,
			Uint: math.MaxUint, Uint8: math.MaxUint8, Uint16: math.MaxUint16, Uint32: math.MaxUint32, Uint64: math.MaxUint64,
			Float32: math.MaxFloat32, Float64: math.MaxFloat64, Bool: true,
			String: "plain ASCII",
		}
	})
	add("primitives/min", func() any {
		return &diffPrimitives{
			Int: math.MinInt, Int8: math.MinInt8, Int16: math.MinInt16, Int32: math.MinInt32, Int64: math.MinInt64,
			Uint: 1, Uint8: 1, Uint16: 1, Uint32: 1, Uint64: 1,
			Float32: -math.SmallestNonzeroFloat32, Float64: -math.SmallestNonzeroFloat64,
			String: "x",
		}
	})
	add("primitives/text", func() any {
		return &diffPrimitives{
			Int: -1, Float32: 0.1, Float64: 1e21, Bool: false,
			String: " <escaped> & \"quoted\" 'apos' ]]> \t tab\r\nCRLF\nLF  trailing  ",
		}
	})
	add("primitives/unicode", func() any {
		return &diffPrimitives{Float32: 1e-7, Float64: math.Copysign(0, -1), String: "Grüße, 東京, 🙂, \u00a0nbsp, \u2028ls"}
	})

	add("floats/finite", func() any {
		return &diffFloats{F32: 3.4028235e38, F64: 4.9e-324, A32: -1.5, A64: 123456789.125, L64: []float64{0, math.Copysign(0, -1), 1e-300, 2.5e300}}
	})
	add("floats/nan", func() any {
		return &diffFloats{F32: float32(math.NaN()), F64: math.NaN(), A32: float32(math.NaN()), A64: math.NaN(), L64: []float64{math.NaN()}}
	})
	inf := add("floats/inf", func() any {
		return &diffFloats{F32: float32(math.Inf(1)), F64: math.Inf(-1), A32: float32(math.Inf(-1)), A64: math.Inf(1), L64: []float64{math.Inf(1), 1, math.Inf(-1)}}
	})
	inf.aCode = errors.InvalidFormat

	add("attrs/all", func() any {
		return &diffAttrs{
			ID: "a-1", Count: math.MinInt16, Big: math.MaxUint64, Ratio: 0.25, Enabled: true,
			Lang: "de-CH", Flag: "on", Opt: "set", Ptr: ptr[int32](-42),
			When:  time.Date(2024, 2, 29, 23, 59, 59, 999_999_999, zoneIndia),
			Price: mustText[serialize.Decimal]("-1234.500"),
			Text:  "chardata with <markup> & \"quotes\"",
		}
	})
	add("attrs/sparse", func() any {
		return &diffAttrs{
			ID: "", When: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Price: mustText[serialize.Decimal]("0"),
			Text: "",
		}
	})

	add("paths/full", func() any {
		return &diffPaths{Name: "n", Street: "Main St 1", City: "Zürich", Zip: "8001",
			Phones: []string{"+41 44 000 00 00", "+41 79 000 00 00"}, Email: "a@example.com", Deep: []int64{1, -2, 3}}
	})
	add("paths/optional-absent", func() any {
		return &diffPaths{Name: "n", Street: "s", City: "c"}
	})

	add("order/full", func() any {
		return &diffOrder{
			ID: mustText[serialize.GUID]("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
			Items: []diffItem{
				{SKU: "A-1", Qty: 2, Price: mustText[serialize.Decimal]("19.90")},
				{SKU: "B-2", Qty: math.MaxUint16, Price: mustText[serialize.Decimal]("1234567890123456789012345678901234567890.5")},
			},
			Parts:    []*diffPart{{No: 1, Label: ptr("first")}, {No: 2}, {No: -3, Label: ptr("")}},
			Notes:    []diffNote{{Author: "ops", Text: "fragile"}, {Text: "no author"}},
			Tags:     []string{"", "b", " spaced "},
			Codes:    []int32{math.MinInt32, 0, math.MaxInt32},
			Flags:    []bool{true, false},
			Ratios:   []float64{0.5, -1e-10},
			Billing:  diffAddress{Street: "Billing 1", Country: "CH"},
			Shipping: &diffAddress{Street: "Shipping 2", Country: "DE"},
			Comment:  ptr("handle with care"),
			Created:  time.Date(2024, 3, 15, 9, 30, 0, 120_000_000, zonePacific),
			Due:      mustText[serialize.Date]("2024-04-01"),
			Stamp:    mustText[serialize.DateTime]("2024-03-15T09:30:00.5+05:30"),
			Checksum: mustText[serialize.HexBinary]("00FF10AB"),
			Total:    mustText[serialize.Decimal]("1.50"),
		}
	})
	add("order/sparse", func() any {
		return &diffOrder{
			ID:       mustText[serialize.GUID]("00000000-0000-0000-0000-000000000000"),
			Comment:  ptr(""),
			Created:  time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			Due:      mustText[serialize.Date]("2000-01-01Z"),
			Stamp:    mustText[serialize.DateTime]("2000-01-01T00:00:00"),
			Checksum: mustText[serialize.HexBinary]("0A"),
			Total:    mustText[serialize.Decimal]("-0.001"),
		}
	})

	add("embedded/with-pointer", func() any {
		return &diffDerived{
			DiffBase:  DiffBase{ID: "d-1", Created: time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC), Version: 7},
			DiffAudit: &DiffAudit{By: "auditor", At: ptr(time.Date(2024, 1, 1, 8, 0, 0, 0, zoneIndia))},
			Name:      "derived",
		}
	})
	add("embedded/nil-pointer", func() any {
		return &diffDerived{DiffBase: DiffBase{ID: "d-2", Created: time.Date(2023, 1, 1, 0, 0, 0, 0, zonePacific)}, Name: "plain"}
	})

	add("omitempty/zero", func() any { return &diffOmit{} })
	omit := add("omitempty/set", func() any {
		return &diffOmit{S: "s", I: -1, U: 255, F: 0.5, B: true, P: ptr(""), L: []string{"x", "y"}, A: "attr", Skip: "never written"}
	})
	omit.adjust = func(v any) { v.(*diffOmit).Skip = "" }

	add("chardata", func() any { return &diffText{Lang: "en", Body: "  leading and trailing space, <tags> & entities  "} })
	add("chardata/empty", func() any { return &diffText{Lang: "en"} })
	add("cdata", func() any { return &diffCData{Body: "if a < b && c > d { return ']]' }"} })
	add("comment", func() any { return &diffComment{Note: " a comment - with a dash ", Value: 3} })
	add("innerxml", func() any {
		return &diffRaw{ID: "r", Inner: `<x:payload xmlns:x="urn:wsgo:ext" x:kind="k"><x:v>1</x:v>text &amp; more</x:payload>`}
	})
	add("any", func() any {
		return &diffAny{Known: "k", Others: []diffAnyElem{
			{XMLName: xml.Name{Space: extNS, Local: "x"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "a"}, Value: "1"}}, Text: "ext"},
			{XMLName: xml.Name{Space: diffNS, Local: "y"}, Attrs: []xml.Attr{{Name: xml.Name{Space: extNS, Local: "b"}, Value: "2"}}},
		}}
	})

	cases = append(cases, calcCorpus()...)
	cases = append(cases, ordersCorpus()...)
	return cases
}

func calcCorpus() []diffCase {
	return []diffCase{
		{name: "calc/Add", value: func() any { return &calc.Add{A: math.MaxInt32, B: math.MinInt32} }},
		{name: "calc/Add-zero", value: func() any { return &calc.Add{} }},
		{name: "calc/AddResponse", value: func() any { return &calc.AddResponse{Result: -7} }},
		{name: "calc/Echo", value: func() any { return &calc.Echo{Text: `hello <world> & "friends"`} }},
		{name: "calc/Echo-fault", value: func() any { return &calc.Echo{Text: "fault"} }},
		{name: "calc/EchoResponse", value: func() any { return &calc.EchoResponse{Text: "  spaced\ttext\n"} }},
		{name: "calc/CalcFault", value: func() any { return &calc.CalcFault{Code: 42, Message: "division by zero"} }},
	}
}

func ordersCorpus() []diffCase {
	return []diffCase{
		{name: "orders/PlaceOrder-card", value: func() any {
			return &orders.PlaceOrder{Order: fullOrder(cardPayment()), DryRun: true}
		}, adjust: func(v any) { dropEmptyTags(v.(*orders.PlaceOrder).Order) }},
		{name: "orders/GetOrderResponse-bank", adjust: func(v any) { dropEmptyTags(v.(*orders.GetOrderResponse).Order) }, value: func() any {
			o := fullOrder(bankPayment())
			// Flip the nillable pointers the card order sets.
			o.ShippedAt, o.Notes = nil, nil
			o.Customer.Phone = nil
			o.Customer.ShippingAddress = nil
			o.Customer.BillingAddress.Region = nil
			o.LineItem[0].Engraving = nil
			return &orders.GetOrderResponse{Order: o}
		}},
		{name: "orders/GetOrderResponse-invoice", value: func() any {
			o := fullOrder(invoicePayment())
			o.Tag = nil
			o.Signature = nil
			// Customer.Party stays set: encoding/xml allocates an embedded
			// pointer that holds attribute fields whenever the element has any
			// attribute (read.go walks all attribute fields with
			// initNilPointers), a quirk wsgo need not copy.
			return &orders.GetOrderResponse{Order: o}
		}},
		{name: "orders/GetOrderResponse-nil", value: func() any { return &orders.GetOrderResponse{} }},
		{name: "orders/PlaceOrderResponse", value: func() any {
			return &orders.PlaceOrderResponse{
				OrderId:           "ORD-2024-0001",
				Status:            ptr(orders.OrderStatusConfirmed),
				PlacedAt:          soap.CreateXsdDateTime(time.Date(2024, 3, 15, 9, 30, 5, 0, zoneIndia), true),
				EstimatedDelivery: soap.CreateXsdDate(time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC), false),
			}
		}},
		{name: "orders/PlaceOrderResponse-zoneless", value: func() any {
			return &orders.PlaceOrderResponse{
				OrderId:           "ORD-2024-0002",
				Status:            ptr(orders.OrderStatusPending),
				PlacedAt:          soap.CreateXsdDateTime(time.Date(2024, 3, 15, 9, 30, 5, 250_000_000, time.UTC), false),
				EstimatedDelivery: soap.CreateXsdDate(time.Date(2024, 3, 20, 0, 0, 0, 0, zonePacific), true),
			}
		}},
		{name: "orders/GetOrder", value: func() any { return &orders.GetOrder{OrderId: "ORD-1", IncludeHistory: true} }},
		{name: "orders/CancelOrder", value: func() any {
			return &orders.CancelOrder{OrderId: "ORD-1", Reason: "customer request", RequestedBy: "agent 7"}
		}},
		{name: "orders/CancelOrderResponse-refund", value: func() any {
			return &orders.CancelOrderResponse{
				Cancelled: true, RefundAmount: ptr(99.95),
				CancelledAt: soap.CreateXsdDateTime(time.Date(2024, 3, 16, 12, 0, 0, 0, time.UTC), true),
			}
		}},
		{name: "orders/CancelOrderResponse-no-refund", value: func() any {
			return &orders.CancelOrderResponse{
				CancelledAt: soap.CreateXsdDateTime(time.Date(2024, 3, 16, 12, 0, 0, 0, zonePacific), true),
			}
		}},
		{name: "orders/OrderFault", value: func() any {
			return &orders.OrderFault{Code: 404, Message: "order not found", OrderId: "ORD-404"}
		}},
	}
}

// dropEmptyTags removes the empty strings from o.Tag: gowsdl tags repeated
// elements ",omitempty", and encoding/xml applies omitempty to each item of a
// slice, so an empty item is not written at all.
func dropEmptyTags(o *orders.Order) {
	o.Tag = slices.DeleteFunc(o.Tag, func(s string) bool { return s == "" })
}

// fullOrder fills every field of orders.Order, with the given payment.
func fullOrder(p *orders.Payment) *orders.Order {
	return &orders.Order{
		OrderId: "ORD-2024-0001",
		Status:  ptr(orders.OrderStatusShipped),
		Customer: &orders.Customer{
			Party: &orders.Party{
				Name: "Ada Lovelace", Email: "ada@example.com", Phone: ptr("+44 20 0000 0000"), PartyId: "P-1",
			},
			CustomerNumber: math.MaxInt64,
			Vip:            true,
			Since:          soap.CreateXsdDate(time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC), true),
			BillingAddress: &orders.Address{
				Street: "1 Analytical Way", Street2: "Floor 2", City: "London", PostalCode: "N1 9GU",
				Region: ptr(""), Country: "GB", Kind: ptr(orders.AddressKindBusiness), Validated: true,
			},
			ShippingAddress: &orders.Address{
				Street: "2 Engine Rd", City: "Zürich", PostalCode: "8001", Region: ptr("ZH"), Country: "CH",
				Kind: ptr(orders.AddressKindPo_box),
			},
			CreditLimit: 25000.75,
			Segment:     "enterprise",
		},
		OrderDate:         soap.CreateXsdDateTime(time.Date(2024, 3, 15, 9, 30, 0, 123_456_789, zoneIndia), true),
		RequestedDelivery: soap.CreateXsdDate(time.Date(2024, 3, 22, 0, 0, 0, 0, time.UTC), false),
		ShippedAt:         ptr(soap.CreateXsdDateTime(time.Date(2024, 3, 16, 18, 45, 0, 0, time.UTC), false)),
		LineItem: []*orders.LineItem{
			{
				Sku: "SKU-1", Description: "Difference engine, <brass> & steel", Quantity: 2, UnitPrice: 1999.99,
				DiscountPercent: 12.5, WeightKg: 1500.25, PackageCount: math.MaxUint8, ShelfLevel: math.MinInt8,
				BinNumber: math.MaxUint16, Gtin: math.MaxUint64, StockUnits: math.MaxUint32, GiftWrap: true,
				Engraving: ptr("For Charles"), LineNumber: 1, Backordered: true,
			},
			{Sku: "SKU-2", Quantity: math.MaxInt32, UnitPrice: 0.01, LineNumber: math.MaxInt16, Engraving: ptr("")},
			{Sku: "SKU-3", Quantity: -1, UnitPrice: -5, ShelfLevel: math.MaxInt8, LineNumber: math.MinInt16},
		},
		TotalAmount:    3999.99,
		Currency:       ptr(orders.CurrencyCodeGBP),
		Payment:        p,
		Priority:       math.MinInt16,
		SequenceNumber: math.MinInt64,
		Rush:           true,
		Notes:          ptr("Leave at the back door"),
		Tag:            []string{"gift", "", "express"},
		Signature:      []byte{0x30, 0x82, 0x01, 0x0a, 0x00, 0xff},
		Version:        math.MaxInt32,
		Channel:        "web",
	}
}

func cardPayment() *orders.Payment {
	return &orders.Payment{
		Card: &orders.CardPayment{
			Brand: ptr(orders.CardBrandMasterCard), Holder: "A. Lovelace", MaskedNumber: "5555********4444",
			ExpiryMonth: 12, ExpiryYear: 2029,
		},
		Amount: 3999.99, Currency: ptr(orders.CurrencyCodeGBP),
		AuthorizedAt: soap.CreateXsdDateTime(time.Date(2024, 3, 15, 9, 31, 0, 0, zonePacific), true),
	}
}

func bankPayment() *orders.Payment {
	return &orders.Payment{
		BankTransfer: &orders.BankTransfer{Iban: "CH93 0076 2011 6238 5295 7", Bic: "UBSWCHZH80A", Reference: ptr("INV 2024/1")},
		Amount:       0.5, Currency: ptr(orders.CurrencyCodeCHF),
		AuthorizedAt: soap.CreateXsdDateTime(time.Date(2024, 3, 15, 9, 31, 0, 0, time.UTC), false),
	}
}

func invoicePayment() *orders.Payment {
	return &orders.Payment{
		Invoice: &orders.InvoicePayment{
			InvoiceNumber: "INV-77", DueDate: soap.CreateXsdDate(time.Date(2024, 4, 14, 0, 0, 0, 0, zoneIndia), true),
			NetDays: 30, PurchaseOrder: "PO-1",
		},
		Amount: 1e6, Currency: ptr(orders.CurrencyCodeUSD),
	}
}
