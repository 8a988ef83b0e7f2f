package message

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func readFaultFrom(t *testing.T, env EnvelopeVersion, body string) (*errors.Fault, error) {
	t.Helper()
	open := env11Open
	if env == SOAP12 {
		open = env12Open
	}
	m := readStart(t, env, AddressingTransport, []byte(open+`<s:Body>`+body+`</s:Body>`+envClose))
	if !m.IsFault() {
		t.Errorf("IsFault false for %s", body)
	}
	var f errors.Fault
	err := m.ReadBody(&f)
	return &f, err
}

func TestReadFaultCodes(t *testing.T) {
	f, err := readFaultFrom(t, SOAP11, `<s:Fault><faultcode>s:Client.Auth</faultcode><faultstring>denied</faultstring></s:Fault>`)
	if err != nil || f.Code.Value != (xml.Name{Space: NamespaceSOAP11, Local: "Client.Auth"}) || f.Reason() != "denied" {
		t.Errorf("SOAP 1.1 dotted code: %+v, %v", f, err)
	}
	// The prefix declared on the code element itself resolves.
	f, err = readFaultFrom(t, SOAP12, `<s:Fault><s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value xmlns:x="urn:x">x:Busy</s:Value></s:Subcode></s:Code>`+
		`<s:Reason><s:Text xml:lang="en">busy</s:Text></s:Reason></s:Fault>`)
	if err != nil || f.Code.Subcode == nil || f.Code.Subcode.Value != (xml.Name{Space: "urn:x", Local: "Busy"}) || !f.HasCode(NamespaceSOAP12, "Receiver") {
		t.Errorf("SOAP 1.2 subcode: %+v, %v", f, err)
	}
	bad := []struct {
		env  EnvelopeVersion
		body string
		want string
	}{
		{SOAP11, `<s:Fault><faultcode>u:Client</faultcode><faultstring/></s:Fault>`, "undeclared prefix"},
		{SOAP11, `<s:Fault><faultstring>no code</faultstring></s:Fault>`, "no faultcode"},
		{SOAP12, `<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code></s:Fault>`, "no Reason"},
		{SOAP12, `<s:Fault><s:Code><s:Subcode/></s:Code><s:Reason/></s:Fault>`, "Code"},
		{SOAP12, `<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Bad/></s:Reason></s:Fault>`, "expected Text"},
		{SOAP12, `<s:Fault><s:Code><s:Value>:x</s:Value></s:Code><s:Reason/></s:Fault>`, "not a qualified name"},
	}
	for _, c := range bad {
		_, err := readFaultFrom(t, c.env, c.body)
		wantCode(t, err, errors.InvalidFormat)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.body, err, c.want)
		}
	}
}

// TestFaultAcrossVersions writes a fault built for one version into the
// other: the standard codes are translated.
func TestFaultAcrossVersions(t *testing.T) {
	for _, c := range []struct {
		built, sent EnvelopeVersion
		code        StandardFaultCode
		want        string
	}{
		{SOAP11, SOAP12, FaultSender, "Sender"},
		{SOAP12, SOAP11, FaultReceiver, "Server"},
		{SOAP12, SOAP11, FaultDataEncodingUnknown, "Client"},
		{SOAP12, SOAP11, FaultMustUnderstand, "MustUnderstand"},
	} {
		m := mustNew(t, c.sent, AddressingTransport, nil)
		if err := m.Initialize(Blank, nil); err != nil {
			t.Fatal(err)
		}
		out := write(t, m, NewFault(c.built, c.code, "why"))
		r := readStart(t, c.sent, AddressingTransport, out)
		var f errors.Fault
		if err := r.ReadBody(&f); err != nil {
			t.Fatal(err)
		}
		if want := (xml.Name{Space: c.sent.Namespace(), Local: c.want}); f.Code.Value != want || f.Reason() != "why" {
			t.Errorf("%v fault sent as %v: code %v, reason %q; want %v", c.built, c.sent, f.Code.Value, f.Reason(), want)
		}
	}
}

func TestFaultBodyErrors(t *testing.T) {
	m := readStart(t, SOAP12, AddressingTransport, []byte(env12Open+`<s:Body><o:Order xmlns:o="urn:example:orders"><o:Item>i</o:Item><o:Qty>4</o:Qty></o:Order></s:Body>`+envClose))
	var f errors.Fault
	wantCode(t, m.ReadBody(&f), errors.InvalidFormat)
	// The element is still there for the right type.
	if !m.HasMoreBody() {
		t.Fatal("a failed fault read consumed the body element")
	}
	if name, ok := m.BodyName(); !ok || name != (xml.Name{Space: nsOrders, Local: "Order"}) {
		t.Errorf("BodyName = %v, %v", name, ok)
	}
	var s sessionHeader
	wantCode(t, m.ReadBody(&s), errors.InvalidFormat) // wrong element name
	var o orderBody
	if err := m.ReadBody(&o); err != nil || o.Qty != 4 {
		t.Fatalf("ReadBody after the mismatches: %+v, %v", o, err)
	}
	wantCode(t, m.ReadBody(&o), errors.InvalidFormat) // no more elements

	raw := mustNew(t, EnvelopeNone, AddressingTransport, nil)
	if err := raw.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	if err := raw.WriteStart(newWriter()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, raw.WriteBody(NewFault(SOAP12, FaultSender, "x")), errors.InvalidOperation)
	wantCode(t, raw.WriteBody(&errors.Fault{}), errors.InvalidOperation)

	w := mustNew(t, SOAP12, AddressingTransport, nil)
	if err := w.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteStart(newWriter()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, w.WriteBody(&errors.Fault{}), errors.InvalidArgument) // no code
}

