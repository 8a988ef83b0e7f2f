package message

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
)

// request reads a request envelope with the given ReplyTo/FaultTo headers.
func request(t *testing.T, addr AddressingVersion, replyTo, faultTo string) *Message {
	t.Helper()
	ns := addr.Namespace()
	h := `<a:MessageID>urn:uuid:req</a:MessageID>`
	if replyTo != "" {
		h += `<a:ReplyTo><a:Address>` + replyTo + `</a:Address><a:ReferenceParameters><r:Ticket xmlns:r="urn:example:ref">R</r:Ticket></a:ReferenceParameters></a:ReplyTo>`
	}
	if faultTo != "" {
		h += `<a:FaultTo><a:Address>` + faultTo + `</a:Address></a:FaultTo>`
	}
	data := `<s:Envelope xmlns:s="` + NamespaceSOAP12 + `" xmlns:a="` + ns + `"><s:Header>` + h + `</s:Header><s:Body/></s:Envelope>`
	return readStart(t, SOAP12, addr, []byte(data))
}

func TestInitializeRequest(t *testing.T) {
	m := mustNew(t, SOAP12, Addressing1_0, nil)
	if err := m.Initialize(Request, nil); err != nil {
		t.Fatal(err)
	}
	id, ok := m.MessageID()
	if !ok || !strings.HasPrefix(id, "urn:uuid:") || len(id) != len("urn:uuid:")+36 {
		t.Errorf("MessageID = %q, %v", id, ok)
	}
	m2 := mustNew(t, SOAP12, Addressing1_0, nil)
	if err := m2.Initialize(Request, nil); err != nil {
		t.Fatal(err)
	}
	if id2, _ := m2.MessageID(); id2 == id {
		t.Errorf("two requests share MessageID %q", id)
	}
	tr := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := tr.Initialize(Request, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.MessageID(); ok {
		t.Error("a transport-addressed request has a MessageID")
	}
	for _, err := range []error{tr.SetMessageID("x"), tr.SetRelatesTo("x", ""), tr.SetFrom(EndpointAddress{}),
		tr.SetReplyTo(EndpointAddress{}), tr.SetFaultTo(EndpointAddress{}), tr.RemoveHeader(MessageIDHeader)} {
		wantCode(t, err, errors.InvalidOperation)
	}
	if err := tr.SetAction("urn:soapaction"); err != nil {
		t.Errorf("Action is a transport property: %v", err)
	}
	wantCode(t, m.Initialize(InitKind(9), nil), errors.InvalidOperation) // already Initialized
	fresh := mustNew(t, SOAP12, Addressing1_0, nil)
	wantCode(t, fresh.Initialize(InitKind(9), nil), errors.InvalidArgument)
	wantCode(t, fresh.Initialize(Reply, nil), errors.InvalidArgument)
	wantCode(t, fresh.Initialize(Reply, mustNew(t, SOAP12, Addressing1_0, nil)), errors.InvalidOperation)
	if fresh.State() != Empty {
		t.Errorf("failed Initialize moved the message to %v", fresh.State())
	}
}

func TestInitializeReply(t *testing.T) {
	cases := []struct {
		name             string
		addr             AddressingVersion
		replyTo, faultTo string
		kind             InitKind
		wantTo           string // "" = no To header
		wantParams       int
	}{
		{"1.0 reply to address", Addressing1_0, "http://client/cb", "", Reply, "http://client/cb", 1},
		{"1.0 reply to anonymous", Addressing1_0, Addressing1_0.AnonymousURL(), "", Reply, "", 1},
		{"1.0 reply without ReplyTo", Addressing1_0, "", "", Reply, "", 0},
		{"1.0 reply to none", Addressing1_0, Addressing1_0.NoneURL(), "", Reply, Addressing1_0.NoneURL(), 1},
		{"1.0 fault to FaultTo", Addressing1_0, "http://client/cb", "http://client/faults", FaultReply, "http://client/faults", 0},
		{"1.0 fault without FaultTo", Addressing1_0, "http://client/cb", "", FaultReply, "http://client/cb", 1},
		{"0.9 reply to anonymous", Addressing0_9, Addressing0_9.AnonymousURL(), "", Reply, Addressing0_9.AnonymousURL(), 1},
		{"0.9 reply without ReplyTo", Addressing0_9, "", "", Reply, Addressing0_9.AnonymousURL(), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := request(t, c.addr, c.replyTo, c.faultTo)
			m := mustNew(t, SOAP12, c.addr, nil)
			if err := m.Initialize(c.kind, req); err != nil {
				t.Fatal(err)
			}
			if rel, _, ok := m.RelatesTo(); !ok || rel != "urn:uuid:req" {
				t.Errorf("RelatesTo = %q, %v", rel, ok)
			}
			to, ok := m.To()
			if ok != (c.wantTo != "") || to != c.wantTo {
				t.Errorf("To = %q, %v; want %q", to, ok, c.wantTo)
			}
			if n := m.CustomHeaderCount(xml.Name{Space: "urn:example:ref", Local: "Ticket"}); n != c.wantParams {
				t.Errorf("%d reference parameter headers, want %d", n, c.wantParams)
			}
			if !m.IsAddressed() || m.IsFault() != (c.kind == FaultReply) {
				t.Errorf("IsAddressed %v, IsFault %v", m.IsAddressed(), m.IsFault())
			}
			wantCode(t, m.Address(nil), errors.InvalidOperation)
		})
	}
	// Transport addressing: the HTTP response correlates; no headers.
	req := readStart(t, SOAP11, AddressingTransport, []byte(env11Open+`<s:Body/>`+envClose))
	m := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := m.Initialize(FaultReply, req); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.To(); ok || !m.IsFault() || !m.IsAddressed() {
		t.Errorf("transport fault reply: To set %v, IsFault %v, IsAddressed %v", ok, m.IsFault(), m.IsAddressed())
	}
}

