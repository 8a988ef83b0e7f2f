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
// the header and the body.
func Example() {
	// Send side.
	req, _ := message.New(message.SOAP12, message.Addressing1_0, &message.Options{
		NewMessageID: func() string { return "urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da" },
	})
	req.Initialize(message.Request, nil)
	req.SetAction("urn:example:orders/Place")
	req.Address(&message.EndpointAddress{URL: "https://shop.example/orders"})
	req.AddCustomHeader(&Session{ID: "s-42"}, message.HeaderAttributes{MustUnderstand: true})
	w := xmlio.NewBufferWriter(nil)
	req.WriteStart(w)
	req.WriteBody(&Order{Item: "widget", Qty: 3})
	if err := req.WriteEnd(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(w.Bytes()))

	// Receive side.
	in, _ := message.New(message.SOAP12, message.Addressing1_0, nil)
	if err := in.ReadStart(xmlio.NewReader(w.Bytes(), nil)); err != nil {
		fmt.Println(err)
		return
	}
	action, _ := in.Action()
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
	req, _ := message.New(message.SOAP11, message.AddressingTransport, nil)
	req.ReadStart(xmlio.NewReader([]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>`), nil))

	reply, _ := message.New(message.SOAP11, message.AddressingTransport, nil)
	reply.Initialize(message.FaultReply, req)
	w := xmlio.NewBufferWriter(nil)
	reply.WriteStart(w)
	reply.WriteBody(message.NewFault(message.SOAP11, message.FaultSender, "Qty must be positive"))
	reply.WriteEnd()
	fmt.Println(reply.IsFault())
	fmt.Println(string(w.Bytes()))

	// The client reads it back.
	in, _ := message.New(message.SOAP11, message.AddressingTransport, nil)
	in.ReadStart(xmlio.NewReader(w.Bytes(), nil))
	var f errors.Fault
	in.ReadBody(&f)
	fmt.Println(in.IsFault(), f.Code.Value.Local, f.Reason())
	// Output:
	// true
	// <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en">Qty must be positive</faultstring></s:Fault></s:Body></s:Envelope>
	// true Client Qty must be positive
}
