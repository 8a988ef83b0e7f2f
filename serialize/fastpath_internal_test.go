package serialize

// Differential test of the leaf and flat fast paths (leaf.go, flat.go)
// against the general path: the same random values, written through plans
// compiled with and without the fast paths, must give the same bytes or the
// same error.

import (
	"bytes"
	"encoding/xml"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type dOuter struct {
	XMLName xml.Name   `xml:"urn:d Outer"`
	ID      string     `xml:"id,attr"`
	S       string     `xml:"s"`
	SNS     string     `xml:"urn:e sns"`
	P       *string    `xml:"p"`
	PN      *string    `xml:"pn" wsgo:"nillable"`
	Rep     []string   `xml:"rep"`
	RepP    []*string  `xml:"repp" wsgo:"nillable"`
	O       string     `xml:"o,omitempty"`
	I       int32      `xml:"i"`
	U       uint64     `xml:"u"`
	F       float64    `xml:"f"`
	F32     float32    `xml:"f32"`
	B       bool       `xml:"b"`
	Bin     []byte     `xml:"bin"`
	T       time.Time  `xml:"t"`
	D       Decimal    `xml:"d"`
	TM      dText      `xml:"tm"`
	TA      dAppend    `xml:"urn:z ta"`
	Flat    dFlat      `xml:"flat"`
	FlatNS  dFlat      `xml:"urn:e flatns"`
	Flats   []dFlat    `xml:"flats"`
	FlatP   *dFlat     `xml:"flatp"`
	Named   dNamed     `xml:"named"`
	Mixed   dMixed     `xml:"mixed"`
	Shadow  *dFlat     `xml:"urn:z shadow"`
	Names   []dNamedNS `xml:"nn"`
}

type dFlat struct {
	A  string   `xml:"a,attr"`
	N  int      `xml:"n,attr,omitempty"`
	TA dText    `xml:"t,attr,omitempty"`
	X  string   `xml:"x"`
	Y  string   `xml:"urn:d y"`
	Z  string   `xml:"urn:z z"`
	R  []string `xml:"r"`
}

// dNamed is flat with a run-time element name.
type dNamed struct {
	XMLName xml.Name
	V       string `xml:"v"`
}

type dNamedNS struct {
	XMLName xml.Name `xml:"urn:z nn"`
	V       string   `xml:"v"`
}

// dMixed is not flat: it has chardata.
type dMixed struct {
	A string `xml:"a,attr"`
	T string `xml:",chardata"`
	K string `xml:"k"`
}

// dText is an encoding.TextMarshaler whose text may need escaping.
type dText string

func (t dText) MarshalText() ([]byte, error) { return []byte(t), nil }

// dAppend is also an encoding.TextAppender.
type dAppend string

func (t dAppend) MarshalText() ([]byte, error)        { return []byte(t), nil }
func (t dAppend) AppendText(b []byte) ([]byte, error) { return append(b, t...), nil }
func (t *dAppend) UnmarshalText(b []byte) error       { *t = dAppend(b); return nil }

// randText returns a string that is usually valid XML text: every ASCII
// character (controls rarely), CR, tabs, non-ASCII letters, sometimes
// invalid UTF-8, and lengths around leafMaxValue.
func randText(r *rand.Rand) string {
	n := r.IntN(12)
	switch r.IntN(10) {
	case 0:
		n = leafMaxValue - 3 + r.IntN(7)
	case 1:
		n = leafMaxValue/4*3 - 2 + r.IntN(5)
	case 2:
		n = 0
	}
	var b strings.Builder
	for b.Len() < n {
		switch k := r.IntN(100); {
		case k < 60:
			b.WriteByte(byte(0x20 + r.IntN(0x5f)))
		case k < 70:
			b.WriteString([]string{"&", "<", ">", `"`, "'", "]]>", "\r", "\r\n", "\t", "\n"}[r.IntN(10)])
		case k < 85:
			b.WriteRune([]rune{'é', 'ß', '中', '😀', '\u0085', '\u2028', '\uFFFD', '\u00A0'}[r.IntN(8)])
		case k < 99:
			b.WriteByte(byte(r.IntN(0x80)))
		default:
			b.WriteByte([]byte{0xff, 0xc3, 0x80, 0xed}[r.IntN(4)])
		}
	}
	s := b.String()
	if r.IntN(20) != 0 {
		// Most values are valid, so that most documents are written.
		s = strings.Map(func(c rune) rune {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == utf8.RuneError {
				return 'x'
			}
			return c
		}, strings.ToValidUTF8(s, "x"))
	}
	return s
}

func randFlat(r *rand.Rand) dFlat {
	f := dFlat{A: randText(r), X: randText(r), Y: randText(r), Z: randText(r)}
	if r.IntN(2) == 0 {
		f.N = r.IntN(100)
	}
	if r.IntN(3) == 0 {
		f.TA = dText(randText(r))
	}
	for range r.IntN(3) {
		f.R = append(f.R, randText(r))
	}
	return f
}

func randOuter(r *rand.Rand) *dOuter {
	o := &dOuter{ID: randText(r), S: randText(r), SNS: randText(r), O: randText(r),
		I: r.Int32(), U: r.Uint64(), F: []float64{0, -0.5, 1e300, math.Inf(-1), math.NaN(), r.NormFloat64()}[r.IntN(6)],
		F32: float32(r.NormFloat64()), B: r.IntN(2) == 0,
		T: time.Unix(r.Int64N(1<<33), r.Int64N(1e9)).In(time.FixedZone("", 3600*(r.IntN(25)-12))),
		D: MustParseDecimal("-12.5"), TM: dText(randText(r)), TA: dAppend(randText(r)),
		Flat: randFlat(r), FlatNS: randFlat(r),
		Named: dNamed{XMLName: xml.Name{Space: []string{"", "urn:d", "urn:q"}[r.IntN(3)], Local: []string{"", "nm", "bad name", "a<b", "é"}[r.IntN(5)]}, V: randText(r)},
		Mixed: dMixed{A: randText(r), T: randText(r), K: randText(r)},
	}
	if r.IntN(2) == 0 {
		s := randText(r)
		o.P = &s
	}
	if r.IntN(2) == 0 {
		s := randText(r)
		o.PN = &s
	}
	for range r.IntN(4) {
		o.Rep = append(o.Rep, randText(r))
	}
	for range r.IntN(4) {
		var p *string
		if r.IntN(2) == 0 {
			s := randText(r)
			p = &s
		}
		o.RepP = append(o.RepP, p)
	}
	if r.IntN(2) == 0 {
		o.Bin = []byte(randText(r))
	}
	for range r.IntN(3) {
		o.Flats = append(o.Flats, randFlat(r))
	}
	if r.IntN(2) == 0 {
		f := randFlat(r)
		o.FlatP = &f
	}
	if r.IntN(2) == 0 {
		f := randFlat(r)
		o.Shadow = &f
	}
	for range r.IntN(3) {
		o.Names = append(o.Names, dNamedNS{V: randText(r)})
	}
	return o
}

// marshalGeneral is MarshalElement with a plan compiled without the fast
// paths.
func marshalGeneral(w *xmlio.Writer, v any) error {
	rv := reflect.ValueOf(v)
	b := builder{pending: make(map[reflect.Type]*codec), general: true}
	c, err := b.build(rv.Type().Elem())
	if err != nil {
		return finish(err, "marshal")
	}
	e := getEncoder(w, nil)
	err = e.element(c, rv.UnsafePointer(), xml.Name{}, false, nil)
	e.flushLeaves()
	putEncoder(e)
	if err == nil {
		err = w.Err()
	} else {
		err = at(err, rootName(c, xml.Name{}))
	}
	return finish(err, "marshal")
}

// writerSetups open the scope the value is written in: nothing, a prefix
// the caller bound to the type's namespace, a default namespace that is
// not the type's, a prefixed and a default binding of a field namespace.
var writerSetups = []struct {
	name string
	open func(w *xmlio.Writer)
}{
	{"root", func(w *xmlio.Writer) {}},
	{"caller prefix", func(w *xmlio.Writer) {
		w.StartElement("d", "Env", "urn:d")
		w.DeclareNamespace("e", "urn:e")
	}},
	{"other default", func(w *xmlio.Writer) { w.StartElement("", "Env", "urn:e") }},
	{"z prefixed and default", func(w *xmlio.Writer) {
		w.StartElement("zz", "Env", "urn:z")
		w.DeclareNamespace("", "urn:z")
		w.StartElement("", "Body", "urn:y")
	}},
}

func TestFastPathsMatchGeneralPath(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 1500
	if testing.Short() {
		n = 200
	}
	var fastBuf, slowBuf bytes.Buffer
	var fails, oks int
	for i := range n {
		v := randOuter(r)
		for _, s := range writerSetups {
			for _, stream := range []bool{false, true} {
				var fw, sw *xmlio.Writer
				if stream {
					fastBuf.Reset()
					slowBuf.Reset()
					fw, sw = xmlio.NewWriter(&fastBuf), xmlio.NewWriter(&slowBuf)
				} else {
					fw, sw = xmlio.NewBufferWriter(nil), xmlio.NewBufferWriter(nil)
				}
				s.open(fw)
				s.open(sw)
				ferr := MarshalElement(fw, xml.Name{}, v, nil)
				serr := marshalGeneral(sw, v)
				if ferr == nil {
					ferr = fw.Flush()
				}
				if serr == nil {
					serr = sw.Flush()
				}
				fout, sout := fw.Bytes(), sw.Bytes()
				if stream {
					fout, sout = fastBuf.Bytes(), slowBuf.Bytes()
				}
				switch {
				case (ferr == nil) != (serr == nil):
					t.Fatalf("value %d, %s: fast path error %v, general path error %v", i, s.name, ferr, serr)
				case ferr != nil:
					fails++
					if errors.CodeOf(ferr) != errors.CodeOf(serr) || ferr.Error() != serr.Error() {
						t.Fatalf("value %d, %s: errors differ:\nfast:    %v\ngeneral: %v", i, s.name, ferr, serr)
					}
				default:
					oks++
					if !bytes.Equal(fout, sout) {
						t.Fatalf("value %d, %s, stream %v: output differs:\nfast:    %.3000q\ngeneral: %.3000q", i, s.name, stream, fout, sout)
					}
				}
			}
		}
	}
	if oks == 0 || fails == 0 {
		t.Errorf("%d documents written, %d refused: the generator should produce both", oks, fails)
	}
}

// ownEscape is a type of this package with AppendText and UnmarshalText,
// like AnyURI, whose text may need escaping.
type ownEscape string

func (o ownEscape) AppendText(b []byte) ([]byte, error) { return append(b, o...), nil }
func (o ownEscape) MarshalText() ([]byte, error)        { return []byte(o), nil }
func (o *ownEscape) UnmarshalText(b []byte) error       { *o = ownEscape(b); return nil }

type ownEscapeHolder struct {
	XMLName xml.Name    `xml:"urn:o H"`
	A       ownEscape   `xml:"a,attr"`
	V       ownEscape   `xml:"v"`
	P       *ownEscape  `xml:"p"`
	L       []ownEscape `xml:"l"`
	In      struct {
		V ownEscape `xml:"v"`
	} `xml:"in"`
}

// Text types of this package other than the known lexical types are
// escaped like any text (AnyURI may hold '&' and '<').
func TestOwnPackageTextTypesAreEscaped(t *testing.T) {
	s := ownEscape(`a&b<c>"d'`)
	in := ownEscapeHolder{A: s, V: s, P: &s, L: []ownEscape{s, s}}
	in.In.V = s
	b, err := Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	var out ownEscapeHolder
	if err := Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if out.A != s || out.V != s || *out.P != s || len(out.L) != 2 || out.L[1] != s || out.In.V != s {
		t.Errorf("%s read back as %+v", b, out)
	}
	for typ := range ownTextFuncs {
		c, err := codecFor(typ)
		if err != nil || c.enc != kOwnText || c.own == nil {
			t.Errorf("%v: codec %+v, %v", typ, c, err)
		}
	}
	if c, _ := codecFor(reflect.TypeFor[ownEscape]()); c.enc == kOwnText {
		t.Errorf("ownEscape is written unescaped (kOwnText)")
	}
}
