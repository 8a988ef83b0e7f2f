package message

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

const (
	env12Open = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">`
	env11Open = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">`
	envClose  = `</s:Envelope>`
	okBody    = `<s:Body><o:Order xmlns:o="urn:example:orders"/></s:Body>`
)

// readAll runs the receive sequence over data with a SOAP 1.2 /
// WS-Addressing 1.0 message and returns the first error.
func readAll(data []byte, opts *Options, ropts *xmlio.Options) error {
	m, err := New(SOAP12, Addressing1_0, opts)
	if err != nil {
		return err
	}
	if err := m.ReadStart(xmlio.NewReader(data, ropts)); err != nil {
		return err
	}
	for m.HasMoreBody() {
		var el *etree.Element
		if err := m.ReadBody(&el); err != nil {
			return err
		}
	}
	return m.ReadEnd()
}

func manyHeaders(n int) string {
	var b strings.Builder
	b.WriteString(env12Open + `<s:Header>`)
	for i := range n {
		b.WriteString(`<h:H xmlns:h="urn:h">`)
		b.WriteString(strings.Repeat("x", i%3))
		b.WriteString(`</h:H>`)
	}
	b.WriteString(`</s:Header>` + okBody + envClose)
	return b.String()
}

func deepBody(depth int) string {
	return env12Open + `<s:Body>` + strings.Repeat("<d>", depth) + strings.Repeat("</d>", depth) + `</s:Body>` + envClose
}

const billionLaughs = `<?xml version="1.0"?><!DOCTYPE s:Envelope [` +
	`<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
	`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>` +
	env12Open + `<s:Header><h:H xmlns:h="urn:h">&lol2;</h:H></s:Header>` + okBody + envClose

// TestHostileEnvelopes feeds malformed and malicious envelopes to the
// receive sequence; each must fail with its exact code, in bounded time.
func TestHostileEnvelopes(t *testing.T) {
	cases := []struct {
		name    string
		data    string
		code    errors.Code
		quota   string // for QuotaExceeded
		mention string // a part of the error text
		opts    *Options
	}{
		{"wrong envelope namespace", `<s:Envelope xmlns:s="urn:not-soap">` + okBody + envClose, errors.InvalidFormat, "", "unknown namespace", nil},
		{"SOAP 1.1 envelope to a SOAP 1.2 message", env11Open + `<s:Body/>` + envClose, errors.InvalidFormat, "", "received a SOAP 1.1 envelope, expected SOAP 1.2", nil},
		{"root is not an Envelope", `<s:Body xmlns:s="http://www.w3.org/2003/05/soap-envelope"/>`, errors.InvalidFormat, "", "not a SOAP Envelope", nil},
		{"two Bodies", env12Open + okBody + `<s:Body/>` + envClose, errors.InvalidFormat, "", "two Body", nil},
		{"two Headers", env12Open + `<s:Header/><s:Header/>` + okBody + envClose, errors.InvalidFormat, "", "two Header", nil},
		{"Header after Body", env12Open + okBody + `<s:Header/>` + envClose, errors.InvalidFormat, "", "Header element follows the Body", nil},
		{"missing Body", env12Open + `<s:Header/>` + envClose, errors.InvalidFormat, "", "no Body", nil},
		{"element after Body", env12Open + okBody + `<x:Extra xmlns:x="urn:x"/>` + envClose, errors.InvalidFormat, "", "follows the Body", nil},
		{"unknown element before Body", env12Open + `<x:Extra xmlns:x="urn:x"/>` + okBody + envClose, errors.InvalidFormat, "", "expected Header or Body", nil},
		{"text in Header", env12Open + `<s:Header>oops</s:Header>` + okBody + envClose, errors.InvalidFormat, "", "text in the Header", nil},
		{"text in Envelope", env12Open + `oops` + okBody + envClose, errors.InvalidFormat, "", "text in the Envelope", nil},
		{"text in Body", env12Open + `<s:Body>oops</s:Body>` + envClose, errors.InvalidFormat, "", "text in the Body", nil},
		{"element after Envelope", env12Open + okBody + envClose + `<x/>`, errors.InvalidFormat, "", "second root element", nil},
		{"65 headers", manyHeaders(65), errors.QuotaExceeded, "MaxProcessedHeaders", "more than 64 headers", nil},
		{"3 headers over a quota of 2", manyHeaders(3), errors.QuotaExceeded, "MaxProcessedHeaders", "more than 2 headers", &Options{MaxProcessedHeaders: 2}},
		{"duplicate Action header", env12Open + `<s:Header><a:Action>urn:1</a:Action><a:Action>urn:2</a:Action></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "two Action headers", nil},
		{"duplicate ReplyTo header", env12Open + `<s:Header><a:ReplyTo><a:Address>x</a:Address></a:ReplyTo><a:ReplyTo><a:Address>y</a:Address></a:ReplyTo></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "two ReplyTo headers", nil},
		{"ReplyTo without Address", env12Open + `<s:Header><a:ReplyTo/></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "no Address", nil},
		{"bad mustUnderstand value", env12Open + `<s:Header><h:H xmlns:h="urn:h" s:mustUnderstand="maybe"/></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "mustUnderstand", nil},
		{"DTD before Envelope", `<!DOCTYPE s:Envelope SYSTEM "http://evil/x.dtd">` + env12Open + okBody + envClose, errors.InvalidFormat, "", "DTDs are not allowed", nil},
		{"billion laughs inside a header", billionLaughs, errors.InvalidFormat, "", "DTDs are not allowed", nil},
		{"undefined entity inside a header", env12Open + `<s:Header><h:H xmlns:h="urn:h">&lol9;</h:H></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "undefined entity reference &lol9;", nil},
		{"10^5-deep body", deepBody(100000), errors.QuotaExceeded, "MaxDepth", "MaxDepth", nil},
		{"undeclared prefix in a header", env12Open + `<s:Header><u:H/></s:Header>` + okBody + envClose, errors.InvalidFormat, "", "undeclared namespace prefix u", nil},
		{"truncated envelope", env12Open + `<s:Header><a:Action>urn:1</a:Action></s:Header><s:Body><o:Order xmlns:o="urn:o">`, errors.InvalidFormat, "", "is not closed", nil},
		{"truncated after Body", env12Open + okBody, errors.InvalidFormat, "", "is not closed", nil},
		{"empty document", ``, errors.InvalidFormat, "", "document is empty", nil},
	}
	// One watchdog for the whole table (against hangs, not a timing test):
	// a per-case limit would let a table of hanging cases run for minutes.
	deadline := time.Now().Add(30 * time.Second)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { done <- readAll([]byte(c.data), c.opts, nil) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Until(deadline)):
				t.Fatal("watchdog: the hostile-envelope table did not finish within 30s")
			}
			e := wantCode(t, err, c.code)
			if c.quota != "" && e.Quota != c.quota {
				t.Errorf("quota %q, want %q: %v", e.Quota, c.quota, err)
			}
			if !strings.Contains(err.Error(), c.mention) {
				t.Errorf("error %q does not mention %q", err, c.mention)
			}
		})
	}
}

