package interop_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

// calcFaultReason and calcFaultDetail are what wsgo's calc host answers
// Echo("fault") with.
const calcFaultReason = "echo fault requested"

var calcFaultDetail = calc.CalcFault{Code: 42, Message: "Echo was asked to fail"}

// newCalcHost returns a wsgo service host implementing calc.wsdl.
func newCalcHost(opts ...service.HostOption) *service.Host {
	h := service.NewHost(opts...)
	service.Handle(h, actionAdd, func(_ context.Context, in *calc.Add) (*calc.AddResponse, error) {
		return &calc.AddResponse{Result: in.A + in.B}, nil
	})
	service.Handle(h, actionEcho, func(_ context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		if in.Text == "fault" {
			detail := calcFaultDetail
			return nil, service.NewFault(message.FaultSender,
				xml.Name{Space: calcNS, Local: "CalcError"}, calcFaultReason, &detail)
		}
		return &calc.EchoResponse{Text: in.Text}, nil
	})
	return h
}

// TestZeepCallsHost has zeep, loading calc.wsdl rewritten to a loopback
// wsgo host, call Add, Echo and Echo("fault") in SOAP 1.1 and 1.2, with and
// without its WS-Addressing plugin. The host serves each version on its own
// path, as the WSDL's two ports say, and accepts only that version there.
func TestZeepCallsHost(t *testing.T) {
	host11 := newCalcHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP11)))
	host12 := newCalcHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP12)))
	mux := http.NewServeMux()
	mux.Handle(peers.Path11, host11)
	mux.Handle(peers.Path12, host12)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		for _, h := range []*service.Host{host11, host12} {
			if err := h.Shutdown(ctx); err != nil {
				t.Errorf("host Shutdown: %v", err)
			}
		}
		ts.Close()
	})
	url11, url12 := ts.URL+peers.Path11, ts.URL+peers.Path12
	wsdl := peers.CalcWSDLAt(t, url11, url12)

	for _, soap12 := range []bool{false, true} {
		for _, wsa := range []bool{false, true} {
			t.Run(fmt.Sprintf("soap12=%v/wsa=%v", soap12, wsa), func(t *testing.T) {
				url := url11
				if soap12 {
					url = url12
				}
				calls := peers.RunZeep(t, wsdl, url, peers.ZeepOptions{SOAP12: soap12, Addressing: wsa})
				checkZeepCalls(t, calls, soap12)
			})
		}
	}
}

func checkZeepCalls(t *testing.T, calls []peers.ZeepCall, soap12 bool) {
	t.Helper()
	five, hi := 5, "hi"
	// zeep reports the fault code as written, prefix included; the wanted
	// code is compared by its local part below. SOAP 1.1 has no subcodes:
	// wsgo writes the application subcode as the faultcode.
	want := []peers.ZeepCall{
		{Op: "Add", Result: &five},
		{Op: "Echo", Text: &hi},
		{Op: "Echo", Fault: &peers.ZeepFault{
			Message: calcFaultReason,
			Detail:  &peers.ZeepCalcFault{Code: int(calcFaultDetail.Code), Message: calcFaultDetail.Message},
		}},
	}
	wantCode := "CalcError"
	if soap12 {
		wantCode = "Sender"
		want[2].Fault.Subcodes = []string{"{" + calcNS + "}CalcError"}
	} else {
		want[2].Fault.Subcodes = []string{}
	}
	if len(calls) == 3 && calls[2].Fault != nil {
		f := calls[2].Fault
		if _, local, prefixed := strings.Cut(f.Code, ":"); !prefixed || local != wantCode {
			t.Errorf("zeep saw fault code %q, want a prefixed %s", f.Code, wantCode)
		}
		f.Code = ""
	}
	if diff := cmp.Diff(want, calls); diff != "" {
		t.Errorf("what zeep reported (-want +got):\n%s", diff)
	}
}
