package serialize_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"testing"
	"time"

	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The benchmark document, testdata/order.xml, is a purchase order of about
// 10 KB: 40 line items, attributes, three namespaces, xsd:date and
// xsd:dateTime with a zone, decimals, integers, a boolean, an optional
// element and text with escaped characters. The types below are tagged so
// that encoding/xml and this package both read and write it.

type Order struct {
	XMLName  xml.Name          `xml:"urn:example:order Order"`
	ID       string            `xml:"id,attr"`
	Version  int               `xml:"version,attr"`
	Created  time.Time         `xml:"urn:example:order Created"`
	Customer Customer          `xml:"urn:example:order Customer"`
	ShipTo   Address           `xml:"urn:example:ship ShipTo"`
	Lines    Lines             `xml:"urn:example:order Lines"`
	Total    serialize.Decimal `xml:"urn:example:order Total"`
	Rush     bool              `xml:"urn:example:order Rush"`
	Note     *string           `xml:"urn:example:order Note,omitempty"`
}

type Customer struct {
	ID    int64  `xml:"id,attr"`
	Name  string `xml:"urn:example:common Name"`
	Email string `xml:"urn:example:common Email"`
}

type Address struct {
	Country string `xml:"country,attr"`
	Street  string `xml:"urn:example:common Street"`
	City    string `xml:"urn:example:common City"`
	Zip     string `xml:"urn:example:common Zip"`
}

type Lines struct {
	Items []LineItem `xml:"urn:example:order Line"`
}

type LineItem struct {
	No          int               `xml:"no,attr"`
	SKU         string            `xml:"urn:example:order SKU"`
	Description string            `xml:"urn:example:order Description"`
	Qty         int32             `xml:"urn:example:order Qty"`
	UnitPrice   serialize.Decimal `xml:"urn:example:order UnitPrice"`
	Delivery    serialize.Date    `xml:"urn:example:ship Delivery"`
	Gift        *bool             `xml:"urn:example:order Gift,omitempty"`
}

func readOrderDoc(tb testing.TB) []byte {
	tb.Helper()
	doc, err := os.ReadFile("testdata/order.xml")
	if err != nil {
		tb.Fatal(err)
	}
	return doc
}

func loadOrder(tb testing.TB) (doc []byte, o Order) {
	tb.Helper()
	doc = readOrderDoc(tb)
	if err := serialize.Unmarshal(doc, &o); err != nil {
		tb.Fatal(err)
	}
	return doc, o
}

func BenchmarkMarshalOrder(b *testing.B) {
	doc, o := loadOrder(b)
	b.Run("wsgo", func(b *testing.B) {
		w := xmlio.NewBufferWriter(nil)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			w.Reset(nil)
			if err := serialize.MarshalElement(w, xml.Name{}, &o, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodingxml", func(b *testing.B) {
		var buf bytes.Buffer
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := xml.NewEncoder(&buf).Encode(&o); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkUnmarshalOrder(b *testing.B) {
	doc := readOrderDoc(b)
	b.Run("wsgo", func(b *testing.B) {
		r := xmlio.NewReader(doc, nil)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			r.Reset(doc)
			var o Order
			if err := serialize.UnmarshalElement(r, xml.Name{}, &o, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodingxml", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			var o Order
			if err := xml.Unmarshal(doc, &o); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkReader(b *testing.B) {
	doc := readOrderDoc(b)
	b.Run("wsgo", func(b *testing.B) {
		r := xmlio.NewReader(doc, nil)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			r.Reset(doc)
			for {
				k, err := r.Next()
				if err != nil {
					b.Fatal(err)
				}
				if k == xmlio.EOF {
					break
				}
			}
		}
	})
	b.Run("encodingxml", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(doc))
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
