package channel_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

type Add struct {
	XMLName xml.Name `xml:"http://example.com/calc Add"`
	A       int      `xml:"a"`
	B       int      `xml:"b"`
}

type AddResponse struct {
	XMLName xml.Name `xml:"http://example.com/calc AddResponse"`
	Result  int      `xml:"result"`
}

// A Request channel calling a service; the service here is a Reply
// channel handler on a loopback test server.
func ExampleChannel_Request() {
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return // Close answers with a fault that says why
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
	}))
	defer srv.Close()

	ctx := context.Background()
	ch, _ := channel.New(channel.Request,
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport))
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
		fmt.Println(err)
		return
	}
	ct, _ := reply.MappedHeader("Content-Type")
	fmt.Println(out.Result, ct)
	// Output: 5 text/xml; charset=utf-8
}

// A Listener serving one request pulled with Accept.
func ExampleListener() {
	ctx := context.Background()
	l := channel.NewListener(channel.WithEnvelope(message.SOAP12))
	if err := l.Open(ctx, "http://127.0.0.1:0/calc"); err != nil {
		fmt.Println(err)
		return
	}
	defer l.Close(ctx)

	done := make(chan struct{})
	go func() {
		defer close(done)
		ch, err := l.Accept(ctx)
		if err != nil {
			return
		}
		defer ch.Close(ctx)
		req, _ := ch.NewMessage()
		var in Add
		if ch.Receive(ctx, req, &in) == nil {
			reply, _ := ch.NewReplyMessage(req)
			_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A * in.B}, req)
		}
	}()

	ch, _ := channel.New(channel.Request) // SOAP 1.2, WS-Addressing 1.0
	_ = ch.Open(ctx, l.URL())
	req, _ := ch.NewMessage()
	_ = req.Initialize(message.Request, nil)
	_ = req.SetAction("http://example.com/calc/Multiply")
	reply, _ := ch.NewMessage()
	var out AddResponse
	err := ch.Request(ctx, req, &Add{A: 6, B: 7}, reply, &out)
	<-done
	_ = ch.Close(ctx)
	id, _ := req.MessageID()
	relatesTo, _, _ := reply.RelatesTo()
	fmt.Println(out.Result, err, relatesTo == id)
	// Output: 42 <nil> true
}

// Every failure has one code; an HTTP status failure also carries the
// status, and RetryAfter the delay a busy service asked for.
func Example_errors() {
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "try later", http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // nothing listens there any more

	ctx := context.Background()
	for _, url := range []string{busy.URL, gone.URL} {
		ch, _ := channel.New(channel.Request)
		_ = ch.Open(ctx, url)
		req, _ := ch.NewMessage()
		reply, _ := ch.NewMessage()
		err := ch.Request(ctx, req, &Add{A: 1, B: 2}, reply, nil)
		delay, _ := channel.RetryAfter(err)
		fmt.Println(errors.CodeOf(err), delay, ch.State())
		_ = ch.Close(ctx)
	}
	// Output:
	// EndpointTooBusy 2m0s Open
	// EndpointUnreachable 0s Open
}
