package service_test

import (
	"context"
	"encoding/xml"
	"net/http/httptest"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

func TestSmokeService(t *testing.T) {
	h := service.NewHost()
	service.Handle(h, "http://example.com/calc/Add", func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		return &calc.AddResponse{Result: in.A + in.B}, nil
	})
	service.Handle(h, "http://example.com/calc/Echo", func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		if in.Text == "fault" {
			return nil, service.NewFault(message.FaultSender, xml.Name{Space: "http://example.com/calc", Local: "CalcError"}, "you asked for it", &calc.CalcFault{Code: 42, Message: "boom"})
		}
		return &calc.EchoResponse{Text: in.Text}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := context.Background()
	for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
		for _, addr := range []message.AddressingVersion{message.AddressingTransport, message.Addressing1_0} {
			c, err := service.NewClient(ctx, srv.URL, channel.WithEnvelope(env), channel.WithAddressing(addr))
			if err != nil {
				t.Fatal(err)
			}
			out, err := service.Call[calc.AddResponse](ctx, c, "http://example.com/calc/Add", &calc.Add{A: 2, B: 40})
			if err != nil || out.Result != 42 {
				t.Fatalf("%v %v: %v %+v", env, addr, err, out)
			}
			_, err = service.Call[calc.EchoResponse](ctx, c, "http://example.com/calc/Echo", &calc.Echo{Text: "fault"})
			var e *errors.Error
			if !errors.As(err, &e) || e.Code != errors.EndpointFaultReceived || e.Fault == nil {
				t.Fatalf("fault: %v", err)
			}
			var d calc.CalcFault
			if err := message.FaultDetail(e.Fault, &d); err != nil || d.Code != 42 {
				t.Fatalf("detail %v %+v", err, d)
			}
			t.Logf("%v %v: %v", env, addr, err)
			_, err = service.Call[calc.EchoResponse](ctx, c, "urn:nope", &calc.Echo{Text: "x"})
			t.Logf("unknown: %v", err)
			c.Close(ctx)
		}
	}
}
