package message

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// stateEnvelope is what the Reading setup reads: a custom header and two
// body elements, so that ReadBody is legal once more.
const stateEnvelope = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">` +
	`<s:Header><a:Action>urn:x</a:Action><se:Session xmlns:se="urn:example:session"><se:ID>r</se:ID></se:Session></s:Header>` +
	`<s:Body><o:Order xmlns:o="urn:example:orders"><o:Item>a</o:Item><o:Qty>1</o:Qty></o:Order>` +
	`<o:Order xmlns:o="urn:example:orders"><o:Item>b</o:Item><o:Qty>2</o:Qty></o:Order></s:Body></s:Envelope>`

// inState returns a message in state st, holding a Session header in every
// state but Empty.
func inState(t *testing.T, st State) *Message {
	t.Helper()
	m := mustNew(t, SOAP12, Addressing1_0, nil)
	initialize := func() {
		if err := m.Initialize(Blank, nil); err != nil {
			t.Fatal(err)
		}
		if err := m.AddCustomHeader(&sessionHeader{ID: "w"}, HeaderAttributes{}); err != nil {
			t.Fatal(err)
		}
	}
	switch st {
	case Empty:
	case Initialized:
		initialize()
	case Writing:
		initialize()
		if err := m.WriteStart(xmlio.NewBufferWriter(nil)); err != nil {
			t.Fatal(err)
		}
	case Done:
		initialize()
		write(t, m, &orderBody{Item: "x", Qty: 1})
	case Reading:
		if err := m.ReadStart(xmlio.NewReader([]byte(stateEnvelope), nil)); err != nil {
			t.Fatal(err)
		}
	}
	if m.State() != st {
		t.Fatalf("setup reached %v, want %v", m.State(), st)
	}
	return m
}

// snapshot is the observable content of a message, to check that an
// illegal call changed nothing.
type snapshot struct {
	State     State
	Fault     bool
	Addressed bool
	Std       standardHeaders
	Hbuf      string
	Hdrs      []customHeader
	Mapped    []mappedHeader
	W         *xmlio.Writer
	R         *xmlio.Reader
	ReaderPos int64
}

func snap(m *Message) snapshot {
	s := snapshot{State: m.state, Fault: m.fault, Addressed: m.addressed, Std: m.std, Hbuf: string(m.hbuf),
		Hdrs: append([]customHeader(nil), m.hdrs...), Mapped: append([]mappedHeader(nil), m.mapped...), W: m.w, R: m.r}
	if m.r != nil {
		s.ReaderPos = m.r.Offset()
	}
	return s
}

// Independent expectations for stateOps, spelled out here rather than read
// from the transitions table under test (WWSAPI's per-function state
// rules): the states each method is legal in, and the state it leaves.
var (
	onlyEmpty       = []State{Empty}
	onlyInitialized = []State{Initialized}
	onlyWriting     = []State{Writing}
	onlyReading     = []State{Reading}
	withHeaders     = []State{Initialized, Reading, Writing, Done}
	readOrDone      = []State{Reading, Done}
)

// stateOps are the state-checked methods with an error result, each called
// with arguments under which it succeeds when the state allows it, with
// the states it is legal in and the state a legal call lands in (0: the
// state it was called in).
var stateOps = []struct {
	name  string
	op    operation
	legal []State
	to    State
	call  func(m *Message) error
}{
	{"Initialize", opInitialize, onlyEmpty, Initialized, func(m *Message) error { return m.Initialize(Request, nil) }},
	{"WriteStart", opWriteStart, onlyInitialized, Writing, func(m *Message) error { return m.WriteStart(xmlio.NewBufferWriter(nil)) }},
	{"WriteBody", opWriteBody, onlyWriting, 0, func(m *Message) error { return m.WriteBody(&orderBody{Item: "y", Qty: 2}) }},
	{"WriteEnd", opWriteEnd, onlyWriting, Done, func(m *Message) error { return m.WriteEnd() }},
	{"ReadStart", opReadStart, onlyEmpty, Reading, func(m *Message) error {
		return m.ReadStart(xmlio.NewReader([]byte(stateEnvelope), nil))
	}},
	{"ReadBody", opReadBody, onlyReading, 0, func(m *Message) error { var o orderBody; return m.ReadBody(&o) }},
	{"ReadEnd", opReadEnd, onlyReading, Done, func(m *Message) error { return m.ReadEnd() }},
	{"SetAction", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetAction("urn:y") }},
	{"SetTo", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetTo("http://y/") }},
	{"SetMessageID", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetMessageID("urn:uuid:1") }},
	{"SetRelatesTo", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetRelatesTo("urn:uuid:2", "") }},
	{"SetFrom", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetFrom(EndpointAddress{URL: "http://f/"}) }},
	{"SetReplyTo", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetReplyTo(EndpointAddress{URL: "http://r/"}) }},
	{"SetFaultTo", opSetHeader, withHeaders, 0, func(m *Message) error { return m.SetFaultTo(EndpointAddress{URL: "http://f/"}) }},
	{"RemoveHeader", opSetHeader, withHeaders, 0, func(m *Message) error { return m.RemoveHeader(ActionHeader) }},
	{"Address", opAddress, withHeaders, 0, func(m *Message) error {
		m.addressed = false // a read message is addressed; the table, not that flag, is under test
		return m.Address(&EndpointAddress{URL: "http://a/"})
	}},
	{"AddCustomHeader", opAddCustom, withHeaders, 0, func(m *Message) error {
		return m.AddCustomHeader(auditElement(), HeaderAttributes{MustUnderstand: false})
	}},
	{"CustomHeader", opGetCustom, withHeaders, 0, func(m *Message) error {
		var s sessionHeader
		_, err := m.CustomHeader(sessionName, &s)
		return err
	}},
	{"CustomHeaderAt", opGetCustom, withHeaders, 0, func(m *Message) error {
		var s sessionHeader
		_, err := m.CustomHeaderAt(sessionName, 0, &s)
		return err
	}},
	{"RemoveCustomHeader", opRemoveCustom, withHeaders, 0, func(m *Message) error { return m.RemoveCustomHeader(sessionName) }},
	{"MarkUnderstood", opMarkUnderstood, withHeaders, 0, func(m *Message) error { return m.MarkUnderstood(sessionName) }},
	{"CheckMustUnderstand", opCheckMustUnderstand, readOrDone, 0, func(m *Message) error { return m.CheckMustUnderstand() }},
	{"AddMappedHeader", opSetMapped, withHeaders, 0, func(m *Message) error { return m.AddMappedHeader("X-A", "1") }},
	{"RemoveMappedHeader", opSetMapped, withHeaders, 0, func(m *Message) error { return m.RemoveMappedHeader("X-A") }},
}

