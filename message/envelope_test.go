package message

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
)

func TestNewArguments(t *testing.T) {
	for _, c := range []struct {
		env  EnvelopeVersion
		addr AddressingVersion
		opts *Options
		code errors.Code
	}{
		{EnvelopeVersion(0), Addressing1_0, nil, errors.InvalidArgument},
		{SOAP12, AddressingVersion(4), nil, errors.InvalidArgument},
		{EnvelopeNone, Addressing1_0, nil, errors.InvalidArgument},
		{SOAP12, Addressing1_0, &Options{MaxProcessedHeaders: -1}, errors.InvalidArgument},
		{EnvelopeNone, AddressingTransport, nil, errors.OK},
	} {
		_, err := New(c.env, c.addr, c.opts)
		if errors.CodeOf(err) != c.code {
			t.Errorf("New(%v, %v): %v, want code %v", c.env, c.addr, err, c.code)
		}
	}
}

// TestStreamedBody writes a body through BodyWriter and reads it through
// BodyReader, mixing with WriteBody and ReadBody.
func TestStreamedBody(t *testing.T) {
	m := mustNew(t, SOAP11, AddressingTransport, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	w := newWriter()
	if err := m.WriteStart(w); err != nil {
		t.Fatal(err)
	}
	bw := m.BodyWriter()
	bw.StartElement("c", "Chunk", "urn:chunks")
	bw.Text("one")
	wantCode(t, m.WriteEnd(), errors.InvalidOperation) // Chunk still open
	bw.EndElement()
	if err := m.WriteBody(&orderBody{Item: "two", Qty: 2}); err != nil {
		t.Fatal(err)
	}
	bw.StartElement("c", "Chunk", "urn:chunks")
	bw.Text("three")
	bw.EndElement()
	if err := m.WriteEnd(); err != nil {
		t.Fatal(err)
	}

	in := readStart(t, SOAP11, AddressingTransport, w.Bytes())
	r := in.BodyReader()
	text, err := r.ReadElementText(nil)
	if err != nil || string(text) != "one" {
		t.Fatalf("streamed chunk %q, %v", text, err)
	}
	// ReadBody continues after the element the caller read.
	var o orderBody
	if err := in.ReadBody(&o); err != nil || o.Item != "two" {
		t.Fatalf("ReadBody after streaming: %+v, %v", o, err)
	}
	// ReadEnd skips the unread third element.
	if err := in.ReadEnd(); err != nil {
		t.Fatalf("ReadEnd with an unread body element: %v", err)
	}
}

func TestEnvelopeNone(t *testing.T) {
	m := mustNew(t, EnvelopeNone, AddressingTransport, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, m.Address(&EndpointAddress{URL: "http://x/", ReferenceParameters: []*etree.Element{refParam("p")}}), errors.InvalidOperation)
	if err := m.Address(&EndpointAddress{URL: "http://x/"}); err != nil {
		t.Fatal(err)
	}
	if to, _ := m.To(); to != "http://x/" {
		t.Errorf("To = %q", to)
	}
	w := newWriter()
	if err := m.WriteStart(w); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteBody(&orderBody{Item: "raw", Qty: 1}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, m.WriteBody(&orderBody{}), errors.InvalidOperation)
	if err := m.WriteEnd(); err != nil {
		t.Fatal(err)
	}
	if got := string(w.Bytes()); strings.Contains(got, "Envelope") || !strings.HasPrefix(got, "<Order") {
		t.Errorf("raw body %s", got)
	}
	in := readStart(t, EnvelopeNone, AddressingTransport, w.Bytes())
	var o orderBody
	if err := in.ReadBody(&o); err != nil || o.Item != "raw" {
		t.Fatalf("%+v, %v", o, err)
	}
	if err := in.ReadEnd(); err != nil {
		t.Fatal(err)
	}
}

func TestRemoveHeader(t *testing.T) {
	m := mustNew(t, SOAP12, Addressing0_9, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{m.SetAction("urn:a"), m.SetTo("http://t/"), m.SetMessageID("urn:m"), m.SetRelatesTo("urn:r", ""),
		m.SetFrom(EndpointAddress{URL: "f"}), m.SetReplyTo(EndpointAddress{URL: "r"}), m.SetFaultTo(EndpointAddress{URL: "x"})} {
		if err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, m.SetMessageID(""), errors.InvalidArgument)
	wantCode(t, m.SetReplyTo(EndpointAddress{ReferenceParameters: []*etree.Element{nil}}), errors.InvalidArgument)
	wantCode(t, m.RemoveHeader(HeaderType(0)), errors.InvalidArgument)
	for h := ActionHeader; h <= FaultToHeader; h++ {
		if err := m.RemoveHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	if m.std.present != 0 {
		t.Errorf("headers left after removing all: %b", m.std.present)
	}
	out := write(t, m, &orderBody{Item: "i", Qty: 1})
	if strings.Contains(string(out), "Header") {
		t.Errorf("an empty Header element was written: %s", out)
	}
}

// TestUnqualifiedHeaderBlocks: every header block must be
// namespace-qualified (SOAP 1.1 §4.2, SOAP 1.2 Part 1 §5.2). A received
// unqualified one is a malformed message; adding one is refused.
func TestUnqualifiedHeaderBlocks(t *testing.T) {
	for _, c := range []struct {
		env  EnvelopeVersion
		open string
	}{{SOAP11, env11Open}, {SOAP12, env12Open}} {
		for _, h := range []string{`<plain>v</plain>`, `<h xmlns="">v</h>`} {
			data := c.open + `<s:Header>` + h + `</s:Header>` + okBody + envClose
			m := mustNew(t, c.env, AddressingTransport, nil)
			err := m.ReadStart(newReader([]byte(data)))
			wantCode(t, err, errors.InvalidFormat)
			if !strings.Contains(err.Error(), "namespace-qualified") {
				t.Errorf("%v %s: error %q does not say headers must be namespace-qualified", c.env, h, err)
			}
			if m.State() != Empty {
				t.Errorf("state %v after the failed ReadStart", m.State())
			}
		}
		m := mustNew(t, c.env, Addressing1_0, nil)
		if err := m.Initialize(Blank, nil); err != nil {
			t.Fatal(err)
		}
		type plain struct {
			XMLName xml.Name `xml:"Plain"`
			V       string   `xml:"V"`
		}
		wantCode(t, m.AddCustomHeader(&plain{V: "x"}, HeaderAttributes{}), errors.InvalidArgument)
		wantCode(t, m.AddCustomHeader(etree.NewElement("plain"), HeaderAttributes{}), errors.InvalidArgument)
		err := m.Address(&EndpointAddress{URL: "http://x/", ReferenceParameters: []*etree.Element{etree.NewElement("ticket")}})
		wantCode(t, err, errors.InvalidArgument)
		if m.CustomHeaderCount(xml.Name{Local: "ticket"}) != 0 || m.IsAddressed() {
			t.Errorf("a refused reference parameter left the message addressed or with headers")
		}
	}
}

// TestRepeatedRelatesTo: wsa:RelatesTo repeats (WS-Addressing 1.0 Core
// §3.2), one per relationship type. The first is the standard header;
// later ones of other types are kept as (understood) custom headers. Two
// of the same type stay an error.
func TestRepeatedRelatesTo(t *testing.T) {
	const other = `<a:RelatesTo RelationshipType="urn:example:rel:parent">urn:uuid:parent</a:RelatesTo>`
	data := env12Open + `<s:Header><a:RelatesTo>urn:uuid:req</a:RelatesTo>` + other + `</s:Header>` + okBody + envClose
	m := readStart(t, SOAP12, Addressing1_0, []byte(data))
	if id, rel, ok := m.RelatesTo(); !ok || id != "urn:uuid:req" || rel != "" {
		t.Errorf("RelatesTo = %q, %q, %v", id, rel, ok)
	}
	relName := xml.Name{Space: NamespaceAddressing1_0, Local: "RelatesTo"}
	if n := m.CustomHeaderCount(relName); n != 1 {
		t.Errorf("%d RelatesTo custom headers, want 1", n)
	}
	if err := m.CheckMustUnderstand(); err != nil {
		t.Errorf("CheckMustUnderstand: %v", err)
	}
	for _, dup := range []string{
		`<a:RelatesTo>urn:uuid:1</a:RelatesTo><a:RelatesTo>urn:uuid:2</a:RelatesTo>`,
		`<a:RelatesTo>urn:uuid:1</a:RelatesTo><a:RelatesTo RelationshipType="http://www.w3.org/2005/08/addressing/reply">urn:uuid:2</a:RelatesTo>`,
		`<a:RelatesTo>urn:uuid:1</a:RelatesTo>` + other + other,
	} {
		m := mustNew(t, SOAP12, Addressing1_0, nil)
		err := m.ReadStart(newReader([]byte(env12Open + `<s:Header>` + dup + `</s:Header>` + okBody + envClose)))
		wantCode(t, err, errors.InvalidFormat)
		if !strings.Contains(err.Error(), "RelatesTo") {
			t.Errorf("%s: %v", dup, err)
		}
	}
}
