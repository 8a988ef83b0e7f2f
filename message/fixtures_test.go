package message

import (
	"encoding/xml"
	"fmt"
	"testing"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

const (
	nsOrders  = "urn:example:orders"
	nsSession = "urn:example:session"
	nsAudit   = "urn:example:audit"
	roleAudit = "urn:example:role:audit"
)

// orderBody is the typed body of the test messages.
type orderBody struct {
	XMLName xml.Name `xml:"urn:example:orders Order"`
	Item    string   `xml:"urn:example:orders Item"`
	Qty     int      `xml:"urn:example:orders Qty"`
}

// sessionHeader is the typed custom header of the test messages.
type sessionHeader struct {
	XMLName xml.Name `xml:"urn:example:session Session"`
	ID      string   `xml:"urn:example:session ID"`
}

// faultInfo is the typed fault detail of the test faults.
type faultInfo struct {
	XMLName xml.Name `xml:"urn:example:orders OrderFault"`
	Code    int      `xml:"urn:example:orders Code"`
}

var (
	sessionName = xml.Name{Space: nsSession, Local: "Session"}
	auditName   = xml.Name{Space: nsAudit, Local: "Audit"}
)

// auditElement is the etree custom header of the test messages.
func auditElement() *etree.Element {
	el := etree.NewElement("au:Audit")
	el.CreateAttr("xmlns:au", nsAudit)
	el.CreateAttr("level", "high")
	el.CreateElement("au:By").SetText("tester")
	return el
}

// refParam is a WS-Addressing reference parameter of the test endpoints.
func refParam(text string) *etree.Element {
	el := etree.NewElement("r:Ticket")
	el.CreateAttr("xmlns:r", "urn:example:ref")
	el.SetText(text)
	return el
}

func fixedID(n int) func() string {
	return func() string { return fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", n) }
}

func mustNew(t testing.TB, env EnvelopeVersion, addr AddressingVersion, opts *Options) *Message {
	t.Helper()
	m, err := New(env, addr, opts)
	if err != nil {
		t.Fatalf("New(%v, %v): %v", env, addr, err)
	}
	return m
}

// write runs WriteStart, WriteBody for each body and WriteEnd and returns
// the envelope.
func write(t testing.TB, m *Message, bodies ...any) []byte {
	t.Helper()
	w := xmlio.NewBufferWriter(nil)
	if err := m.WriteStart(w); err != nil {
		t.Fatalf("WriteStart: %v", err)
	}
	for _, b := range bodies {
		if err := m.WriteBody(b); err != nil {
			t.Fatalf("WriteBody: %v", err)
		}
	}
	if err := m.WriteEnd(); err != nil {
		t.Fatalf("WriteEnd: %v", err)
	}
	return w.Bytes()
}

// readStart reads data into a new message of the given versions.
func readStart(t testing.TB, env EnvelopeVersion, addr AddressingVersion, data []byte) *Message {
	t.Helper()
	m := mustNew(t, env, addr, nil)
	if err := m.ReadStart(xmlio.NewReader(data, nil)); err != nil {
		t.Fatalf("ReadStart: %v\n%s", err, data)
	}
	return m
}

// wantCode fails the test unless err is an *errors.Error with code.
func wantCode(t testing.TB, err error, code errors.Code) *errors.Error {
	t.Helper()
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *errors.Error with code %v", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("error code %v, want %v: %v", e.Code, code, err)
	}
	return e
}

func newReader(data []byte) *xmlio.Reader { return xmlio.NewReader(data, nil) }

func newWriter() *xmlio.Writer { return xmlio.NewBufferWriter(nil) }
