package interop_test

import (
	"context"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

const (
	calcNS     = "http://example.com/calc"
	actionAdd  = calcNS + "/Add"
	actionEcho = calcNS + "/Echo"
)

// serverPeer is a third-party calc server and what it does differently.
type serverPeer struct {
	name  string
	start func(testing.TB) *peers.Server
	// relatesTo: the peer answers a wsa:MessageID with wsa:RelatesTo.
	relatesTo bool
	// faultCodes are the code chains of the Echo("fault") fault as the peer
	// writes them, per SOAP version.
	faultCodes11, faultCodes12 []xml.Name
}

var serverPeers = []serverPeer{
	{
		name:         "node-soap",
		start:        peers.StartNodeSOAP,
		relatesTo:    true,
		faultCodes11: []xml.Name{{Space: message.NamespaceSOAP11, Local: "Client"}},
		faultCodes12: []xml.Name{
			{Space: message.NamespaceSOAP12, Local: "Sender"},
			{Space: calcNS, Local: "CalcError"},
		},
	},
	{
		name:  "Spyne",
		start: peers.StartSpyne,
		// Spyne writes "Client.CalcError" for 1.1, and for 1.2 an unprefixed
		// subcode QName, which is in no namespace.
		faultCodes11: []xml.Name{{Space: message.NamespaceSOAP11, Local: "Client.CalcError"}},
		faultCodes12: []xml.Name{
			{Space: message.NamespaceSOAP12, Local: "Sender"},
			{Space: "", Local: "CalcError"},
		},
	},
}

// addressingModes are the addressing versions wsgo's client is tested with;
// both peers tolerate WS-Addressing 1.0 headers (mustUnderstand included).
var addressingModes = []message.AddressingVersion{message.AddressingTransport, message.Addressing1_0}

// TestClientCallsPeers calls each third-party server through service.Client
// in SOAP 1.1 and 1.2, with transport addressing and WS-Addressing 1.0: Add,
// Echo, and Echo("fault") whose fault and CalcFault detail must decode.
func TestClientCallsPeers(t *testing.T) {
	for _, peer := range serverPeers {
		t.Run(peer.name, func(t *testing.T) {
			srv := peer.start(t)
			for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
				for _, addr := range addressingModes {
					t.Run(env.String()+"/"+addr.String(), func(t *testing.T) {
						url, codes := srv.URL11, peer.faultCodes11
						if env == message.SOAP12 {
							url, codes = srv.URL12, peer.faultCodes12
						}
						testCalls(t, peer, url, env, addr, codes)
					})
				}
			}
		})
	}
}

