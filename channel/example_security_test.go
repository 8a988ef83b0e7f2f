package channel_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
)

// A channel with service credentials: the service below wants Basic, over
// TLS; the channel allows Digest and Basic, probes once, and answers with
// the strongest scheme offered. Its test certificate is trusted through
// WithTransportSecurity.
func ExampleWithServiceAuth() {
	service := channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
	})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "alice" || pass != "wonderland" {
			w.Header().Set("WWW-Authenticate", `Basic realm="calc"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		service.ServeHTTP(w, r)
	}))
	defer srv.Close()
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	call := func(cred security.Credentials, schemes security.Scheme) {
		ctx := context.Background()
		ch, _ := channel.New(channel.Request,
			channel.WithEnvelope(message.SOAP11),
			channel.WithAddressing(message.AddressingTransport),
			channel.WithTransportSecurity(security.TLS{RootCAs: roots}),
			channel.WithServiceAuth(schemes, cred))
		if err := ch.Open(ctx, srv.URL+"/calc"); err != nil {
			fmt.Println(err)
			return
		}
		defer ch.Close(ctx)
		req, _ := ch.NewMessage()
		_ = req.Initialize(message.Request, nil)
		_ = req.SetAction("http://example.com/calc/Add")
		reply, _ := ch.NewMessage()
		var out AddResponse
		if err := ch.Request(ctx, req, &Add{A: 2, B: 3}, reply, &out); err != nil {
			fmt.Println(errors.CodeOf(err))
			return
		}
		fmt.Println(out.Result)
	}
	call(security.Credentials{Username: "alice", Password: "wonderland"}, security.Digest|security.Basic)
	call(security.Credentials{Username: "alice", Password: "guess"}, security.Digest|security.Basic)
	call(security.Credentials{Username: "alice", Password: "wonderland"}, security.Digest|security.NTLM)
	// Output:
	// 5
	// EndpointAccessDenied
	// ServerRequiresBasicAuth
}
