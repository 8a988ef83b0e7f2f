package service_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/channel"
	wserrors "github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

const (
	addAction  = "http://example.com/calc/Add"
	echoAction = "http://example.com/calc/Echo"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// calcHost serves the calc contract; Echo("fault") answers with a typed
// fault, Echo("panic-ish") with a plain error.
func calcHost(opts ...service.HostOption) *service.Host {
	h := service.NewHost(append([]service.HostOption{service.WithLogger(quiet)}, opts...)...)
	service.Handle(h, addAction, func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		return &calc.AddResponse{Result: in.A + in.B}, nil
	})
	service.Handle(h, echoAction, func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		switch in.Text {
		case "fault":
			return nil, service.NewFault(message.FaultSender, xml.Name{Space: "http://example.com/calc", Local: "CalcError"},
				"asked for a fault", &calc.CalcFault{Code: 7, Message: "detail"})
		case "secret":
			return nil, errors.New("database password is hunter2")
		}
		return &calc.EchoResponse{Text: in.Text}, nil
	})
	return h
}

func client(t *testing.T, url string, opts ...channel.Option) *service.Client {
	t.Helper()
	c, err := service.NewClient(context.Background(), url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

var versions = []struct {
	name string
	opts []channel.Option
}{
	{"soap11-transport", []channel.Option{channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport)}},
	{"soap11-wsa10", []channel.Option{channel.WithEnvelope(message.SOAP11)}},
	{"soap12-transport", []channel.Option{channel.WithAddressing(message.AddressingTransport)}},
	{"soap12-wsa10", nil},
}

func TestHostCallsAndFaults(t *testing.T) {
	srv := httptest.NewServer(calcHost())
	defer srv.Close()
	ctx := context.Background()
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			c := client(t, srv.URL, v.opts...)
			out, err := service.Call[calc.AddResponse](ctx, c, addAction, &calc.Add{A: 40, B: 2})
			if err != nil || out.Result != 42 {
				t.Fatalf("Add: %v %+v", err, out)
			}
			_, err = service.Call[calc.EchoResponse](ctx, c, echoAction, &calc.Echo{Text: "fault"})
			var e *wserrors.Error
			if !errors.As(err, &e) || e.Code != wserrors.EndpointFaultReceived || e.Fault == nil {
				t.Fatalf("fault: %v", err)
			}
			if !e.Fault.HasCode("http://example.com/calc", "CalcError") || e.Fault.Reason() != "asked for a fault" {
				t.Fatalf("fault content: %+v", e.Fault)
			}
			var d calc.CalcFault
			if err := message.FaultDetail(e.Fault, &d); err != nil || d.Code != 7 {
				t.Fatalf("detail: %v %+v", err, d)
			}
			// An internal error is not disclosed.
			_, err = service.Call[calc.EchoResponse](ctx, c, echoAction, &calc.Echo{Text: "secret"})
			if !errors.As(err, &e) || e.Fault == nil || strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("internal error: %v", err)
			}
			// An unknown action is ActionNotSupported (SOAP 1.2 subcode).
			_, err = service.Call[calc.EchoResponse](ctx, c, "urn:unknown", &calc.Echo{Text: "x"})
			if !errors.As(err, &e) || e.Fault == nil || !strings.Contains(e.Fault.Reason(), "urn:unknown") {
				t.Fatalf("unknown action: %v", err)
			}
		})
	}
}

func TestHostFaultDisclosure(t *testing.T) {
	srv := httptest.NewServer(calcHost(service.WithFaultDisclosure(true)))
	defer srv.Close()
	c := client(t, srv.URL)
	_, err := service.Call[calc.EchoResponse](context.Background(), c, echoAction, &calc.Echo{Text: "secret"})
	if !strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("full disclosure: %v", err)
	}
}

type Session struct {
	XMLName xml.Name `xml:"urn:example:session Session"`
	ID      string   `xml:"id"`
}

var sessionName = xml.Name{Space: "urn:example:session", Local: "Session"}

func TestHostMustUnderstand(t *testing.T) {
	ctx := context.Background()
	plain := httptest.NewServer(calcHost())
	defer plain.Close()
	aware := httptest.NewServer(calcHost(service.WithUnderstoodHeaders(sessionName)))
	defer aware.Close()
	hdr := service.WithHeader(&Session{ID: "1"}, message.HeaderAttributes{MustUnderstand: true})

	c := client(t, plain.URL) // SOAP 1.2
	_, err := service.Call[calc.AddResponse](ctx, c, addAction, &calc.Add{A: 1, B: 2}, hdr)
	var e *wserrors.Error
	if !errors.As(err, &e) || e.Fault == nil || e.Fault.Code.Value.Local != "MustUnderstand" {
		t.Fatalf("not understood: %v", err)
	}
	c2 := client(t, aware.URL)
	if _, err := service.Call[calc.AddResponse](ctx, c2, addAction, &calc.Add{A: 1, B: 2}, hdr); err != nil {
		t.Fatalf("understood header: %v", err)
	}
}