func testCalls(t *testing.T, peer serverPeer, url string, env message.EnvelopeVersion, addr message.AddressingVersion, faultCodes []xml.Name) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	client, err := service.NewClient(ctx, url, channel.WithEnvelope(env), channel.WithAddressing(addr))
	if err != nil {
		t.Fatalf("NewClient %s: %v", url, err)
	}
	defer func() {
		if err := client.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()

	t.Run("Add", func(t *testing.T) {
		var relatesTo string
		var hasRelatesTo bool
		out, err := service.Call[calc.AddResponse](ctx, client, actionAdd, &calc.Add{A: 2, B: 3},
			service.WithReplyMessage(func(m *message.Message) error {
				relatesTo, _, hasRelatesTo = m.RelatesTo()
				return nil
			}))
		if err != nil {
			t.Fatalf("Add(2, 3): %v", err)
		}
		if out.Result != 5 {
			t.Errorf("Add(2, 3) = %d, want 5", out.Result)
		}
		wantRelatesTo := addr == message.Addressing1_0 && peer.relatesTo
		if hasRelatesTo != wantRelatesTo || (wantRelatesTo && relatesTo == "") {
			t.Errorf("reply RelatesTo = %q (set %v), want set: %v", relatesTo, hasRelatesTo, wantRelatesTo)
		}
	})

	t.Run("Echo", func(t *testing.T) {
		const text = "héllo <wsgo> & \"friends\""
		out, err := service.Call[calc.EchoResponse](ctx, client, actionEcho, &calc.Echo{Text: text})
		if err != nil {
			t.Fatalf("Echo: %v", err)
		}
		if out.Text != text {
			t.Errorf("Echo(%q) = %q", text, out.Text)
		}
	})

	t.Run("Fault", func(t *testing.T) {
		out, err := service.Call[calc.EchoResponse](ctx, client, actionEcho, &calc.Echo{Text: "fault"})
		if err == nil {
			t.Fatalf("Echo(fault) = %+v, want a fault", out)
		}
		if code := errors.CodeOf(err); code != errors.EndpointFaultReceived {
			t.Fatalf("Echo(fault) error code = %v, want EndpointFaultReceived: %v", code, err)
		}
		var e *errors.Error
		if !errors.As(err, &e) || e.Fault == nil {
			t.Fatalf("Echo(fault) error %v carries no fault", err)
		}
		f := e.Fault
		if diff := cmp.Diff(faultCodes, f.Codes()); diff != "" {
			t.Errorf("fault codes (-want +got):\n%s", diff)
		}
		if got := f.Reason(); got != "echo fault requested" {
			t.Errorf("fault reason = %q, want %q", got, "echo fault requested")
		}
		if env == message.SOAP12 {
			if got := f.Reasons[0].Lang; got != "en" {
				t.Errorf("fault reason language = %q, want en", got)
			}
		}
		var detail calc.CalcFault
		if err := message.FaultDetail(f, &detail); err != nil {
			t.Fatalf("FaultDetail: %v", err)
		}
		want := calc.CalcFault{XMLName: xml.Name{Space: calcNS, Local: "CalcFault"}, Code: 42, Message: "Echo was asked to fail"}
		if diff := cmp.Diff(want, detail); diff != "" {
			t.Errorf("CalcFault detail (-want +got):\n%s", diff)
		}
	})
}

// mul is an operation calc.wsdl does not have.
type mul struct {
	XMLName xml.Name `xml:"http://example.com/calc Mul"`
	A       int32    `xml:"a"`
}

// TestClientPlainTextError sends node-soap a body element its WSDL does not
// know, without a SOAPAction: node-soap crashes in its parser and answers
// HTTP 500 with a plain-text JavaScript stack trace, no SOAP envelope. wsgo
// must report that as an endpoint failure carrying the HTTP status and the
// start of the body, not as a fault and not as a malformed message.
func TestClientPlainTextError(t *testing.T) {
	srv := peers.StartNodeSOAP(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	client, err := service.NewClient(ctx, srv.URL11,
		channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport))
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer client.Abort()

	out, err := service.Call[calc.AddResponse](ctx, client, "", &mul{A: 6})
	if err == nil {
		t.Fatalf("Mul = %+v, want an error", out)
	}
	if code := errors.CodeOf(err); code != errors.EndpointFailure {
		t.Errorf("error code = %v, want EndpointFailure: %v", code, err)
	}
	var status *channel.StatusError
	if !errors.As(err, &status) {
		t.Fatalf("error %v has no *channel.StatusError cause", err)
	}
	if status.StatusCode != 500 || !strings.Contains(string(status.Body), "TypeError") {
		t.Errorf("StatusError = HTTP %d body %q, want 500 with node-soap's TypeError", status.StatusCode, status.Body)
	}
	var e *errors.Error
	if errors.As(err, &e) && e.Fault != nil {
		t.Errorf("a plain-text reply produced a fault: %v", e.Fault)
	}

	// The client is still usable for the next call.
	sum, err := service.Call[calc.AddResponse](ctx, client, actionAdd, &calc.Add{A: 1, B: 2})
	if err != nil || sum.Result != 3 {
		t.Errorf("Add(1, 2) after the failure = %+v, %v; want 3", sum, err)
	}
}
