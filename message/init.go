package message

import (
	"strconv"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
)

// InitKind is how Initialize fills a message's headers (WWSAPI's
// WS_MESSAGE_INITIALIZATION).
type InitKind int

// The initialization kinds, with WWSAPI's values.
const (
	// Blank leaves the headers empty.
	Blank InitKind = 0
	// Duplicate copies the source message's headers: standard, custom
	// (with their attributes) and mapped. Headers the new message's
	// versions cannot carry (WS-Addressing-only headers under
	// AddressingTransport) are left out.
	Duplicate InitKind = 1
	// Request sets a fresh MessageID ("urn:uuid:" and a random GUID, or
	// Options.NewMessageID) with WS-Addressing; nothing else.
	Request InitKind = 2
	// Reply addresses the message to the source's ReplyTo and sets
	// RelatesTo to the source's MessageID.
	Reply InitKind = 3
	// FaultReply is Reply for a fault: it addresses the message to the
	// source's FaultTo (ReplyTo when absent; with WS-Addressing 2004/08
	// From when both are absent) and marks the message a fault.
	FaultReply InitKind = 4
)

// String returns the kind's name, such as "Request".
func (k InitKind) String() string {
	switch k {
	case Blank:
		return "Blank"
	case Duplicate:
		return "Duplicate"
	case Request:
		return "Request"
	case Reply:
		return "Reply"
	case FaultReply:
		return "FaultReply"
	}
	return "InitKind(" + strconv.Itoa(int(k)) + ")"
}

// Initialize moves an Empty message to Initialized, filling its headers as
// kind says (WsInitializeMessage). source is needed by Duplicate, Reply and
// FaultReply (and ignored otherwise); it must not be Empty.
//
// Reply and FaultReply address the message (IsAddressed becomes true):
// with WS-Addressing the reply endpoint's reference parameters become
// headers and To becomes its address, except that a WS-Addressing 1.0
// reply to the anonymous address (or to no ReplyTo at all) carries no To,
// which means anonymous in 1.0; WS-Addressing 0.9 always writes To, as its
// submission requires. A reply to 1.0's none address gets To set to it, so
// the channel can see the reply is to be discarded. With
// AddressingTransport the transport correlates the reply and no header is
// set.
func (m *Message) Initialize(kind InitKind, source *Message) error {
	const op = "Initialize"
	if err := m.check(opInitialize); err != nil {
		return err
	}
	switch kind {
	case Blank:
	case Request:
		if m.addr.usesHeaders() {
			id := m.nextMessageID()
			if id == "" {
				return errors.Errorf(errors.InvalidArgument, "Options.NewMessageID returned an empty MessageID").WithOp(op)
			}
			m.std.messageID = id
			m.std.set(MessageIDHeader)
		}
	case Duplicate, Reply, FaultReply:
		if source == nil {
			return errors.Errorf(errors.InvalidArgument, "Initialize(%s) needs a source message", kind).WithOp(op)
		}
		if source == m {
			return errors.Errorf(errors.InvalidArgument, "Initialize(%s): the source message is the message itself", kind).WithOp(op)
		}
		if source.state == Empty {
			return errors.Errorf(errors.InvalidOperation, "Initialize(%s): the source message is Empty and has no headers", kind).WithOp(op)
		}
		var err error
		if kind == Duplicate {
			err = m.duplicate(op, source)
		} else {
			err = m.reply(op, source, kind == FaultReply)
		}
		if err != nil {
			m.Reset()
			return err
		}
	default:
		return errors.Errorf(errors.InvalidArgument, "unknown initialization kind %d", int(kind)).WithOp(op)
	}
	m.advance(opInitialize)
	return nil
}

func (m *Message) nextMessageID() string {
	if m.newID != nil {
		return m.newID()
	}
	return serialize.NewGUID().URN()
}

// duplicate copies source's headers into m.
func (m *Message) duplicate(op string, source *Message) error {
	if m.env == EnvelopeNone && len(source.hdrs) > 0 {
		return errors.Errorf(errors.InvalidOperation, "the source message has %d custom headers, which a message with EnvelopeNone cannot carry", len(source.hdrs)).WithOp(op)
	}
	for h := ActionHeader; h <= FaultToHeader; h++ {
		if !source.std.has(h) || (h.addressingOnly() && !m.addr.usesHeaders()) {
			continue
		}
		m.std.set(h)
		switch h {
		case ActionHeader:
			m.std.action = source.std.action
		case ToHeader:
			m.std.to = source.std.to
		case MessageIDHeader:
			m.std.messageID = source.std.messageID
		case RelatesToHeader:
			m.std.relatesTo, m.std.relationshipType = source.std.relatesTo, source.std.relationshipType
		default:
			*m.std.endpoint(h) = source.std.endpoint(h).clone()
		}
	}
	m.hbuf = append(m.hbuf[:0], source.hbuf...)
	m.hdrs = append(m.hdrs[:0], source.hdrs...)
	m.mapped = append(m.mapped[:0], source.mapped...)
	m.addressed = source.addressed
	return nil
}

// reply addresses m as the reply (or fault) to source.
func (m *Message) reply(op string, source *Message, fault bool) error {
	if m.addr.usesHeaders() {
		if source.std.has(MessageIDHeader) {
			m.std.relatesTo = source.std.messageID
			m.std.set(RelatesToHeader)
		}
		var ep *EndpointAddress
		switch {
		case fault && source.std.has(FaultToHeader):
			ep = &source.std.faultTo
		case source.std.has(ReplyToHeader):
			ep = &source.std.replyTo
		case fault && source.addr == Addressing0_9 && source.std.has(FromHeader):
			// The 2004/08 submission's last resort for faults is the
			// source endpoint; 1.0 defaults to anonymous instead.
			ep = &source.std.from
		}
		var ep2 EndpointAddress
		if ep != nil {
			ep2 = *ep
		}
		anonymous := ep2.URL == "" || ep2.URL == Addressing1_0.AnonymousURL() || ep2.URL == Addressing0_9.AnonymousURL()
		to, setTo := ep2.URL, true
		switch {
		case anonymous && m.addr == Addressing1_0:
			setTo = false
		case anonymous:
			to = m.addr.AnonymousURL()
		}
		if err := m.addressTo(op, to, setTo, ep2.ReferenceParameters); err != nil {
			return err
		}
	}
	m.addressed = true
	m.fault = fault
	return nil
}