func TestHostOneWayAndDefaultHandler(t *testing.T) {
	var got atomic.Value
	h := service.NewHost(service.WithLogger(quiet), service.WithDefaultHandler(
		func(ctx context.Context, req *message.Message, body *etree.Element) (any, error) {
			if body == nil {
				return nil, errors.New("empty")
			}
			return &calc.EchoResponse{Text: "default:" + body.Tag}, nil
		}))
	service.HandleOneWay(h, "urn:notify", func(ctx context.Context, in *calc.Echo) error {
		got.Store(in.Text)
		return nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := context.Background()
	c := client(t, srv.URL)
	if err := c.Send(ctx, "urn:notify", &calc.Echo{Text: "ping"}); err != nil {
		t.Fatal(err)
	}
	if got.Load() != "ping" {
		t.Fatalf("one-way handler saw %v", got.Load())
	}
	out, err := service.Call[calc.EchoResponse](ctx, c, "urn:other", &calc.Add{A: 1, B: 1})
	if err != nil || out.Text != "default:Add" {
		t.Fatalf("default handler: %v %+v", err, out)
	}
}

func TestHostDispatchByElementWithoutAction(t *testing.T) {
	srv := httptest.NewServer(calcHost())
	defer srv.Close()
	c := client(t, srv.URL, channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport))
	out, err := service.Call[calc.AddResponse](context.Background(), c, "", &calc.Add{A: 3, B: 4})
	if err != nil || out.Result != 7 {
		t.Fatalf("%v %+v", err, out)
	}
}

func TestHostShutdown(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	h := service.NewHost(service.WithLogger(quiet))
	service.Handle(h, addAction, func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		close(started)
		<-release
		return &calc.AddResponse{Result: 1}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx := context.Background()
	c := client(t, srv.URL)
	done := make(chan error, 1)
	go func() {
		_, err := service.Call[calc.AddResponse](ctx, c, addAction, &calc.Add{A: 1, B: 1})
		done <- err
	}()
	<-started
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := h.Shutdown(short); wserrors.CodeOf(err) != wserrors.OperationTimedOut {
		t.Fatalf("shutdown with a request in progress: %v", err)
	}
	// New requests are refused while shutting down.
	c2 := client(t, srv.URL)
	_, err := service.Call[calc.AddResponse](ctx, c2, addAction, &calc.Add{A: 1, B: 1})
	if code := wserrors.CodeOf(err); code != wserrors.EndpointTooBusy {
		t.Fatalf("request during shutdown: %v (%v)", err, code)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	if err := h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestClientRecoversFaultedChannel(t *testing.T) {
	var slow atomic.Bool
	slow.Store(true)
	h := calcHost()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			time.Sleep(300 * time.Millisecond)
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c := client(t, srv.URL, channel.WithTimeouts(channel.Timeouts{ReceiveResponse: 50 * time.Millisecond}))
	ctx := context.Background()
	_, err := service.Call[calc.AddResponse](ctx, c, addAction, &calc.Add{A: 1, B: 1})
	if wserrors.CodeOf(err) != wserrors.OperationTimedOut || c.Channel().State() != channel.Faulted {
		t.Fatalf("slow call: %v, channel %v", err, c.Channel().State())
	}
	slow.Store(false)
	out, err := service.Call[calc.AddResponse](ctx, c, addAction, &calc.Add{A: 1, B: 1})
	if err != nil || out.Result != 2 || c.Channel().State() != channel.Open {
		t.Fatalf("after recovery: %v %+v %v", err, out, c.Channel().State())
	}
}

func TestHostFaultReplyCarriesFaultAction(t *testing.T) {
	srv := httptest.NewServer(calcHost())
	defer srv.Close()
	ctx := context.Background()
	ch, _ := channel.New(channel.Request) // SOAP 1.2, WS-Addressing 1.0
	_ = ch.Open(ctx, srv.URL)
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	_ = req.Initialize(message.Request, nil)
	_ = req.SetAction(echoAction)
	reply, _ := ch.NewMessage()
	err := ch.Request(ctx, req, &calc.Echo{Text: "fault"}, reply, nil)
	if wserrors.CodeOf(err) != wserrors.EndpointFaultReceived {
		t.Fatal(err)
	}
	id, _ := req.MessageID()
	action, _ := reply.Action()
	relates, _, _ := reply.RelatesTo()
	if action != message.NamespaceAddressing1_0+"/soap/fault" || relates != id {
		t.Fatalf("fault reply Action %q RelatesTo %q (request %q)", action, relates, id)
	}
}

func TestHostRecoversPanickingOperation(t *testing.T) {
	h := service.NewHost(service.WithLogger(quiet))
	service.Handle(h, addAction, func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		if in.A > 0 {
			panic("internal invariant broken")
		}
		return &calc.AddResponse{}, nil
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := client(t, srv.URL, channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport))
	_, err := service.Call[calc.AddResponse](context.Background(), c, addAction, &calc.Add{A: 1, B: 2})
	var e *wserrors.Error
	if !errors.As(err, &e) || e.Fault == nil || e.Fault.Code.Value.Local != "Server" || strings.Contains(err.Error(), "invariant") {
		t.Fatalf("panicking operation: %v", err)
	}
	// The host keeps serving.
	if _, err := service.Call[calc.AddResponse](context.Background(), c, addAction, &calc.Add{A: 1, B: 2}); err == nil {
		t.Fatal("second call: want the same fault")
	}
}