// TestStateTransitions calls every state-checked operation in every state:
// a legal call succeeds and lands in the table's state, an illegal one
// fails with InvalidOperation naming the operation and the state, and
// changes nothing.
func TestStateTransitions(t *testing.T) {
	for st := Empty; st <= Done; st++ {
		for _, o := range stateOps {
			t.Run(st.String()+"/"+o.name, func(t *testing.T) {
				m := inState(t, st)
				before := snap(m)
				err := o.call(m)
				legal := slices.Contains(o.legal, st)
				if tr := transitions[o.op]; tr.from.has(st) != legal {
					t.Errorf("the transition table allows %s in %v: %v; want %v", o.name, st, tr.from.has(st), legal)
				}
				if legal {
					if err != nil {
						t.Fatalf("legal %s in %v failed: %v", o.name, st, err)
					}
					want := st
					if o.to != 0 {
						want = o.to
					}
					if m.State() != want {
						t.Fatalf("%s in %v: state %v, want %v", o.name, st, m.State(), want)
					}
					return
				}
				e := wantCode(t, err, errors.InvalidOperation)
				msg := e.Error()
				if !strings.Contains(msg, o.name) || !strings.Contains(msg, st.String()) {
					t.Errorf("error %q does not name the operation %s and the state %v", msg, o.name, st)
				}
				if after := snap(m); !reflect.DeepEqual(before, after) {
					t.Errorf("illegal %s in %v changed the message:\nbefore %+v\nafter  %+v", o.name, st, before, after)
				}
			})
		}
	}
}

// TestStateGetters checks the accessors without an error result: they
// answer in the states the table allows and return zero values otherwise.
func TestStateGetters(t *testing.T) {
	for st := Empty; st <= Done; st++ {
		m := inState(t, st)
		headersOK := st != Empty
		if got := m.CustomHeaderCount(sessionName) == 1; got != headersOK {
			t.Errorf("%v: CustomHeaderCount sees the header: %v, want %v", st, got, headersOK)
		}
		if got := m.BodyWriter() != nil; got != (st == Writing) {
			t.Errorf("%v: BodyWriter non-nil = %v", st, got)
		}
		if got := m.BodyReader() != nil; got != (st == Reading) {
			t.Errorf("%v: BodyReader non-nil = %v", st, got)
		}
		if got := m.HasMoreBody(); got != (st == Reading) {
			t.Errorf("%v: HasMoreBody = %v", st, got)
		}
		if st != Empty {
			if err := m.SetAction("urn:get"); err != nil {
				t.Fatal(err)
			}
			if err := m.AddMappedHeader("X-Get", "v"); err != nil {
				t.Fatal(err)
			}
		}
		if a, ok := m.Action(); ok != headersOK || (ok && a != "urn:get") {
			t.Errorf("%v: Action = %q, %v", st, a, ok)
		}
		if v, ok := m.MappedHeader("x-get"); ok != headersOK || (ok && v != "v") {
			t.Errorf("%v: MappedHeader = %q, %v", st, v, ok)
		}
		m.Reset()
		if m.State() != Empty || m.CustomHeaderCount(sessionName) != 0 || m.IsAddressed() {
			t.Errorf("%v: Reset left state %v", st, m.State())
		}
	}
}

// TestSendReceiveSequence walks WWSAPI's canonical send and receive sequences and
// then reuses the message.
func TestSendReceiveSequence(t *testing.T) {
	m := mustNew(t, SOAP11, Addressing1_0, nil)
	for round := range 3 {
		if err := m.Initialize(Blank, nil); err != nil {
			t.Fatal(err)
		}
		if err := m.SetAction("urn:a"); err != nil {
			t.Fatal(err)
		}
		if err := m.Address(&EndpointAddress{URL: "http://x/"}); err != nil {
			t.Fatal(err)
		}
		if err := m.Address(nil); errors.CodeOf(err) != errors.InvalidOperation {
			t.Fatalf("second Address: %v, want InvalidOperation", err)
		}
		data := write(t, m, &orderBody{Item: "i", Qty: round})
		m.Reset()
		if err := m.ReadStart(xmlio.NewReader(data, nil)); err != nil {
			t.Fatal(err)
		}
		var o orderBody
		if err := m.ReadBody(&o); err != nil || o.Qty != round {
			t.Fatalf("round %d: ReadBody %+v, %v", round, o, err)
		}
		if err := m.ReadEnd(); err != nil {
			t.Fatal(err)
		}
		m.Reset()
	}
}

func TestStateSetString(t *testing.T) {
	if got := headersAccessible.String(); got != "Initialized, Reading, Writing or Done" {
		t.Errorf("stateSet.String() = %q", got)
	}
	if got := states(Empty).String(); got != "Empty" {
		t.Errorf("stateSet.String() = %q", got)
	}
}
