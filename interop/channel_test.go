package interop_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
)

// testTimeout is a watchdog against a hung exchange, far above what a
// loopback call takes.
const testTimeout = 60 * time.Second

// traceHeader is an application header the tests send to peers.
type traceHeader struct {
	XMLName xml.Name `xml:"urn:wsgo:interop Trace"`
	ID      string   `xml:"id"`
}

// TestChannelRequestCustomHeader drives a raw Request channel against
// node-soap in SOAP 1.2 with WS-Addressing 1.0: a custom mustUnderstand header
// reaches the peer (node-soap logs what it receives), the reply body decodes
// into the generated type, and the reply's RelatesTo and Action are the ones
// node-soap sends back.
func TestChannelRequestCustomHeader(t *testing.T) {
	srv := peers.StartNodeSOAP(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	ch, err := channel.New(channel.Request,
		channel.WithEnvelope(message.SOAP12), channel.WithAddressing(message.Addressing1_0))
	if err != nil {
		t.Fatalf("channel.New: %v", err)
	}
	if err := ch.Open(ctx, srv.URL12); err != nil {
		t.Fatalf("Open %s: %v", srv.URL12, err)
	}
	defer func() {
		if err := ch.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()

	req, err := ch.NewMessage()
	if err != nil {
		t.Fatalf("NewMessage: %v", err)
	}
	if err := req.Initialize(message.Request, nil); err != nil {
		t.Fatalf("Initialize: %v", err)
	}
	if err := req.SetAction("http://example.com/calc/Add"); err != nil {
		t.Fatalf("SetAction: %v", err)
	}
	if err := req.AddCustomHeader(&traceHeader{ID: "trace-7f3a"}, message.HeaderAttributes{MustUnderstand: true}); err != nil {
		t.Fatalf("AddCustomHeader: %v", err)
	}
	reply, err := ch.NewMessage()
	if err != nil {
		t.Fatalf("NewMessage: %v", err)
	}
	var out calc.AddResponse
	if err := ch.Request(ctx, req, &calc.Add{A: 20, B: 22}, reply, &out); err != nil {
		t.Fatalf("Request Add(20, 22): %v", err)
	}
	if out.Result != 42 {
		t.Errorf("Add(20, 22) = %d, want 42", out.Result)
	}

	id, ok := req.MessageID()
	if !ok || id == "" {
		t.Fatalf("the request has no MessageID after Request")
	}
	relatesTo, _, ok := reply.RelatesTo()
	if !ok || relatesTo != id {
		t.Errorf("reply RelatesTo = %q (set %v), want the request's MessageID %q", relatesTo, ok, id)
	}
	if action, _ := reply.Action(); action != "http://example.com/calc/CalcPortType/AddResponse" {
		t.Errorf("reply Action = %q, want node-soap's http://example.com/calc/CalcPortType/AddResponse", action)
	}
	if ct, _ := reply.MappedHeader("Content-Type"); !strings.HasPrefix(ct, "application/soap+xml") {
		t.Errorf("reply Content-Type = %q, want application/soap+xml", ct)
	}
	if st := ch.State(); st != channel.Open {
		t.Errorf("channel state after the exchange = %v, want Open", st)
	}

	// node-soap logs each envelope it received: the header went out
	// namespace-qualified, with its content and mustUnderstand in the SOAP 1.2
	// form, beside the WS-Addressing headers the channel added.
	var received string
	for _, line := range strings.Split(srv.Output(), "\n") {
		if _, env, ok := strings.Cut(line, "received: "); ok && strings.Contains(env, id) {
			received = env
		}
	}
	if received == "" {
		t.Fatalf("node-soap did not log a request with MessageID %s", id)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(received); err != nil {
		t.Fatalf("the request node-soap logged does not parse: %v\n%s", err, received)
	}
	header := doc.FindElement("/Envelope/Header")
	if header == nil {
		t.Fatalf("the request node-soap received has no Header:\n%s", received)
	}
	headers := map[string]*etree.Element{}
	for _, h := range header.ChildElements() {
		headers[h.NamespaceURI()+" "+h.Tag] = h
	}
	trace := headers["urn:wsgo:interop Trace"]
	if trace == nil {
		t.Fatalf("the request node-soap received has no {urn:wsgo:interop}Trace header:\n%s", received)
	}
	if got := trace.FindElement("id"); got == nil || got.Text() != "trace-7f3a" || got.NamespaceURI() != "urn:wsgo:interop" {
		t.Errorf("Trace header content is not {urn:wsgo:interop}id trace-7f3a:\n%s", received)
	}
	if mu := mustUnderstand(trace); mu != "1" && mu != "true" {
		t.Errorf("Trace header mustUnderstand = %q, want 1 or true in the SOAP 1.2 namespace:\n%s", mu, received)
	}
	wsa := message.NamespaceAddressing1_0
	for name, want := range map[string]string{"Action": "http://example.com/calc/Add", "To": srv.URL12, "MessageID": id} {
		if h := headers[wsa+" "+name]; h == nil || h.Text() != want {
			t.Errorf("wsa:%s header is not %q:\n%s", name, want, received)
		}
	}
}

// mustUnderstand returns the SOAP 1.2 mustUnderstand attribute of a header.
func mustUnderstand(h *etree.Element) string {
	for _, a := range h.Attr {
		if a.Key == "mustUnderstand" && a.NamespaceURI() == message.NamespaceSOAP12 {
			return a.Value
		}
	}
	return ""
}