func TestInitializeDuplicate(t *testing.T) {
	src := mustNew(t, SOAP12, Addressing1_0, &Options{NewMessageID: fixedID(7)})
	if err := src.Initialize(Request, nil); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		src.SetAction("urn:a"), src.SetRelatesTo("urn:r", "urn:rel"),
		src.SetReplyTo(EndpointAddress{URL: "http://r/", ReferenceParameters: []*etree.Element{refParam("x")}}),
		src.AddCustomHeader(&sessionHeader{ID: "d"}, HeaderAttributes{MustUnderstand: true, Role: roleAudit}),
		src.AddMappedHeader("X-One", "1"), src.AddMappedHeader("x-one", "2"),
		src.Address(&EndpointAddress{URL: "http://to/"}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	dup := mustNew(t, SOAP11, Addressing1_0, nil)
	if err := dup.Initialize(Duplicate, src); err != nil {
		t.Fatal(err)
	}
	a, _ := dup.Action()
	id, _ := dup.MessageID()
	rel, relType, _ := dup.RelatesTo()
	to, _ := dup.To()
	rt, _ := dup.ReplyTo()
	if a != "urn:a" || id != fixedID(7)() || rel != "urn:r" || relType != "urn:rel" || to != "http://to/" || rt.URL != "http://r/" || len(rt.ReferenceParameters) != 1 {
		t.Errorf("duplicate standard headers: %q %q %q %q %q %+v", a, id, rel, relType, to, rt)
	}
	// The reference parameters are copies: changing the source's leaves the duplicate's.
	srcRT, _ := src.ReplyTo()
	srcRT.ReferenceParameters[0].SetText("changed")
	if rt.ReferenceParameters[0].Text() != "x" {
		t.Error("Duplicate shares reference parameter elements with the source")
	}
	var s sessionHeader
	attrs, err := dup.CustomHeader(sessionName, &s)
	if err != nil || s.ID != "d" || attrs != (HeaderAttributes{MustUnderstand: true, Role: roleAudit}) {
		t.Errorf("duplicate custom header %+v %+v %v", s, attrs, err)
	}
	if got := dup.MappedHeaders("X-ONE"); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("duplicate mapped headers %v", got)
	}
	if !dup.IsAddressed() {
		t.Error("duplicate of an addressed message is not addressed")
	}
	// A transport-addressed duplicate keeps only what it can carry.
	tr := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := tr.Initialize(Duplicate, src); err != nil {
		t.Fatal(err)
	}
	if _, ok := tr.MessageID(); ok {
		t.Error("MessageID copied into a transport-addressed duplicate")
	}
	if a, _ := tr.Action(); a != "urn:a" {
		t.Errorf("Action %q not copied", a)
	}
}

