package serialize_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooklift/gowsdl/soap"

	"github.com/wsgo/wsgo/serialize"
)

// Types in the shape hooklift/gowsdl generates: an XMLName with the
// target namespace on element types, unqualified field tags with omitempty
// for minOccurs="0", pointers for nillable elements, soap.XSDDateTime for
// xsd:dateTime (which implements xml.Marshaler and xml.Unmarshaler).

type AnyURI string

type TradePriceRequest struct {
	XMLName      xml.Name          `xml:"http://example.com/stockquote.xsd TradePriceRequest"`
	TickerSymbol string            `xml:"tickerSymbol,omitempty" json:"tickerSymbol,omitempty"`
	AsOf         *soap.XSDDateTime `xml:"asOf,omitempty" json:"asOf,omitempty"`
	Source       AnyURI            `xml:"source,omitempty"`
	Limit        *int32            `xml:"limit,omitempty"`
	Comment      *string           `xml:"comment,omitempty"`
	Exchange     string            `xml:"exchange,attr,omitempty"`
}

type TradePrice struct {
	XMLName xml.Name         `xml:"http://example.com/stockquote.xsd TradePrice"`
	Price   float32          `xml:"price,omitempty"`
	At      soap.XSDDateTime `xml:"at,omitempty"`
	Quotes  []*Quote         `xml:"quote,omitempty"`
}

type Quote struct {
	Venue string  `xml:"venue,attr,omitempty"`
	Bid   float64 `xml:"bid,omitempty"`
}

func TestGowsdlStyleTypes(t *testing.T) {
	limit := int32(10)
	at := soap.CreateXsdDateTime(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), true)
	in := TradePriceRequest{TickerSymbol: "ACME", AsOf: &at, Source: "urn:feed", Limit: &limit, Exchange: "NYSE"}
	doc, err := serialize.Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	// The unqualified fields are in the target namespace, as encoding/xml
	// (and so gowsdl's runtime) writes them.
	std, _ := xml.Marshal(&in)
	var viaStd, viaWsgo TradePriceRequest
	if err := xml.Unmarshal(doc, &viaStd); err != nil {
		t.Fatal(err)
	}
	if err := serialize.Unmarshal(std, &viaWsgo); err != nil {
		t.Fatalf("%v\n%s", err, std)
	}
	for _, got := range []TradePriceRequest{viaStd, viaWsgo} {
		if got.TickerSymbol != "ACME" || got.AsOf == nil || !got.AsOf.ToGoTime().Equal(at.ToGoTime()) ||
			got.Source != "urn:feed" || *got.Limit != 10 || got.Comment != nil || got.Exchange != "NYSE" {
			t.Errorf("got %+v\nwsgo doc: %s\nstd doc:  %s", got, doc, std)
		}
	}
	if !strings.Contains(string(doc), ">2024-05-06T07:08:09Z</asOf>") {
		t.Errorf("XSDDateTime written as %s", doc)
	}

	// A zero soap.XSDDateTime writes nothing; it is not required on read.
	var price TradePrice
	doc, err = serialize.Marshal(&TradePrice{Price: 1.5, Quotes: []*Quote{{Venue: "X", Bid: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := serialize.Unmarshal(doc, &price); err != nil {
		t.Fatalf("%v\n%s", err, doc)
	}
	if price.Price != 1.5 || len(price.Quotes) != 1 || price.Quotes[0].Venue != "X" {
		t.Errorf("got %+v from %s", price, doc)
	}
	// A reply with a prefix and a time zone, read by the fallback.
	src := `<ns:TradePrice xmlns:ns="http://example.com/stockquote.xsd"><ns:price>3.25</ns:price>` +
		`<ns:at>2024-01-02T03:04:05+02:00</ns:at><ns:quote venue="Y"/></ns:TradePrice>`
	price = TradePrice{}
	if err := serialize.Unmarshal([]byte(src), &price); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC); !price.At.ToGoTime().Equal(want) || price.Price != 3.25 {
		t.Errorf("got %+v", price)
	}
	src = strings.Replace(src, "2024-01-02T03:04:05+02:00", "yesterday", 1)
	checkErr(t, serialize.Unmarshal([]byte(src), &price), 0x803D0000, "TradePrice/at (line 1)")
}

type Attrs2 struct {
	XMLName xml.Name          `xml:"A"`
	When    *soap.XSDDateTime `xml:"when,attr,omitempty"`
}

func TestMarshalerAttrFallback(t *testing.T) {
	at := soap.CreateXsdDateTime(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), true)
	out, doc := roundTrip(t, Attrs2{When: &at})
	if out.When == nil || !out.When.ToGoTime().Equal(at.ToGoTime()) || !strings.Contains(doc, `when="2024-05-06T07:08:09Z"`) {
		t.Errorf("got %+v from %s", out, doc)
	}
}

func TestConcurrentUse(t *testing.T) {
	doc, want := loadOrder(t)
	reg := shapeRegistry()
	opts := &serialize.Options{Types: reg}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				var o Order
				if err := serialize.Unmarshal(doc, &o); err != nil {
					errs <- err
					return
				}
				if o.Lines.Items[39].SKU != want.Lines.Items[39].SKU {
					errs <- fmt.Errorf("goroutine %d: wrong SKU %q", g, o.Lines.Items[39].SKU)
					return
				}
				b, err := serialize.Marshal(&o)
				if err != nil {
					errs <- err
					return
				}
				var again Order
				if err := serialize.Unmarshal(b, &again); err != nil {
					errs <- err
					return
				}
				d := marshalWith(t, &Drawing{Main: &Square{Side: float64(i)}}, opts)
				var dr Drawing
				if err := unmarshalWith(d, &dr, opts); err != nil || dr.Main.(*Square).Side != float64(i) {
					errs <- fmt.Errorf("drawing: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
