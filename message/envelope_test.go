package message

import (
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
