package message

import (
	"strconv"

	"github.com/wsgo/wsgo/errors"
)

// HeaderType names a standard header (WWSAPI's WS_HEADER_TYPE).
type HeaderType int

// The standard headers, with WWSAPI's values.
const (
	ActionHeader    HeaderType = 1 // wsa:Action; with AddressingTransport the SOAPAction
	ToHeader        HeaderType = 2 // wsa:To; with AddressingTransport the URL
	MessageIDHeader HeaderType = 3 // wsa:MessageID; WS-Addressing only
	RelatesToHeader HeaderType = 4 // wsa:RelatesTo; WS-Addressing only
	FromHeader      HeaderType = 5 // wsa:From; WS-Addressing only
	ReplyToHeader   HeaderType = 6 // wsa:ReplyTo; WS-Addressing only
	FaultToHeader   HeaderType = 7 // wsa:FaultTo; WS-Addressing only
)

// headerLocal is each standard header's element name in the WS-Addressing
// namespaces, indexed by HeaderType.
var headerLocal = [...]string{
	ActionHeader:    "Action",
	ToHeader:        "To",
	MessageIDHeader: "MessageID",
	RelatesToHeader: "RelatesTo",
	FromHeader:      "From",
	ReplyToHeader:   "ReplyTo",
	FaultToHeader:   "FaultTo",
}

// String returns the header's element name, such as "MessageID".
func (h HeaderType) String() string {
	if h.valid() {
		return headerLocal[h]
	}
	return "HeaderType(" + strconv.Itoa(int(h)) + ")"
}

func (h HeaderType) valid() bool { return h >= ActionHeader && h <= FaultToHeader }

// addressingOnly reports whether the header exists only with WS-Addressing
// (not with AddressingTransport).
func (h HeaderType) addressingOnly() bool { return h >= MessageIDHeader }

// standardHeaderType returns the HeaderType whose element name is local.
func standardHeaderType[T string | []byte](local T) (HeaderType, bool) {
	for h := ActionHeader; h <= FaultToHeader; h++ {
		if string(local) == headerLocal[h] {
			return h, true
		}
	}
	return 0, false
}

// RelationshipReply is WS-Addressing 1.0's default RelatesTo relationship
// type (a reply to the related message).
const RelationshipReply = NamespaceAddressing1_0 + "/reply"

// standardHeaders holds the standard headers as values; they are written
// from these fields and read into them.
type standardHeaders struct {
	present          uint8 // bit 1<<HeaderType per header set
	action           string
	to               string
	messageID        string
	relatesTo        string
	relationshipType string
	from             EndpointAddress
	replyTo          EndpointAddress
	faultTo          EndpointAddress
}

func (s *standardHeaders) has(h HeaderType) bool { return s.present&(1<<h) != 0 }
func (s *standardHeaders) set(h HeaderType)      { s.present |= 1 << h }

func (s *standardHeaders) remove(h HeaderType) {
	s.present &^= 1 << h
	switch h {
	case ActionHeader:
		s.action = ""
	case ToHeader:
		s.to = ""
	case MessageIDHeader:
		s.messageID = ""
	case RelatesToHeader:
		s.relatesTo, s.relationshipType = "", ""
	case FromHeader:
		s.from = EndpointAddress{}
	case ReplyToHeader:
		s.replyTo = EndpointAddress{}
	case FaultToHeader:
		s.faultTo = EndpointAddress{}
	}
}

func (s *standardHeaders) clear() { *s = standardHeaders{} }

// endpoint returns the field of an endpoint-address header.
func (s *standardHeaders) endpoint(h HeaderType) *EndpointAddress {
	switch h {
	case FromHeader:
		return &s.from
	case ReplyToHeader:
		return &s.replyTo
	case FaultToHeader:
		return &s.faultTo
	}
	return nil
}

// checkSet checks that header h may be set or removed now.
func (m *Message) checkSet(h HeaderType, name string) error {
	if err := m.checkFor(opSetHeader, name); err != nil {
		return err
	}
	if h.addressingOnly() && !m.addr.usesHeaders() {
		return errors.Errorf(errors.InvalidOperation,
			"the %s header exists only with WS-Addressing; this message uses %s", h, m.addr).WithOp(name)
	}
	return nil
}

// readable reports whether header h can be read now and is present.
func (m *Message) readable(h HeaderType) bool {
	return m.allowed(opGetHeader) && m.std.has(h)
}

// SetAction sets the Action header: wsa:Action with WS-Addressing, the
// SOAPAction the transport sends with AddressingTransport. It replaces an
// Action already set.
func (m *Message) SetAction(action string) error {
	if err := m.checkSet(ActionHeader, "SetAction"); err != nil {
		return err
	}
	m.std.action = action
	m.std.set(ActionHeader)
	return nil
}

