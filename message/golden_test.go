package message

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wsgo/wsgo/errors"
)

var update = flag.Bool("update", false, "rewrite the golden envelopes in testdata/golden")

// goldenCase is one golden envelope.
type goldenCase struct {
	name    string
	env     EnvelopeVersion
	addr    AddressingVersion
	headers bool // with the two custom headers
	fault   bool // a fault body instead of the order
}

func goldenCases() []goldenCase {
	var cases []goldenCase
	envs := []struct {
		name string
		env  EnvelopeVersion
	}{{"soap11", SOAP11}, {"soap12", SOAP12}}
	addrs := []struct {
		name string
		addr AddressingVersion
	}{{"addr09", Addressing0_9}, {"addr10", Addressing1_0}, {"transport", AddressingTransport}}
	for _, e := range envs {
		for _, a := range addrs {
			base := e.name + "_" + a.name
			cases = append(cases,
				goldenCase{name: base, env: e.env, addr: a.addr},
				goldenCase{name: base + "_headers", env: e.env, addr: a.addr, headers: true})
		}
		cases = append(cases, goldenCase{name: e.name + "_fault", env: e.env, addr: Addressing1_0, fault: true})
	}
	return append(cases, goldenCase{name: "none_transport", env: EnvelopeNone, addr: AddressingTransport})
}

// testFault is the fault of the fault goldens: two subcodes, two reasons,
// node, role and a typed detail.
func testFault(t testing.TB) *errors.Fault {
	t.Helper()
	f := &errors.Fault{
		Code: errors.FaultCode{
			Value: FaultSender.Name(SOAP12),
			Subcode: &errors.FaultCode{
				Value:   xml.Name{Space: nsOrders, Local: "OutOfStock"},
				Subcode: &errors.FaultCode{Value: xml.Name{Space: nsOrders, Local: "Backorder"}},
			},
		},
		Reasons: []errors.FaultReason{{Text: "Out of stock", Lang: "en"}, {Text: "Nicht vorrätig", Lang: "de"}},
		Node:    "http://example.com/svc",
		Actor:   "http://example.com/role/stock",
	}
	if err := SetFaultDetail(f, &faultInfo{Code: 17}); err != nil {
		t.Fatalf("SetFaultDetail: %v", err)
	}
	return f
}