func TestFaultDetail(t *testing.T) {
	f := NewFault(SOAP12, FaultSender, "x")
	var info faultInfo
	if err := FaultDetail(f, &info); !errors.Is(err, ErrDetailNotFound) {
		t.Errorf("no detail: %v", err)
	}
	if err := SetFaultDetail(f, &faultInfo{Code: 5}); err != nil {
		t.Fatal(err)
	}
	if err := FaultDetail(f, &info); err != nil || info.Code != 5 {
		t.Errorf("FaultDetail = %+v, %v", info, err)
	}
	var other orderBody
	if err := FaultDetail(f, &other); !errors.Is(err, ErrDetailNotFound) || errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("detail of another type: %v", err)
	}
	if got := FaultMustUnderstand.String(); got != "MustUnderstand" {
		t.Errorf("String = %q", got)
	}
}

// TestReadFaultStructure: a Fault's children are a sequence, each at most
// once (SOAP 1.2 Part 1 §5.4: Code, Reason, Node?, Role?, Detail?; SOAP
// 1.1 §4.4: faultcode, faultstring, faultactor?, detail?), and SOAP 1.1's
// faultstring is required like SOAP 1.2's Reason.
func TestReadFaultStructure(t *testing.T) {
	const (
		code12   = `<s:Code><s:Value>s:Sender</s:Value></s:Code>`
		reason12 = `<s:Reason><s:Text xml:lang="en">x</s:Text></s:Reason>`
		node12   = `<s:Node>http://n/</s:Node>`
		role12   = `<s:Role>http://r/</s:Role>`
		detail12 = `<s:Detail/>`
	)
	bad := []struct {
		env  EnvelopeVersion
		body string
		want string
	}{
		{SOAP11, `<s:Fault><faultcode>s:Client</faultcode></s:Fault>`, "no faultstring"},
		{SOAP11, `<s:Fault><faultstring>x</faultstring><faultcode>s:Client</faultcode></s:Fault>`, "faultcode after faultstring"},
		{SOAP11, `<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><faultstring>y</faultstring></s:Fault>`, "two faultstring"},
		{SOAP11, `<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring><detail/><faultactor>a</faultactor></s:Fault>`, "faultactor after detail"},
		{SOAP12, `<s:Fault>` + reason12 + code12 + `</s:Fault>`, "Code after Reason"},
		{SOAP12, `<s:Fault>` + code12 + reason12 + reason12 + `</s:Fault>`, "two Reason"},
		{SOAP12, `<s:Fault>` + code12 + reason12 + role12 + node12 + `</s:Fault>`, "Node after Role"},
		{SOAP12, `<s:Fault>` + code12 + reason12 + detail12 + role12 + `</s:Fault>`, "Role after Detail"},
	}
	for _, c := range bad {
		_, err := readFaultFrom(t, c.env, c.body)
		wantCode(t, err, errors.InvalidFormat)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.body, err, c.want)
		}
	}
	f, err := readFaultFrom(t, SOAP12, `<s:Fault>`+code12+reason12+node12+role12+detail12+`</s:Fault>`)
	if err != nil || f.Node != "http://n/" || f.Actor != "http://r/" || f.Detail == nil {
		t.Errorf("complete SOAP 1.2 fault: %+v, %v", f, err)
	}
	f, err = readFaultFrom(t, SOAP11, `<s:Fault><faultcode>s:Server</faultcode><faultstring/><faultactor>a</faultactor><detail/></s:Fault>`)
	if err != nil || f.Actor != "a" || f.Detail == nil {
		t.Errorf("complete SOAP 1.1 fault: %+v, %v", f, err)
	}
}

// TestWriteFaultTopLevelCode: SOAP 1.2 restricts the top-level fault code
// to the five SOAP codes (Part 1 §5.4.6); an application code goes into a
// Subcode. SOAP 1.1 allows any qualified faultcode.
func TestWriteFaultTopLevelCode(t *testing.T) {
	custom := &errors.Fault{Code: errors.FaultCode{Value: xml.Name{Space: nsOrders, Local: "OutOfStock"}},
		Reasons: []errors.FaultReason{{Text: "x", Lang: "en"}}}
	m := mustNew(t, SOAP12, AddressingTransport, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteStart(newWriter()); err != nil {
		t.Fatal(err)
	}
	err := m.WriteBody(custom)
	wantCode(t, err, errors.InvalidArgument)
	if !strings.Contains(err.Error(), "Subcode") {
		t.Errorf("error %q does not say to use a Subcode", err)
	}
	if m.IsFault() {
		t.Error("a refused fault marked the message a fault")
	}
	m11 := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := m11.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	out := write(t, m11, custom)
	if !strings.Contains(string(out), `<faultcode xmlns:c="urn:example:orders">c:OutOfStock</faultcode>`) {
		t.Errorf("SOAP 1.1 custom faultcode: %s", out)
	}
}