// Action returns the Action header and whether it is set.
func (m *Message) Action() (string, bool) {
	if !m.readable(ActionHeader) {
		return "", false
	}
	return m.std.action, true
}

// SetTo sets the To header: wsa:To with WS-Addressing, the address the
// transport sends to with AddressingTransport. Address does the same and
// also adds the endpoint's reference parameters.
func (m *Message) SetTo(to string) error {
	if err := m.checkSet(ToHeader, "SetTo"); err != nil {
		return err
	}
	m.std.to = to
	m.std.set(ToHeader)
	return nil
}

// To returns the To header and whether it is set.
func (m *Message) To() (string, bool) {
	if !m.readable(ToHeader) {
		return "", false
	}
	return m.std.to, true
}

// SetMessageID sets the wsa:MessageID header, normally "urn:uuid:" and a
// GUID (Initialize(Request) sets one). It fails with InvalidOperation
// under AddressingTransport.
func (m *Message) SetMessageID(id string) error {
	if err := m.checkSet(MessageIDHeader, "SetMessageID"); err != nil {
		return err
	}
	if id == "" {
		return errors.Errorf(errors.InvalidArgument, "the MessageID is empty; give a URI such as urn:uuid:...").WithOp("SetMessageID")
	}
	m.std.messageID = id
	m.std.set(MessageIDHeader)
	return nil
}

// MessageID returns the wsa:MessageID header and whether it is set.
func (m *Message) MessageID() (string, bool) {
	if !m.readable(MessageIDHeader) {
		return "", false
	}
	return m.std.messageID, true
}

// SetRelatesTo sets the wsa:RelatesTo header to the MessageID of a related
// message. relationshipType is written as the RelationshipType attribute
// when not empty (empty means a reply). It fails with InvalidOperation
// under AddressingTransport.
func (m *Message) SetRelatesTo(id, relationshipType string) error {
	if err := m.checkSet(RelatesToHeader, "SetRelatesTo"); err != nil {
		return err
	}
	if id == "" {
		return errors.Errorf(errors.InvalidArgument, "the RelatesTo ID is empty; give the related message's MessageID").WithOp("SetRelatesTo")
	}
	m.std.relatesTo, m.std.relationshipType = id, relationshipType
	m.std.set(RelatesToHeader)
	return nil
}

// RelatesTo returns the wsa:RelatesTo header: the related MessageID, the
// RelationshipType attribute as written ("" when absent), and whether the
// header is set.
func (m *Message) RelatesTo() (id, relationshipType string, ok bool) {
	if !m.readable(RelatesToHeader) {
		return "", "", false
	}
	return m.std.relatesTo, m.std.relationshipType, true
}

// SetFrom sets the wsa:From header (the sender's endpoint).
func (m *Message) SetFrom(ep EndpointAddress) error { return m.setEndpoint(FromHeader, "SetFrom", ep) }

// From returns the wsa:From header and whether it is set. The returned
// value shares its reference parameters with the message; copy them before
// changing them.
func (m *Message) From() (EndpointAddress, bool) { return m.endpointHeader(FromHeader) }

// SetReplyTo sets the wsa:ReplyTo header (where replies go).
func (m *Message) SetReplyTo(ep EndpointAddress) error {
	return m.setEndpoint(ReplyToHeader, "SetReplyTo", ep)
}

// ReplyTo returns the wsa:ReplyTo header and whether it is set.
func (m *Message) ReplyTo() (EndpointAddress, bool) { return m.endpointHeader(ReplyToHeader) }

// SetFaultTo sets the wsa:FaultTo header (where faults go).
func (m *Message) SetFaultTo(ep EndpointAddress) error {
	return m.setEndpoint(FaultToHeader, "SetFaultTo", ep)
}

// FaultTo returns the wsa:FaultTo header and whether it is set.
func (m *Message) FaultTo() (EndpointAddress, bool) { return m.endpointHeader(FaultToHeader) }

func (m *Message) setEndpoint(h HeaderType, name string, ep EndpointAddress) error {
	if err := m.checkSet(h, name); err != nil {
		return err
	}
	if err := ep.validate(); err != nil {
		return asError(name, errors.InvalidArgument, err, "")
	}
	*m.std.endpoint(h) = ep
	m.std.set(h)
	return nil
}

func (m *Message) endpointHeader(h HeaderType) (EndpointAddress, bool) {
	if !m.readable(h) {
		return EndpointAddress{}, false
	}
	return *m.std.endpoint(h), true
}

// RemoveHeader removes a standard header (WsRemoveHeader). Removing one
// that is not set is not an error.
func (m *Message) RemoveHeader(h HeaderType) error {
	if !h.valid() {
		return errors.Errorf(errors.InvalidArgument, "unknown header type %d", int(h)).WithOp("RemoveHeader")
	}
	if err := m.checkSet(h, "RemoveHeader"); err != nil {
		return err
	}
	m.std.remove(h)
	return nil
}
