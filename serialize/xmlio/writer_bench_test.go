package xmlio_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The order document of the benchmark and the allocation test: a SOAP
// envelope with 40 line items, three namespaces, attributes, numbers, dates,
// and text that needs escaping; about 10 KB.
const (
	wrtSoapNS  = "http://www.w3.org/2003/05/soap-envelope"
	wrtOrderNS = "urn:example:orders:2024"
	wrtXsiNS   = "http://www.w3.org/2001/XMLSchema-instance"
	wrtLines   = 40
)

var wrtOrderDate = time.Date(2024, 2, 29, 13, 4, 5, 0, time.UTC)

// wrtWriteOrder writes the order document with w.
func wrtWriteOrder(w *xmlio.Writer) {
	w.WriteDeclaration()
	w.StartElement("s", "Envelope", wrtSoapNS)
	w.StartElement("s", "Body", wrtSoapNS)
	w.StartElement("", "Order", wrtOrderNS)
	w.DeclareNamespace("xsi", wrtXsiNS)
	w.Attr("", "id", "", "ORD-2024-0042")
	b := w.StartAttr("", "created", "")
	w.EndAttr(wrtOrderDate.AppendFormat(b, time.RFC3339))
	w.StartElement("", "Customer", wrtOrderNS)
	w.Text("Smith & Sons <Wholesale>")
	w.EndElement()
	for i := range wrtLines {
		w.StartElement("", "Line", wrtOrderNS)
		b = w.StartAttr("", "no", "")
		w.EndAttr(strconv.AppendInt(b, int64(i+1), 10))
		w.Attr("", "type", wrtXsiNS, "LineItem")
		w.StartElement("", "Sku", wrtOrderNS)
		w.Text("SKU-000123")
		w.EndElement()
		w.StartElement("", "Description", wrtOrderNS)
		w.Text(`Widget "deluxe" & gadget <v2>, 5% off`)
		w.EndElement()
		w.StartElement("", "Qty", wrtOrderNS)
		w.Int(int64(i%7 + 1))
		w.EndElement()
		w.StartElement("", "Price", wrtOrderNS)
		b = w.AppendText()
		w.CommitText(strconv.AppendFloat(b, 19.99+float64(i), 'f', 2, 64))
		w.EndElement()
		w.StartElement("", "Ship", wrtOrderNS)
		b = w.AppendText()
		w.CommitText(wrtOrderDate.AppendFormat(b, time.RFC3339))
		w.EndElement()
		w.EndElement()
	}
	w.EndElement()
	w.EndElement()
	w.EndElement()
}

