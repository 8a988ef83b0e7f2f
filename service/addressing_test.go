package service_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/wsgo/wsgo/channel"
	wserrors "github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

// TestHostAnswersEitherAddressingVersion: a host configured for one
// header-based WS-Addressing version serves clients of the other too, and
// answers each in the version it called with: RelatesTo, and a fault's
// Action, in the client's namespace.
func TestHostAnswersEitherAddressingVersion(t *testing.T) {
	for _, hostAddr := range []message.AddressingVersion{message.Addressing1_0, message.Addressing0_9} {
		srv := httptest.NewServer(calcHost(service.WithChannelOptions(channel.WithAddressing(hostAddr))))
		for _, clientAddr := range []message.AddressingVersion{message.Addressing1_0, message.Addressing0_9} {
			for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
				t.Run(hostAddr.String()+"/"+clientAddr.String()+"/"+env.String(), func(t *testing.T) {
					ctx := context.Background()
					ch, err := channel.New(channel.Request, channel.WithEnvelope(env), channel.WithAddressing(clientAddr))
					if err != nil {
						t.Fatal(err)
					}
					if err := ch.Open(ctx, srv.URL); err != nil {
						t.Fatal(err)
					}
					defer ch.Close(ctx)

					req, _ := ch.NewMessage()
					_ = req.Initialize(message.Request, nil)
					_ = req.SetAction(addAction)
					reply, _ := ch.NewMessage()
					var out calc.AddResponse
					if err := ch.Request(ctx, req, &calc.Add{A: 2, B: 3}, reply, &out); err != nil {
						t.Fatalf("Add: %v", err)
					}
					id, _ := req.MessageID()
					relates, _, ok := reply.RelatesTo()
					if out.Result != 5 || !ok || relates != id {
						t.Errorf("result %d, RelatesTo %q (set %v), want 5 and %q", out.Result, relates, ok, id)
					}

					req.Reset()
					reply.Reset()
					_ = req.Initialize(message.Request, nil)
					_ = req.SetAction(echoAction)
					err = ch.Request(ctx, req, &calc.Echo{Text: "fault"}, reply, nil)
					if wserrors.CodeOf(err) != wserrors.EndpointFaultReceived {
						t.Fatalf("Echo(fault): %v", err)
					}
					want := message.NamespaceAddressing1_0 + "/soap/fault"
					if clientAddr == message.Addressing0_9 {
						want = message.NamespaceAddressing0_9 + "/fault"
					}
					if action, _ := reply.Action(); action != want {
						t.Errorf("fault Action %q, want %q (the client's version)", action, want)
					}
				})
			}
		}
		srv.Close()
	}
}
