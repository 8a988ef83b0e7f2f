package serialize_test

import (
	"encoding/xml"
	"fmt"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type GetQuote struct {
	XMLName xml.Name           `xml:"urn:stock GetQuote"`
	Symbol  string             `xml:"symbol"`
	Limit   *serialize.Decimal `xml:"limit,omitempty"`
	Venue   string             `xml:"venue,attr,omitempty"`
}

func ExampleMarshal() {
	limit := serialize.MustParseDecimal("101.50")
	b, err := serialize.Marshal(&GetQuote{Symbol: "ACME", Limit: &limit, Venue: "XNYS"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	// Output:
	// <GetQuote xmlns="urn:stock" venue="XNYS"><symbol>ACME</symbol><limit>101.50</limit></GetQuote>
}

func ExampleUnmarshal() {
	doc := `<s:GetQuote xmlns:s="urn:stock"><s:symbol>ACME</s:symbol></s:GetQuote>`
	var q GetQuote
	if err := serialize.Unmarshal([]byte(doc), &q); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Symbol, q.Limit == nil)

	// Errors carry a code and name the element path and line first.
	err := serialize.Unmarshal([]byte(`<GetQuote xmlns="urn:stock"><symbol>A</symbol><limit>ten</limit></GetQuote>`), &q)
	var e *errors.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code.String(), e.Strings[0])
	}
	// Output:
	// ACME true
	// InvalidFormat GetQuote/limit (line 1)
}

func ExampleMarshalElement() {
	// MarshalElement writes into a writer the caller owns, such as the
	// body of an envelope being written.
	w := xmlio.NewBufferWriter(nil)
	w.StartElement("soap", "Body", "http://www.w3.org/2003/05/soap-envelope")
	err := serialize.MarshalElement(w, xml.Name{}, &GetQuote{Symbol: "ACME"}, nil)
	w.EndElement()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(w.Bytes()))
	// Output:
	// <soap:Body xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><GetQuote xmlns="urn:stock"><symbol>ACME</symbol></GetQuote></soap:Body>
}

func ExampleUnmarshalElement() {
	doc := `<Body><GetQuote xmlns="urn:stock"><symbol>ACME</symbol></GetQuote></Body>`
	r := xmlio.NewReader([]byte(doc), nil)
	r.Next() // <Body>
	r.Next() // <GetQuote>
	var q GetQuote
	err := serialize.UnmarshalElement(r, xml.Name{Space: "urn:stock", Local: "GetQuote"}, &q, nil)
	fmt.Println(q.Symbol, err, string(r.Local()))
	// Output:
	// ACME <nil> GetQuote
}