// TestVersionMismatch checks that a host can tell a version mismatch from
// other format errors.
func TestVersionMismatch(t *testing.T) {
	err := readAll([]byte(env11Open+`<s:Body/>`+envClose), nil, nil)
	if !IsVersionMismatch(err) {
		t.Errorf("IsVersionMismatch(%v) = false", err)
	}
	m := mustNew(t, SOAP11, AddressingTransport, nil)
	err = m.ReadStart(xmlio.NewReader([]byte(env12Open+`<s:Body/>`+envClose), nil))
	if !IsVersionMismatch(err) || !strings.Contains(err.Error(), "received a SOAP 1.2 envelope, expected SOAP 1.1") {
		t.Errorf("SOAP 1.2 envelope to a SOAP 1.1 message: %v", err)
	}
	if m.State() != Empty {
		t.Errorf("state %v after a failed ReadStart, want Empty", m.State())
	}
	if IsVersionMismatch(readAll([]byte(env12Open+`<s:Header/>`+envClose), nil, nil)) {
		t.Error("a missing Body is reported as a version mismatch")
	}
}

// TestFailedReadStartLeavesEmpty checks that headers read before a failure
// are dropped, so the message can be reused at once.
func TestFailedReadStartLeavesEmpty(t *testing.T) {
	m := mustNew(t, SOAP12, Addressing1_0, nil)
	bad := env12Open + `<s:Header><a:Action>urn:1</a:Action><h:H xmlns:h="urn:h"/></s:Header>` + envClose
	if err := m.ReadStart(xmlio.NewReader([]byte(bad), nil)); err == nil {
		t.Fatal("ReadStart accepted an envelope without Body")
	}
	if m.State() != Empty || len(m.hdrs) != 0 || m.std.present != 0 {
		t.Fatalf("failed ReadStart left state %v, %d headers, standard %b", m.State(), len(m.hdrs), m.std.present)
	}
	if err := m.ReadStart(xmlio.NewReader([]byte(stateEnvelope), nil)); err != nil {
		t.Fatalf("ReadStart after a failed one: %v", err)
	}
}

