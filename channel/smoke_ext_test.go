package channel_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
)

func TestSmoke(t *testing.T) {
	h := channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in calc.Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			t.Errorf("receive: %v", err)
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		reply.Initialize(message.Reply, req)
		reply.SetAction("http://example.com/calc/AddResponse")
		if err := ch.SendReply(ctx, reply, &calc.AddResponse{Result: in.A + in.B}, req); err != nil {
			t.Errorf("reply: %v", err)
		}
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
		for _, addr := range []message.AddressingVersion{message.AddressingTransport, message.Addressing1_0} {
			ch, err := channel.New(channel.Request, channel.WithEnvelope(env), channel.WithAddressing(addr))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := ch.Open(ctx, srv.URL+"/calc"); err != nil {
				t.Fatal(err)
			}
			req, _ := ch.NewMessage()
			req.Initialize(message.Request, nil)
			req.SetAction("http://example.com/calc/Add")
			reply, _ := ch.NewMessage()
			var out calc.AddResponse
			if err := ch.Request(ctx, req, &calc.Add{A: 2, B: 3}, reply, &out); err != nil {
				t.Fatalf("%v %v: %v", env, addr, err)
			}
			if out.Result != 5 {
				t.Fatalf("result %d", out.Result)
			}
			if err := ch.Close(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
}
