package xmlio

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"testing"
)

// orderDocument generates a SOAP 1.2 envelope with WS-Addressing headers
// and an order of n line items, each with attributes in several namespaces,
// an escaped description and a CDATA note: the shape of a typical body.
func orderDocument(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	b.WriteString(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` + "\n")
	b.WriteString(`  <s:Header>` + "\n")
	b.WriteString(`    <a:Action s:mustUnderstand="1">http://example.com/orders/Submit</a:Action>` + "\n")
	b.WriteString(`    <a:MessageID>urn:uuid:6B29FC40-CA47-1067-B31D-00DD010662DA</a:MessageID>` + "\n")
	b.WriteString(`    <a:To s:mustUnderstand="1">https://orders.example.com/svc</a:To>` + "\n")
	b.WriteString(`  </s:Header>` + "\n")
	b.WriteString(`  <s:Body>` + "\n")
	b.WriteString(`    <o:SubmitOrder xmlns:o="http://example.com/orders/2024" xmlns="http://example.com/orders/2024/items">` + "\n")
	b.WriteString(`      <o:Customer id="C-1001" xsi:type="o:Business"><o:Name>Contoso &amp; Sons</o:Name></o:Customer>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, `      <Item line="%d" sku="SKU-%05d" currency='EUR' xsi:type="o:LineItem">`, i+1, i*37)
		fmt.Fprintf(&b, `<Qty unit="pcs">%d</Qty><Price>%d.%02d</Price>`, i%9+1, 10+i, i%100)
		fmt.Fprintf(&b, `<Desc>Widget #%d, anodized &lt;blue&gt;</Desc>`, i)
		if i%5 == 0 {
			b.WriteString(`<Note><![CDATA[fragile: <handle with care>]]></Note>`)
		}
		b.WriteString("</Item>\n")
	}
	b.WriteString(`    </o:SubmitOrder>` + "\n")
	b.WriteString(`  </s:Body>` + "\n")
	b.WriteString(`</s:Envelope>` + "\n")
	return b.Bytes()
}

// walk reads every node, touching names and text as a consumer would.
func walk(r *Reader) (int, error) {
	n := 0
	for {
		k, err := r.Next()
		if err != nil {
			return n, err
		}
		switch k {
		case StartElement:
			n += len(r.Local()) + len(r.Namespace())
			for i := range r.AttrCount() {
				n += len(r.Attr(i).Value)
			}
		case Text:
			n += len(r.Text())
		case EOF:
			return n, nil
		}
	}
}

// BenchmarkReaderWalk walks every token of an ~8 KB SOAP order document:
// buffered, streamed from a bytes.Reader, and, for comparison,
// encoding/xml's Decoder.Token over the same bytes.
func BenchmarkReaderWalk(b *testing.B) {
	doc := orderDocument(40)
	b.Run("buffered", func(b *testing.B) {
		r := NewReader(doc, nil)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			r.Reset(doc)
			if _, err := walk(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("streamed", func(b *testing.B) {
		src := bytes.NewReader(doc)
		r := NewStreamReader(src, nil)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		for b.Loop() {
			src.Reset(doc)
			r.ResetStream(src)
			if _, err := walk(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encodingxml", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		src := bytes.NewReader(doc)
		for b.Loop() {
			src.Reset(doc)
			d := xml.NewDecoder(src)
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