func TestMappedHeaders(t *testing.T) {
	m := mustNew(t, SOAP12, AddressingTransport, nil)
	wantCode(t, m.AddMappedHeader("X-A", "1"), errors.InvalidOperation)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"Content-Language", "de"}, {"X-A", "1"}, {"x-a", "2"}} {
		if err := m.AddMappedHeader(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, m.AddMappedHeader("", "v"), errors.InvalidArgument)
	wantCode(t, m.AddMappedHeader("X-B", "a\r\nInjected: 1"), errors.InvalidArgument)
	if v, ok := m.MappedHeader("content-language"); !ok || v != "de" {
		t.Errorf("MappedHeader = %q, %v", v, ok)
	}
	if got := m.MappedHeaderNames(); !slices.Equal(got, []string{"Content-Language", "X-A"}) {
		t.Errorf("MappedHeaderNames = %v", got)
	}
	if err := m.RemoveMappedHeader("X-a"); err != nil {
		t.Fatal(err)
	}
	if got := m.MappedHeaders("X-A"); got != nil {
		t.Errorf("after removal MappedHeaders = %v", got)
	}
	out := write(t, m, &orderBody{Item: "i", Qty: 1})
	if strings.Contains(string(out), "Content-Language") {
		t.Errorf("mapped header written into the envelope: %s", out)
	}
}

// TestFaultReplyToSource09: in the WS-Addressing 2004/08 submission a
// fault goes to FaultTo, else ReplyTo, else the source endpoint (From).
// WS-Addressing 1.0 dropped that last step: without FaultTo and ReplyTo
// the fault goes to the anonymous address.
func TestFaultReplyToSource09(t *testing.T) {
	for _, c := range []struct {
		addr   AddressingVersion
		wantTo string
		set    bool
	}{
		{Addressing0_9, "http://client/source", true},
		{Addressing1_0, "", false},
	} {
		ns := c.addr.Namespace()
		data := `<s:Envelope xmlns:s="` + NamespaceSOAP12 + `" xmlns:a="` + ns + `"><s:Header><a:MessageID>urn:uuid:req</a:MessageID>` +
			`<a:From><a:Address>http://client/source</a:Address></a:From></s:Header><s:Body/></s:Envelope>`
		req := readStart(t, SOAP12, c.addr, []byte(data))
		for _, kind := range []InitKind{FaultReply, Reply} {
			m := mustNew(t, SOAP12, c.addr, nil)
			if err := m.Initialize(kind, req); err != nil {
				t.Fatal(err)
			}
			to, ok := m.To()
			want, wantSet := c.wantTo, c.set
			if kind == Reply {
				// Replies never go to From: 0.9 writes its anonymous
				// address, 1.0 leaves To out (anonymous).
				want, wantSet = "", false
				if c.addr == Addressing0_9 {
					want, wantSet = c.addr.AnonymousURL(), true
				}
			}
			if to != want || ok != wantSet {
				t.Errorf("%v %v: To = %q, %v; want %q, %v", c.addr, kind, to, ok, want, wantSet)
			}
		}
	}
}
