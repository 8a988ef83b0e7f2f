package message

import (
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// DefaultMaxProcessedHeaders is the default of Options.MaxProcessedHeaders,
// WWSAPI's WS_MESSAGE_PROPERTY_MAX_PROCESSED_HEADERS default.
const DefaultMaxProcessedHeaders = 64

// Options are a message's creation-time properties. The zero value (or a
// nil *Options) gives WWSAPI's defaults.
type Options struct {
	// MaxProcessedHeaders bounds the number of header elements ReadStart
	// accepts in a received envelope; more is a QuotaExceeded error naming
	// "MaxProcessedHeaders". Zero means DefaultMaxProcessedHeaders.
	MaxProcessedHeaders int

	// Reader holds the limits of the readers the message opens over its
	// stored headers (CustomHeader, fault details). The envelope reader
	// given to ReadStart carries its own options. Nil means xmlio's
	// defaults.
	Reader *xmlio.Options

	// Serialize is passed to package serialize for header and body values.
	Serialize *serialize.Options

	// Roles are SOAP role (SOAP 1.1 actor) URIs this node plays in addition
	// to the standard ones (no role, next, ultimateReceiver). A
	// mustUnderstand header targeted at one of them must be understood.
	Roles []string

	// NewMessageID returns the MessageID Initialize(Request) sets. Nil
	// means "urn:uuid:" followed by a random GUID. Tests use it to make
	// envelopes deterministic.
	NewMessageID func() string

	// AcceptOtherAddressing lets a message of WS-Addressing 1.0 or
	// 2004/08 read an envelope whose addressing headers are of the other
	// of the two: ReadStart then reads them as standard headers and the
	// message's AddressingVersion becomes the envelope's until Reset. A
	// service uses it to answer clients of either version in the version
	// they called with (WCF's WSHttpBinding speaks 1.0, older WSE and Axis
	// stacks 2004/08).
	AcceptOtherAddressing bool
}

// Message is a SOAP message (WWSAPI's WS_MESSAGE): a state machine holding
// the standard WS-Addressing headers, custom headers, mapped (transport)
// headers and, while Reading or Writing, the envelope reader or writer its
// body flows through. See the package documentation for the states and the
// send and receive sequences.
//
// A Message is reused with Reset, which keeps its buffers. It is not safe
// for concurrent use.
type Message struct {
	env         EnvelopeVersion
	addr        AddressingVersion
	addrNew     AddressingVersion // as given to New; Reset returns to it
	acceptOther bool              // Options.AcceptOtherAddressing
	maxHeaders  int
	roles       []string
	readerOpts  *xmlio.Options
	ser         *serialize.Options
	newID       func() string

	state     State
	fault     bool
	addressed bool

	std standardHeaders

	// Custom headers are kept serialized in hbuf, each a standalone element
	// (its namespace declarations included, its SOAP header attributes
	// removed) indexed by hdrs.
	hbuf   []byte
	hdrs   []customHeader
	mapped []mappedHeader

	hw *xmlio.Writer // scratch writer for header serialization
	hr *xmlio.Reader // scratch reader over stored headers

	w *xmlio.Writer // the envelope writer, while Writing
	r *xmlio.Reader // the envelope reader, while Reading

	// bodyDepth is the depth of body elements: the writer's depth inside
	// Body while Writing, the reader's depth of Body's children while
	// Reading. bodyCount counts the body elements written.
	bodyDepth int
	bodyCount int

	nsScratch []xmlio.NSDecl
}

// New returns an Empty message of the given envelope and addressing
// versions (WWSAPI's WsCreateMessage). EnvelopeNone requires
// AddressingTransport. opts may be nil.
func New(env EnvelopeVersion, addr AddressingVersion, opts *Options) (*Message, error) {
	const op = "New"
	if !env.valid() {
		return nil, errors.Errorf(errors.InvalidArgument, "unknown envelope version %d; use SOAP11, SOAP12 or EnvelopeNone", int(env)).WithOp(op)
	}
	if !addr.valid() {
		return nil, errors.Errorf(errors.InvalidArgument, "unknown addressing version %d; use Addressing0_9, Addressing1_0 or AddressingTransport", int(addr)).WithOp(op)
	}
	if env == EnvelopeNone && addr != AddressingTransport {
		return nil, errors.Errorf(errors.InvalidArgument, "EnvelopeNone has no headers, so it needs AddressingTransport, not %s", addr).WithOp(op)
	}
	m := &Message{env: env, addr: addr, addrNew: addr, maxHeaders: DefaultMaxProcessedHeaders, state: Empty}
	if opts != nil {
		if opts.MaxProcessedHeaders < 0 {
			return nil, errors.Errorf(errors.InvalidArgument, "MaxProcessedHeaders is %d; it must not be negative", opts.MaxProcessedHeaders).WithOp(op)
		}
		if opts.MaxProcessedHeaders > 0 {
			m.maxHeaders = opts.MaxProcessedHeaders
		}
		m.readerOpts = opts.Reader
		m.ser = opts.Serialize
		m.roles = append([]string(nil), opts.Roles...)
		m.newID = opts.NewMessageID
		m.acceptOther = opts.AcceptOtherAddressing && addr.usesHeaders()
	}
	return m, nil
}

// State returns the message's state (WS_MESSAGE_PROPERTY_STATE).
func (m *Message) State() State { return m.state }

// EnvelopeVersion returns the envelope version given to New.
func (m *Message) EnvelopeVersion() EnvelopeVersion { return m.env }

// AddressingVersion returns the addressing version given to New, or, for
// a message read with Options.AcceptOtherAddressing, the version of the
// envelope it read.
func (m *Message) AddressingVersion() AddressingVersion { return m.addr }

// IsFault reports whether the message is a fault
// (WS_MESSAGE_PROPERTY_IS_FAULT): set by Initialize(FaultReply), by
// writing an *errors.Fault body, and by ReadStart when the first body
// element is a SOAP Fault. A channel uses it to choose HTTP status 500.
func (m *Message) IsFault() bool { return m.fault }

// IsAddressed reports whether the message has been addressed
// (WS_MESSAGE_PROPERTY_IS_ADDRESSED): by Address, by Initialize(Reply or
// FaultReply), or by being read.
func (m *Message) IsAddressed() bool { return m.addressed }

// Reset returns the message to Empty from any state (WsResetMessage),
// dropping its headers, body reader or writer and flags but keeping its
// buffers, so a reused message does not allocate them again.
func (m *Message) Reset() {
	m.state = Empty
	m.addr = m.addrNew
	m.fault = false
	m.addressed = false
	m.std.clear()
	m.clearCustomHeaders()
	clear(m.mapped)
	m.mapped = m.mapped[:0]
	m.w = nil
	m.r = nil
}

// scratchWriter returns the message's reusable in-memory writer, emptied.
func (m *Message) scratchWriter() *xmlio.Writer {
	if m.hw == nil {
		m.hw = xmlio.NewBufferWriter(nil)
	} else {
		m.hw.Reset(nil)
	}
	return m.hw
}

// bytesReader returns the message's reusable reader positioned before data.
func (m *Message) bytesReader(data []byte) *xmlio.Reader {
	if m.hr == nil {
		m.hr = xmlio.NewReader(data, m.readerOpts)
	} else {
		m.hr.Reset(data)
	}
	return m.hr
}

// asError returns err as an *errors.Error: unchanged if it already is one
// (with op set when it has none), else wrapped with code.
func asError(op string, code errors.Code, err error, context string) error {
	var e *errors.Error
	if errors.As(err, &e) {
		if e.Op == "" {
			e.Op = op
		}
		return err
	}
	return errors.Errorf(code, "%s: %w", context, err).WithOp(op)
}
