package service_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	wserrors "github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

// Review tests: each one demonstrates a defect found in review (it fails
// until the defect is fixed).

const (
	reviewBlockAction = "urn:wsgo-review:block"
	reviewBigAction   = "urn:wsgo-review:big"
)

func reviewShort(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func reviewClient(t *testing.T, url string, opts ...channel.Option) *service.Client {
	t.Helper()
	all := append([]channel.Option{
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
	}, opts...)
	return client(t, url, all...)
}

// Fixed in review (regression test): an operation whose reply does not fit the host's
// MaxBufferedMessageSize (or cannot be serialized) is answered HTTP 202
// Accepted with an empty body: dispatch.go only logs SendReply's error,
// the failed SendReply faulted the Reply channel (so no fault can follow),
// and channel.NewHandler's Close answers a received-but-unanswered request
// with 202. The client sees "the operation is one-way" (InvalidFormat)
// instead of a Receiver fault.
func TestReviewHostOversizedReply(t *testing.T) {
	h := service.NewHost(service.WithLogger(quiet))
	service.Handle(h, echoAction, func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		return &calc.EchoResponse{Text: strings.Repeat("x", 100<<10)}, nil // over the host's 64 KiB
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := reviewClient(t, srv.URL, channel.WithMaxBufferedMessageSize(1<<20))
	_, err := service.Call[calc.EchoResponse](context.Background(), c, echoAction, &calc.Echo{Text: "hi"})
	if code := wserrors.CodeOf(err); code != wserrors.EndpointFaultReceived {
		t.Fatalf("reply over the host's quota: want a fault (EndpointFaultReceived), got %v: %s", code, reviewShort(err))
	}
}

// Fixed in review (regression test): after an exchange faults the client's channel, the call that
// replaces it first waits in Client.channel (client.go) for the old
// channel's Close, which waits for every other call still running on the
// old channel: up to the Close timeout (30 s by default) or until this
// caller's ctx ends, and then Close aborts those unrelated calls with
// this caller's context error.
func TestReviewClientReplacementWaitsForOldCalls(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	h := calcHost()
	service.Handle(h, reviewBlockAction, func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		arrived <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
		}
		return &calc.AddResponse{Result: 0}, nil
	})
	service.Handle(h, reviewBigAction, func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		return &calc.EchoResponse{Text: strings.Repeat("y", 8<<10)}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // before srv.Close, which waits for the blocked handler
	c := reviewClient(t, srv.URL, channel.WithMaxBufferedMessageSize(4096))

	slow := make(chan error, 1)
	go func() {
		_, err := service.Call[calc.AddResponse](context.Background(), c, reviewBlockAction, &calc.Add{A: 1, B: 2})
		slow <- err
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("watchdog: the slow call never reached the host")
	}

	// A reply over the client's 4 KiB quota faults the channel.
	_, err := service.Call[calc.EchoResponse](context.Background(), c, reviewBigAction, &calc.Echo{Text: "big"})
	if code := wserrors.CodeOf(err); code != wserrors.QuotaExceeded {
		t.Fatalf("oversized reply: want QuotaExceeded, got %v: %s", code, reviewShort(err))
	}
	if st := c.Channel().State(); st != channel.Faulted {
		t.Fatalf("after an oversized reply the channel is %v, want Faulted", st)
	}

	next := make(chan error, 1)
	go func() {
		_, err := service.Call[calc.AddResponse](context.Background(), c, addAction, &calc.Add{A: 2, B: 3})
		next <- err
	}()
	select {
	case err := <-next:
		if err != nil {
			t.Fatalf("the call after the fault: %s", reviewShort(err))
		}
	case <-time.After(5 * time.Second):
		unblock()
		<-next
		t.Fatal("watchdog: the call after the fault was held 5 s waiting for an unrelated call on the old channel")
	}
	unblock()
	if err := <-slow; err != nil {
		t.Fatalf("the slow call: %s", reviewShort(err))
	}
}
