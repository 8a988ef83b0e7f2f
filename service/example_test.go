package service_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http/httptest"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

type Divide struct {
	XMLName xml.Name `xml:"urn:example:calc Divide"`
	A       int      `xml:"a"`
	B       int      `xml:"b"`
}

type DivideResponse struct {
	XMLName  xml.Name `xml:"urn:example:calc DivideResponse"`
	Quotient int      `xml:"quotient"`
}

type DivideFault struct {
	XMLName  xml.Name `xml:"urn:example:calc DivideFault"`
	Dividend int      `xml:"dividend"`
}

// A host with one typed operation, called by a typed client; a fault the
// handler returns reaches the caller with its detail.
func Example() {
	h := service.NewHost()
	service.Handle(h, "urn:example:calc/Divide", func(ctx context.Context, in *Divide) (*DivideResponse, error) {
		if in.B == 0 {
			return nil, service.NewFault(message.FaultSender,
				xml.Name{Space: "urn:example:calc", Local: "DivideByZero"},
				"cannot divide by zero", &DivideFault{Dividend: in.A})
		}
		return &DivideResponse{Quotient: in.A / in.B}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx := context.Background()
	c, err := service.NewClient(ctx, srv.URL,
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close(ctx)

	out, err := service.Call[DivideResponse](ctx, c, "urn:example:calc/Divide", &Divide{A: 84, B: 2})
	fmt.Println(out.Quotient, err)

	_, err = service.Call[DivideResponse](ctx, c, "urn:example:calc/Divide", &Divide{A: 7, B: 0})
	var e *errors.Error
	if errors.As(err, &e) && e.Fault != nil {
		var d DivideFault
		_ = message.FaultDetail(e.Fault, &d)
		fmt.Println(e.Code, e.Fault.Code.Value.Local, e.Fault.Reason(), d.Dividend)
	}
	// Output:
	// 42 <nil>
	// EndpointFaultReceived DivideByZero cannot divide by zero 7
}

// Per-call custom headers go out with WithHeader; the handler reads them
// from the request message and answers with a header of its own.
func ExampleWithHeader() {
	type Tenant struct {
		XMLName xml.Name `xml:"urn:example:ctx Tenant"`
		ID      string   `xml:",chardata"`
	}
	tenant := xml.Name{Space: "urn:example:ctx", Local: "Tenant"}
	h := service.NewHost(service.WithUnderstoodHeaders(tenant))
	service.Handle(h, "urn:example:calc/Divide", func(ctx context.Context, in *Divide) (*DivideResponse, error) {
		var t Tenant
		if _, err := service.RequestMessage(ctx).CustomHeader(tenant, &t); err != nil {
			return nil, err
		}
		_ = service.AddReplyHeader(ctx, &Tenant{ID: t.ID + "-ack"}, message.HeaderAttributes{})
		return &DivideResponse{Quotient: in.A / in.B}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx := context.Background()
	c, _ := service.NewClient(ctx, srv.URL) // SOAP 1.2, WS-Addressing 1.0
	defer c.Close(ctx)
	var ack Tenant
	out, err := service.Call[DivideResponse](ctx, c, "urn:example:calc/Divide", &Divide{A: 9, B: 3},
		service.WithHeader(&Tenant{ID: "t-7"}, message.HeaderAttributes{MustUnderstand: true}),
		service.WithReplyMessage(func(m *message.Message) error {
			_, err := m.CustomHeader(tenant, &ack)
			return err
		}))
	fmt.Println(out.Quotient, ack.ID, err)
	// Output: 3 t-7-ack <nil>
}