// buildGolden writes the golden case's envelope.
func buildGolden(t testing.TB, c goldenCase) []byte {
	t.Helper()
	m := mustNew(t, c.env, c.addr, &Options{NewMessageID: fixedID(1)})
	if err := m.Initialize(Request, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.SetAction("urn:example:orders/Place"); err != nil {
		t.Fatal(err)
	}
	ep := &EndpointAddress{URL: "http://example.com/svc"}
	if c.addr.usesHeaders() {
		ep.ReferenceParameters = []*etree.Element{refParam("T1")}
		meta := etree.NewElement("m:Port")
		meta.CreateAttr("xmlns:m", "urn:example:meta")
		meta.SetText("OrdersPort")
		for _, err := range []error{
			m.SetFrom(EndpointAddress{URL: "http://client.example/"}),
			m.SetReplyTo(EndpointAddress{URL: "http://client.example/reply", ReferenceParameters: []*etree.Element{refParam("T2")}, Metadata: []*etree.Element{meta}}),
			m.SetFaultTo(EndpointAddress{}),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := m.Address(ep); err != nil {
		t.Fatal(err)
	}
	if c.headers {
		if err := m.AddCustomHeader(&sessionHeader{ID: "s-1"}, HeaderAttributes{MustUnderstand: true}); err != nil {
			t.Fatal(err)
		}
		if err := m.AddCustomHeader(auditElement(), HeaderAttributes{Role: roleAudit, Relay: c.env == SOAP12}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.AddMappedHeader("X-Trace", "abc"); err != nil {
		t.Fatal(err)
	}
	var body any = &orderBody{Item: "widget & <gadget>", Qty: 3}
	if c.fault {
		body = testFault(t)
	}
	out := write(t, m, body)
	if m.IsFault() != c.fault {
		t.Errorf("IsFault = %v after writing, want %v", m.IsFault(), c.fault)
	}
	return out
}

func goldenPath(name string) string { return filepath.Join("testdata", "golden", name+".xml") }

func TestGoldenEnvelopes(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			got := buildGolden(t, c)
			path := goldenPath(c.name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("envelope differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestGoldenRoundTrip reads every golden back and checks headers, body and
// fault.
func TestGoldenRoundTrip(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			data, err := os.ReadFile(goldenPath(c.name))
			if err != nil {
				t.Fatal(err)
			}
			m := readStart(t, c.env, c.addr, data)
			if !m.IsAddressed() || m.IsFault() != c.fault {
				t.Errorf("IsAddressed = %v, IsFault = %v; want true, %v", m.IsAddressed(), m.IsFault(), c.fault)
			}
			checkStandardHeaders(t, m, c)
			checkCustomHeaders(t, m, c)
			if err := m.CheckMustUnderstand(); err != nil {
				t.Errorf("CheckMustUnderstand after reading every header: %v", err)
			}
			if c.fault {
				var f errors.Fault
				if err := m.ReadBody(&f); err != nil {
					t.Fatalf("ReadBody(fault): %v", err)
				}
				checkFault(t, &f, c.env)
			} else {
				var b orderBody
				if err := m.ReadBody(&b); err != nil {
					t.Fatalf("ReadBody: %v", err)
				}
				want := orderBody{XMLName: xml.Name{Space: nsOrders, Local: "Order"}, Item: "widget & <gadget>", Qty: 3}
				if diff := cmp.Diff(want, b); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			}
			if m.HasMoreBody() {
				t.Error("HasMoreBody after the only body element")
			}
			if err := m.ReadEnd(); err != nil {
				t.Fatalf("ReadEnd: %v", err)
			}
			if m.State() != Done {
				t.Errorf("state %v after ReadEnd, want Done", m.State())
			}
		})
	}
}

func checkStandardHeaders(t *testing.T, m *Message, c goldenCase) {
	t.Helper()
	if !c.addr.usesHeaders() {
		// The transport carries Action and To; nothing is in the envelope.
		if _, ok := m.Action(); ok {
			t.Error("Action read from a transport-addressed envelope")
		}
		if _, ok := m.To(); ok {
			t.Error("To read from a transport-addressed envelope")
		}
		return
	}
	if a, ok := m.Action(); !ok || a != "urn:example:orders/Place" {
		t.Errorf("Action = %q, %v", a, ok)
	}
	if to, ok := m.To(); !ok || to != "http://example.com/svc" {
		t.Errorf("To = %q, %v", to, ok)
	}
	if id, ok := m.MessageID(); !ok || id != fixedID(1)() {
		t.Errorf("MessageID = %q, %v", id, ok)
	}
	if _, _, ok := m.RelatesTo(); ok {
		t.Error("RelatesTo present in a request")
	}
	from, ok := m.From()
	if !ok || from.URL != "http://client.example/" || len(from.ReferenceParameters) != 0 {
		t.Errorf("From = %+v, %v", from, ok)
	}
	rt, ok := m.ReplyTo()
	if !ok || rt.URL != "http://client.example/reply" || len(rt.ReferenceParameters) != 1 || rt.ReferenceParameters[0].Text() != "T2" {
		t.Errorf("ReplyTo = %+v, %v", rt, ok)
	}
	wantMeta := 0
	if c.addr == Addressing1_0 {
		wantMeta = 1
	}
	if len(rt.Metadata) != wantMeta {
		t.Errorf("ReplyTo has %d metadata elements, want %d", len(rt.Metadata), wantMeta)
	}
	if ft, ok := m.FaultTo(); !ok || ft.URL != c.addr.AnonymousURL() {
		t.Errorf("FaultTo = %+v, %v; want the anonymous address", ft, ok)
	}
	// The To reference parameter came back as a custom header.
	var ticket *etree.Element
	attrs, err := m.CustomHeader(xml.Name{Space: "urn:example:ref", Local: "Ticket"}, &ticket)
	if err != nil {
		t.Fatalf("reference parameter header: %v", err)
	}
	if ticket.Text() != "T1" || attrs.IsReferenceParameter != (c.addr == Addressing1_0) {
		t.Errorf("reference parameter %q, attributes %+v", ticket.Text(), attrs)
	}
}

func checkCustomHeaders(t *testing.T, m *Message, c goldenCase) {
	t.Helper()
	if !c.headers {
		if n := m.CustomHeaderCount(sessionName); n != 0 {
			t.Errorf("%d Session headers in an envelope without custom headers", n)
		}
		return
	}
	if got := m.NotUnderstood(); len(got) != 1 || got[0] != sessionName {
		t.Errorf("NotUnderstood before reading = %v, want [Session]", got)
	}
	var s sessionHeader
	attrs, err := m.CustomHeader(sessionName, &s)
	if err != nil {
		t.Fatalf("CustomHeader(Session): %v", err)
	}
	if s.ID != "s-1" || attrs != (HeaderAttributes{MustUnderstand: true}) {
		t.Errorf("Session = %+v, attributes %+v", s, attrs)
	}
	var audit *etree.Element
	attrs, err = m.CustomHeader(auditName, &audit)
	if err != nil {
		t.Fatalf("CustomHeader(Audit): %v", err)
	}
	if want := (HeaderAttributes{Role: roleAudit, Relay: c.env == SOAP12}); attrs != want {
		t.Errorf("Audit attributes %+v, want %+v", attrs, want)
	}
	if audit.SelectAttrValue("level", "") != "high" || audit.FindElement("By") == nil || audit.FindElement("By").Text() != "tester" {
		doc := etree.NewDocument()
		doc.SetRoot(audit)
		s, _ := doc.WriteToString()
		t.Errorf("Audit header read back as %s", s)
	}
}

// checkFault compares a read fault with testFault as version env carries
// it: SOAP 1.1 has no subcodes, a single reason and no node.
func checkFault(t *testing.T, got *errors.Fault, env EnvelopeVersion) {
	t.Helper()
	want := testFault(t)
	if env == SOAP11 {
		want.Code = errors.FaultCode{Value: FaultSender.Name(SOAP11)}
		want.Reasons = want.Reasons[:1]
		want.Node = ""
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(errors.Fault{}, "Detail")); diff != "" {
		t.Errorf("fault (-want +got):\n%s", diff)
	}
	var info faultInfo
	if err := FaultDetail(got, &info); err != nil {
		t.Fatalf("FaultDetail: %v", err)
	}
	if info.Code != 17 {
		t.Errorf("detail code %d, want 17", info.Code)
	}
}

// TestRewriteReadEnvelope duplicates each read golden and writes it again:
// the headers survive a receive → duplicate → send cycle unchanged.
func TestRewriteReadEnvelope(t *testing.T) {
	for _, c := range goldenCases() {
		if c.fault {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			data, err := os.ReadFile(goldenPath(c.name))
			if err != nil {
				t.Fatal(err)
			}
			in := readStart(t, c.env, c.addr, data)
			out := mustNew(t, c.env, c.addr, nil)
			if err := out.Initialize(Duplicate, in); err != nil {
				t.Fatal(err)
			}
			var b orderBody
			if err := in.ReadBody(&b); err != nil {
				t.Fatal(err)
			}
			got := write(t, out, &b)
			if !bytes.Equal(got, data) {
				t.Errorf("rewritten envelope differs:\n got %s\nwant %s", got, data)
			}
			if v, _ := out.MappedHeader("x-trace"); c.env != EnvelopeNone && v != "" {
				t.Errorf("mapped header travelled through the envelope: %q", v)
			}
		})
	}
}
