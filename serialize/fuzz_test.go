package serialize_test

import (
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// FuzzMix exercises most mappings in one type.
type FuzzMix struct {
	XMLName xml.Name            `xml:"urn:f Mix"`
	ID      int16               `xml:"id,attr,omitempty"`
	Flag    *bool               `xml:"flag,attr"`
	Q       serialize.QName     `xml:"q,attr,omitempty"`
	Text    string              `xml:",chardata"`
	Name    string              `xml:"name,omitempty"`
	Nums    []uint8             `xml:"n"`
	Ratio   *float32            `xml:"ratio" wsgo:"nillable"`
	Blob    []byte              `xml:"blob,omitempty"`
	Hex     serialize.HexBinary `xml:"hex,omitempty"`
	Day     *serialize.Date     `xml:"day"`
	Span    *serialize.Duration `xml:"span"`
	ID2     *serialize.GUID     `xml:"guid"`
	When    *time.Time          `xml:"when"`
	Deep    string              `xml:"a>b>c,omitempty"`
	Kids    []*FuzzMix          `xml:"kid" wsgo:"nillable"`
	Main    Shape               `xml:"shape"`
}

var fuzzCmp = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmpopts.EquateNaNs(),
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b serialize.Decimal) bool { return a.String() == b.String() }),
	cmp.Comparer(func(a, b serialize.Date) bool { return a.String() == b.String() }),
	cmp.Comparer(func(a, b serialize.Duration) bool { return a.String() == b.String() }),
}

// fuzzSeeds are the inputs also committed under testdata/fuzz/FuzzUnmarshal.
var fuzzSeeds = []string{
	`<Mix xmlns="urn:f" id="3" flag="true">hello<name>n</name><n>1</n><n>255</n></Mix>`,
	`<f:Mix xmlns:f="urn:f" xmlns:x="urn:x" q="x:Local"><f:ratio xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/></f:Mix>`,
	`<Mix xmlns="urn:f"><blob>aGVsbG8=</blob><hex>0A0b</hex><day>2024-02-29</day><span>P1DT2H</span></Mix>`,
	`<Mix xmlns="urn:f"><guid>01020304-0506-0708-090a-0b0c0d0e0f10</guid><when>2024-01-01T10:00:00+05:00</when></Mix>`,
	`<Mix xmlns="urn:f"><a><b><c>deep</c></b></a><kid id="1"><name>k</name></kid><kid xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></Mix>`,
	`<Mix xmlns="urn:f" xmlns:s="urn:shapes" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><shape xsi:type="s:Square"><side>2.5</side></shape></Mix>`,
	`<Mix xmlns="urn:f"><n>65536</n></Mix>`,
	`<Mix xmlns="urn:f"><![CDATA[raw <text>]]>&amp;&#x41;&#13;</Mix>`,
	`<Mix xmlns="urn:f"><ratio>INF</ratio><ratio>-0</ratio></Mix>`,
	`<Mix xmlns="urn:f"><unknown/></Mix>`,
	`<?xml version="1.0"?><!-- c --><Mix xmlns="urn:f"/>`,
	`<Mix xmlns="urn:f"><kid><kid><kid><kid/></kid></kid></kid></Mix>`,
	`<o:Order xmlns:o="urn:example:order" id="x" version="1"><o:Created>2024-01-01T00:00:00Z</o:Created><o:Customer id="1"><Name>a</Name><Email/></o:Customer><ShipTo country="X"><Street/><City/><Zip/></ShipTo><o:Lines><o:Line no="1"><o:SKU/><o:Description/><o:Qty>1</o:Qty><o:UnitPrice>1.5</o:UnitPrice><Delivery>2024-01-01</Delivery></o:Line></o:Lines><o:Total>1</o:Total><o:Rush>1</o:Rush></o:Order>`,
	`<Env xmlns="urn:e"><Detail><x:y xmlns:x="urn:x" x:a="1">t<!--c--></x:y></Detail><Other/></Env>`,
	// A QName in no namespace inside a prefixed element: writing it back
	// unprefixed under a default namespace changed its namespace.
	`<f:Mix xmlns:f="urn:f" q="Local"><f:n></f:n></f:Mix>`,
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	opts := &serialize.Options{Types: shapeRegistry(), Reader: &xmlio.Options{MaxDepth: 16}}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A generous watchdog: a hang becomes a crash the fuzzer records.
		watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("FuzzUnmarshal hangs on %q", data)) })
		defer watchdog.Stop()
		fuzzOne[FuzzMix](t, data, opts, true)
		fuzzOne[Order](t, data, opts, true)
		fuzzOne[Envelope](t, data, opts, false)
	})
}

// fuzzOne reads data into a T: it must not panic, any error must be one of
// the documented codes, and what is accepted must write and read back to an
// equal value (compared when compare is set).
func fuzzOne[T any](t *testing.T, data []byte, opts *serialize.Options, compare bool) {
	var v T
	err := unmarshalWith(data, &v, opts)
	if err != nil {
		switch errors.CodeOf(err) {
		case errors.InvalidFormat, errors.NumericOverflow, errors.QuotaExceeded:
		default:
			t.Fatalf("%T: error with code %v: %v", v, errors.CodeOf(err), err)
		}
		var e *errors.Error
		if !errors.As(err, &e) {
			t.Fatalf("%T: error is %T, not *errors.Error", v, err)
		}
		return
	}
	w := xmlio.NewBufferWriter(nil)
	if err := serialize.MarshalElement(w, xml.Name{}, &v, opts); err != nil {
		t.Fatalf("%T: re-marshal of accepted input failed: %v\ninput: %q", v, err, data)
	}
	var again T
	if err := unmarshalWith(w.Bytes(), &again, opts); err != nil {
		t.Fatalf("%T: re-read failed: %v\ninput:  %q\noutput: %q", v, err, data, w.Bytes())
	}
	if compare {
		if diff := cmp.Diff(v, again, fuzzCmp...); diff != "" {
			t.Fatalf("%T: re-read differs (-first +second):\n%s\ninput:  %q\noutput: %q", v, diff, data, w.Bytes())
		}
	}
}