// wrtEncodeOrder writes the same document with encoding/xml's Encoder.
func wrtEncodeOrder(e *xml.Encoder, num []byte) error {
	soap := func(l string) xml.Name { return xml.Name{Space: wrtSoapNS, Local: l} }
	ord := func(l string) xml.Name { return xml.Name{Space: wrtOrderNS, Local: l} }
	toks := make([]xml.Token, 0, 16)
	leaf := func(name xml.Name, text []byte) {
		toks = append(toks, xml.StartElement{Name: name}, xml.CharData(text), xml.EndElement{Name: name})
	}
	toks = append(toks,
		xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="utf-8"`)},
		xml.StartElement{Name: soap("Envelope")},
		xml.StartElement{Name: soap("Body")},
		xml.StartElement{Name: ord("Order"), Attr: []xml.Attr{
			{Name: xml.Name{Local: "id"}, Value: "ORD-2024-0042"},
			{Name: xml.Name{Local: "created"}, Value: wrtOrderDate.Format(time.RFC3339)},
		}})
	leaf(ord("Customer"), []byte("Smith & Sons <Wholesale>"))
	for _, t := range toks {
		if err := e.EncodeToken(t); err != nil {
			return err
		}
	}
	for i := range wrtLines {
		toks = toks[:0]
		toks = append(toks, xml.StartElement{Name: ord("Line"), Attr: []xml.Attr{
			{Name: xml.Name{Local: "no"}, Value: strconv.Itoa(i + 1)},
			{Name: xml.Name{Space: wrtXsiNS, Local: "type"}, Value: "LineItem"},
		}})
		leaf(ord("Sku"), []byte("SKU-000123"))
		leaf(ord("Description"), []byte(`Widget "deluxe" & gadget <v2>, 5% off`))
		leaf(ord("Qty"), strconv.AppendInt(num[:0], int64(i%7+1), 10))
		for _, t := range toks {
			if err := e.EncodeToken(t); err != nil {
				return err
			}
		}
		toks = toks[:0]
		leaf(ord("Price"), strconv.AppendFloat(num[:0], 19.99+float64(i), 'f', 2, 64))
		for _, t := range toks {
			if err := e.EncodeToken(t); err != nil {
				return err
			}
		}
		toks = toks[:0]
		leaf(ord("Ship"), wrtOrderDate.AppendFormat(num[:0], time.RFC3339))
		toks = append(toks, xml.EndElement{Name: ord("Line")})
		for _, t := range toks {
			if err := e.EncodeToken(t); err != nil {
				return err
			}
		}
	}
	for _, n := range []xml.Name{ord("Order"), soap("Body"), soap("Envelope")} {
		if err := e.EncodeToken(xml.EndElement{Name: n}); err != nil {
			return err
		}
	}
	return e.Flush()
}

// The order document is well-formed, namespace-correct and of the intended
// size, so the benchmark measures what it claims to.
func TestWriterOrderDocument(t *testing.T) {
	w := xmlio.NewBufferWriter(nil)
	wrtWriteOrder(w)
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	doc := w.Bytes()
	if len(doc) < 8<<10 || len(doc) > 12<<10 {
		t.Errorf("order document is %d bytes, want about 8-12 KB", len(doc))
	}
	var order struct {
		XMLName xml.Name `xml:"http://www.w3.org/2003/05/soap-envelope Envelope"`
		Lines   []struct {
			No   int     `xml:"no,attr"`
			Type string  `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
			Desc string  `xml:"urn:example:orders:2024 Description"`
			Qty  int     `xml:"urn:example:orders:2024 Qty"`
			Pr   float64 `xml:"urn:example:orders:2024 Price"`
			Ship string  `xml:"urn:example:orders:2024 Ship"`
		} `xml:"Body>Order>Line"`
	}
	if err := xml.Unmarshal(doc, &order); err != nil {
		t.Fatalf("order document does not parse: %v", err)
	}
	if len(order.Lines) != wrtLines {
		t.Fatalf("%d lines read back, want %d", len(order.Lines), wrtLines)
	}
	l := order.Lines[39]
	if l.No != 40 || l.Type != "LineItem" || l.Qty != 39%7+1 || l.Pr != 58.99 ||
		l.Desc != `Widget "deluxe" & gadget <v2>, 5% off` || l.Ship != "2024-02-29T13:04:05Z" {
		t.Errorf("last line read back as %+v", l)
	}

	// The encoding/xml variant writes an equivalent document.
	var buf bytes.Buffer
	if err := wrtEncodeOrder(xml.NewEncoder(&buf), make([]byte, 0, 64)); err != nil {
		t.Fatal(err)
	}
	order.Lines = nil
	if err := xml.Unmarshal(buf.Bytes(), &order); err != nil || len(order.Lines) != wrtLines {
		t.Fatalf("encoding/xml variant: %v, %d lines", err, len(order.Lines))
	}
}

// After the first document, writing another allocates nothing: not per
// element, not per namespace scope, not for generated prefixes.
func TestWriterSteadyStateAllocations(t *testing.T) {
	buf := xmlio.NewBufferWriter(nil)
	stream := xmlio.NewWriter(io.Discard)
	gen := xmlio.NewBufferWriter(nil)
	genDoc := func() {
		gen.StartElement("", "r", "")
		for range 50 {
			gen.StartElement("", "e", "urn:e")
			gen.Attr("", "a", "urn:a", "1") // generated prefix p1, popped at EndElement
			gen.Attr("", "b", "urn:b", "2") // generated prefix p2
			gen.Text("x & y")
			gen.EndElement()
		}
		gen.EndElement()
	}
	for _, tc := range []struct {
		name string
		run  func()
	}{
		{"buffer", func() { buf.Reset(nil); wrtWriteOrder(buf) }},
		{"streaming", func() { stream.Reset(io.Discard); wrtWriteOrder(stream); _ = stream.Flush() }},
		{"generated prefixes", func() { gen.Reset(nil); genDoc() }},
	} {
		tc.run() // first use grows the buffers
		if n := testing.AllocsPerRun(20, tc.run); n != 0 {
			t.Errorf("%s: %.1f allocations per document in steady state, want 0", tc.name, n)
		}
	}
	for _, w := range []*xmlio.Writer{buf, stream, gen} {
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkWriter(b *testing.B) {
	size := func() int64 {
		w := xmlio.NewBufferWriter(nil)
		wrtWriteOrder(w)
		return int64(len(w.Bytes()))
	}()
	b.Run("xmlio", func(b *testing.B) {
		w := xmlio.NewBufferWriter(nil)
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			w.Reset(nil)
			wrtWriteOrder(w)
		}
		if err := w.Err(); err != nil {
			b.Fatal(err)
		}
	})
	b.Run("xmlio-stream", func(b *testing.B) {
		w := xmlio.NewWriter(io.Discard)
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			w.Reset(io.Discard)
			wrtWriteOrder(w)
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodingxml", func(b *testing.B) {
		var buf bytes.Buffer
		num := make([]byte, 0, 64)
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := wrtEncodeOrder(xml.NewEncoder(&buf), num); err != nil {
				b.Fatal(err)
			}
		}
	})
}
