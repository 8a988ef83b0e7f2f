package message_test

import (
	"encoding/xml"
	"fmt"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

type Session struct {
	XMLName xml.Name `xml:"urn:example:session Session"`
	ID      string   `xml:"urn:example:session ID"`
}

type Order struct {
	XMLName xml.Name `xml:"urn:example:orders Order"`
	Item    string   `xml:"urn:example:orders Item"`
	Qty     int      `xml:"urn:example:orders Qty"`
}

// Build a request with a custom header, write it, read it back, and get
// the header and the body. Every call that can fail is checked: a wrong
// state, a bad header value or a malformed envelope each says what went
// wrong.
func Example() {
	// Send side.
	req, err := message.New(message.SOAP12, message.Addressing1_0, &message.Options{
		NewMessageID: func() string { return "urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da" },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := req.Initialize(message.Request, nil); err != nil {
		fmt.Println(err)
		return
	}
	if err := req.SetAction("urn:example:orders/Place"); err != nil {
		fmt.Println(err)
		return
	}
	if err := req.Address(&message.EndpointAddress{URL: "https://shop.example/orders"}); err != nil {
		fmt.Println(err)
		return
	}
	if err := req.AddCustomHeader(&Session{ID: "s-42"}, message.HeaderAttributes{MustUnderstand: true}); err != nil {
		fmt.Println(err)
		return
	}
	w := xmlio.NewBufferWriter(nil)
	if err := req.WriteStart(w); err != nil {
		fmt.Println(err)
		return
	}
	if err := req.WriteBody(&Order{Item: "widget", Qty: 3}); err != nil {
		fmt.Println(err)
		return
	}
	if err := req.WriteEnd(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(w.Bytes()))

	// Receive side.
	in, err := message.New(message.SOAP12, message.Addressing1_0, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := in.ReadStart(xmlio.NewReader(w.Bytes(), nil)); err != nil {
		fmt.Println(err)
		return
	}
	action, _ := in.Action() // false only when the header is absent
	var s Session
	attrs, err := in.CustomHeader(xml.Name{Space: "urn:example:session", Local: "Session"}, &s)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := in.CheckMustUnderstand(); err != nil {
		fmt.Println(err)
		return
	}
	var o Order
	if err := in.ReadBody(&o); err != nil {
		fmt.Println(err)
		return
	}
	if err := in.ReadEnd(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(action, s.ID, attrs.MustUnderstand, o.Item, o.Qty)
	// Output:
	// <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">urn:example:orders/Place</a:Action><a:MessageID>urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da</a:MessageID><a:To s:mustUnderstand="1">https://shop.example/orders</a:To><Session xmlns="urn:example:session" s:mustUnderstand="1"><ID>s-42</ID></Session></s:Header><s:Body><Order xmlns="urn:example:orders"><Item>widget</Item><Qty>3</Qty></Order></s:Body></s:Envelope>
	// urn:example:orders/Place s-42 true widget 3
}

// A service answers a request it could not process with a fault reply.
func ExampleNewFault() {
	req, err := message.New(message.SOAP11, message.AddressingTransport, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := req.ReadStart(xmlio.NewReader([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`), nil)); err != nil {
		fmt.Println(err)
		return
	}

	reply, err := message.New(message.SOAP11, message.AddressingTransport, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := reply.Initialize(message.FaultReply, req); err != nil {
		fmt.Println(err)
		return
	}
	w := xmlio.NewBufferWriter(nil)
	if err := reply.WriteStart(w); err != nil {
		fmt.Println(err)
		return
	}
	if err := reply.WriteBody(message.NewFault(message.SOAP11, message.FaultSender, "Qty must be positive")); err != nil {
		fmt.Println(err)
		return
	}
	if err := reply.WriteEnd(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(reply.IsFault())
	fmt.Println(string(w.Bytes()))

	// The client reads it back.
	in, err := message.New(message.SOAP11, message.AddressingTransport, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := in.ReadStart(xmlio.NewReader(w.Bytes(), nil)); err != nil {
		fmt.Println(err)
		return
	}
	var f errors.Fault
	if err := in.ReadBody(&f); err != nil {
		fmt.Println(err)
		return
	}
	if err := in.ReadEnd(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.IsFault(), f.Code.Value.Local, f.Reason())
	// Output:
	// true
	// <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en">Qty must be positive</faultstring></s:Fault></s:Body></s:Envelope>
	// true Client Qty must be positive
}