// TestVersionMismatchDetails: the error says which version was received,
// so a host can answer in the form the sender understands (SOAP 1.2 Part
// 1 §5.4.7 and Appendix A), and UpgradeHeader builds the header that
// lists the versions this node supports.
func TestVersionMismatchDetails(t *testing.T) {
	for _, c := range []struct {
		data      string
		expect    EnvelopeVersion
		received  EnvelopeVersion
		namespace string
	}{
		{env11Open + `<s:Body/>` + envClose, SOAP12, SOAP11, NamespaceSOAP11},
		{env12Open + `<s:Body/>` + envClose, SOAP11, SOAP12, NamespaceSOAP12},
		{`<s:Envelope xmlns:s="urn:not-soap">` + okBody + envClose, SOAP12, 0, "urn:not-soap"},
	} {
		m := mustNew(t, c.expect, AddressingTransport, nil)
		err := m.ReadStart(newReader([]byte(c.data)))
		var vm *VersionMismatchError
		if !errors.As(err, &vm) || !IsVersionMismatch(err) || !errors.Is(err, ErrVersionMismatch) {
			t.Fatalf("%v: %v is not a *VersionMismatchError wrapping ErrVersionMismatch", c.expect, err)
		}
		if vm.Received != c.received || vm.Namespace != c.namespace || vm.Expected != c.expect {
			t.Errorf("VersionMismatchError %+v, want received %v (%q), expected %v", vm, c.received, c.namespace, c.expect)
		}
	}

	// A SOAP 1.2 node answers a SOAP 1.1 sender with a SOAP 1.1
	// VersionMismatch fault carrying an Upgrade header (Appendix A).
	reply := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := reply.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	if err := reply.AddCustomHeader(UpgradeHeader(SOAP12, SOAP11), HeaderAttributes{}); err != nil {
		t.Fatal(err)
	}
	out := write(t, reply, NewFault(SOAP11, FaultVersionMismatch, "only SOAP 1.2 is supported"))
	const want = `<s:Header><env:Upgrade xmlns:env="http://www.w3.org/2003/05/soap-envelope">` +
		`<env:SupportedEnvelope xmlns:v1="http://www.w3.org/2003/05/soap-envelope" qname="v1:Envelope"/>` +
		`<env:SupportedEnvelope xmlns:v2="http://schemas.xmlsoap.org/soap/envelope/" qname="v2:Envelope"/>` +
		`</env:Upgrade></s:Header>`
	if !strings.Contains(string(out), want) {
		t.Errorf("Upgrade header:\n%s\nwant it to contain\n%s", out, want)
	}
	in := readStart(t, SOAP11, AddressingTransport, out)
	var up *etree.Element
	if _, err := in.CustomHeader(xml.Name{Space: NamespaceSOAP12, Local: "Upgrade"}, &up); err != nil {
		t.Fatal(err)
	}
	if n := len(up.ChildElements()); n != 2 {
		t.Errorf("Upgrade read back with %d SupportedEnvelope elements", n)
	}

	// NotUnderstood names a header a MustUnderstand fault is about (§5.4.8).
	nu := NotUnderstoodHeader(xml.Name{Space: nsSession, Local: "Session"})
	doc := etree.NewDocument()
	doc.SetRoot(nu)
	s, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	if want := `<env:NotUnderstood xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:h="urn:example:session" qname="h:Session"/>`; s != want {
		t.Errorf("NotUnderstoodHeader = %s, want %s", s, want)
	}
}

// TestFaultWithoutCode: a SOAP 1.2 Fault that lacks its Code is an ordinary
// element when the body is read as XML, but reading it as a fault refuses it.
func TestFaultWithoutCode(t *testing.T) {
	data := []byte(env12Open + `<s:Body><s:Fault><s:Reason><s:Text xml:lang="en">x</s:Text></s:Reason></s:Fault></s:Body>` + envClose)
	if err := readAll(data, nil, nil); err != nil {
		t.Fatalf("read as an element: %v", err)
	}
	m := mustNew(t, SOAP12, Addressing1_0, nil)
	if err := m.ReadStart(newReader(data)); err != nil {
		t.Fatalf("ReadStart: %v", err)
	}
	if !m.IsFault() {
		t.Fatal("IsFault = false for a Fault body")
	}
	var f errors.Fault
	err := m.ReadBody(&f)
	wantCode(t, err, errors.InvalidFormat)
	if !strings.Contains(err.Error(), "no Code") {
		t.Errorf("error %q does not mention the missing Code", err)
	}
}
