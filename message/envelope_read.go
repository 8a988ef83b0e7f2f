package message

import (
	"encoding/xml"
	"slices"
	"strings"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// ErrVersionMismatch is what the InvalidFormat error ReadStart returns
// for an Envelope element in another namespace than the message's SOAP
// version matches with errors.Is; its cause is a *VersionMismatchError
// saying what was received. A host answers it with a VersionMismatch fault
// (SOAP 1.2 Part 1 §5.4.7). Test with IsVersionMismatch or
// errors.Is(err, ErrVersionMismatch).
var ErrVersionMismatch = errors.New("SOAP envelope version mismatch")

// VersionMismatchError is the cause inside ReadStart's error for an
// envelope of another SOAP version than the message's. It says which
// version arrived, because the answer depends on it: a SOAP 1.1 sender
// gets a SOAP 1.1 VersionMismatch fault (SOAP 1.2 Part 1 Appendix A),
// a sender of an unknown version a fault in the receiver's own version;
// both should carry an UpgradeHeader listing the versions supported.
//
//	var vm *message.VersionMismatchError
//	if errors.As(err, &vm) { reply, _ := message.New(vm.ReplyVersion(), ...) }
type VersionMismatchError struct {
	// Expected is the message's envelope version.
	Expected EnvelopeVersion
	// Received is the version of the envelope received, 0 when its
	// namespace is no SOAP version's.
	Received EnvelopeVersion
	// Namespace is the namespace of the Envelope element received.
	Namespace string
}

// Error describes the mismatch.
func (e *VersionMismatchError) Error() string {
	if e.Received != 0 {
		return "received a " + e.Received.String() + " envelope, expected " + e.Expected.String()
	}
	return "received an Envelope in the unknown namespace \"" + e.Namespace + "\", expected " + e.Expected.String()
}

// Is makes errors.Is(err, ErrVersionMismatch) true.
func (e *VersionMismatchError) Is(target error) bool { return target == ErrVersionMismatch }

// ReplyVersion is the envelope version to send the VersionMismatch fault
// in: the received version when it is a SOAP version this package writes,
// else the expected one.
func (e *VersionMismatchError) ReplyVersion() EnvelopeVersion {
	if e.Received == SOAP11 || e.Received == SOAP12 {
		return e.Received
	}
	return e.Expected
}

// IsVersionMismatch reports whether err says a received envelope was of
// another SOAP version than expected.
func IsVersionMismatch(err error) bool { return errors.Is(err, ErrVersionMismatch) }

// ReadStart reads the envelope start from r and moves an Empty message to
// Reading (WsReadEnvelopeStart): the Envelope element, every header (the
// standard WS-Addressing headers of the message's version into their
// fields, all others stored as custom headers, to be read in any order
// afterwards), and the Body start tag, leaving r on the first body element.
// The message is addressed afterwards, and is a fault when that element is
// a SOAP Fault. With EnvelopeNone, the document element is the body.
//
// Every violation of the envelope's structure is an InvalidFormat error:
// an Envelope of another version (its cause is a *VersionMismatchError,
// which errors.Is matches to ErrVersionMismatch), a header block without a
// namespace, a standard header twice (RelatesTo may repeat with different
// RelationshipTypes; the ones after the first are kept as custom headers).
// More headers than Options.MaxProcessedHeaders is QuotaExceeded; errors
// of r (its depth, size and namespace quotas, malformed XML, a DTD, a
// processing instruction) are returned as r reports them. On failure the
// message stays Empty.
func (m *Message) ReadStart(r *xmlio.Reader) error {
	const op = "ReadStart"
	if err := m.check(opReadStart); err != nil {
		return err
	}
	if r == nil {
		return errors.Errorf(errors.InvalidArgument, "the reader is nil").WithOp(op)
	}
	if err := m.readStart(r); err != nil {
		m.Reset()
		return asError(op, errors.InvalidFormat, err, "reading the envelope")
	}
	m.r = r
	m.addressed = true
	m.advance(opReadStart)
	return nil
}

func (m *Message) readStart(r *xmlio.Reader) error {
	if r.Kind() != xmlio.StartElement || r.Depth() != 1 {
		for {
			k, err := r.Next()
			if err != nil {
				return err
			}
			if k == xmlio.StartElement {
				break
			}
			if k == xmlio.EOF {
				if m.env == EnvelopeNone {
					m.bodyDepth = 1
					return nil // an empty raw body
				}
				return errors.Errorf(errors.InvalidFormat, "the document has no root element; expected a %s Envelope", m.env)
			}
		}
	}
	if m.env == EnvelopeNone {
		m.bodyDepth = 1
		return nil
	}
	ns := m.env.Namespace()
	if !r.Is("Envelope", ns) {
		return m.rootError(r)
	}
	m.bodyDepth = 3
	sawHeader := false
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlio.StartElement:
			switch {
			case r.Is("Header", ns):
				if sawHeader {
					return errors.Errorf(errors.InvalidFormat, "line %d: the Envelope has two Header elements", r.Line())
				}
				sawHeader = true
				if err := m.readHeaders(r); err != nil {
					return err
				}
			case r.Is("Body", ns):
				more, err := m.seekBody(r)
				if err != nil {
					return err
				}
				if more && r.Is("Fault", ns) {
					m.fault = true
				}
				return nil
			default:
				return errors.Errorf(errors.InvalidFormat, "line %d: unexpected element %s in the Envelope; expected Header or Body", r.Line(), formatName(currentName(r)))
			}
		case xmlio.Text:
			if !r.IsWhitespace() {
				return errors.Errorf(errors.InvalidFormat, "line %d: text in the Envelope element; only Header and Body are allowed there", r.Line())
			}
		case xmlio.EndElement:
			return errors.Errorf(errors.InvalidFormat, "line %d: the Envelope has no Body", r.Line())
		case xmlio.EOF:
			return errTruncated(r)
		}
	}
}

// rootError explains why the root element is not the expected Envelope.
func (m *Message) rootError(r *xmlio.Reader) error {
	if string(r.Local()) != "Envelope" {
		return errors.Errorf(errors.InvalidFormat, "line %d: the root element %s is not a SOAP Envelope; expected {%s}Envelope", r.Line(), formatName(currentName(r)), m.env.Namespace())
	}
	var e *errors.Error
	got, ok := envelopeVersionOf(r.Namespace())
	if ok {
		e = errors.Errorf(errors.InvalidFormat, "received a %s envelope, expected %s; the peer uses another SOAP version (answer with a VersionMismatch fault, or create the message with %s)", got, m.env, got)
	} else {
		e = errors.Errorf(errors.InvalidFormat, "line %d: the Envelope element is in the unknown namespace %q; expected %s's %q (answer with a VersionMismatch fault)", r.Line(), r.Namespace(), m.env, m.env.Namespace())
	}
	e.Err = &VersionMismatchError{Expected: m.env, Received: got, Namespace: string(r.Namespace())}
	return e
}

// readHeaders reads the children of the Header element r is on.
func (m *Message) readHeaders(r *xmlio.Reader) error {
	count := 0
	var moreRelations []string // relationship types of RelatesTo headers after the first
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlio.StartElement:
			count++
			if count > m.maxHeaders {
				return errors.Quotaf("MaxProcessedHeaders", "line %d: the envelope has more than %d headers; raise Options.MaxProcessedHeaders if the sender is legitimate", r.Line(), m.maxHeaders)
			}
			if len(r.Namespace()) == 0 {
				return errors.Errorf(errors.InvalidFormat, "line %d: header %s has no namespace; %s requires every header block to be namespace-qualified (answer with a Sender fault)", r.Line(), formatName(currentName(r)), m.env)
			}
			attrs, err := readHeaderAttrs(r, m.env)
			if err != nil {
				return err
			}
			m.adoptAddressing(r)
			if h, ok := m.standardHeaderAt(r); ok {
				if h == RelatesToHeader && m.std.has(h) {
					// RelatesTo repeats, once per relationship type
					// (WS-Addressing 1.0 Core §3.2); the first is the
					// standard header, later ones are kept as understood
					// custom headers.
					v, _ := r.AttrValue("RelationshipType", "")
					rel := m.relationship(string(trimSpace(v)))
					if rel == m.relationship(m.std.relationshipType) || slices.Contains(moreRelations, rel) {
						return errors.Errorf(errors.InvalidFormat, "line %d: the envelope has two RelatesTo headers of the same RelationshipType; a message relates to one message per relationship", r.Line())
					}
					moreRelations = append(moreRelations, rel)
					if err = m.storeReceived(r, attrs); err == nil {
						m.hdrs[len(m.hdrs)-1].understood = true
					}
				} else {
					err = m.readStandard(r, h)
				}
			} else {
				err = m.storeReceived(r, attrs)
			}
			if err != nil {
				return err
			}
		case xmlio.Text:
			if !r.IsWhitespace() {
				return errors.Errorf(errors.InvalidFormat, "line %d: text in the Header element; only header elements are allowed there", r.Line())
			}
		case xmlio.EndElement:
			return nil
		case xmlio.EOF:
			return errTruncated(r)
		}
	}
}

// adoptAddressing switches a message with AcceptOtherAddressing to the
// other header-based WS-Addressing version when r is on a header of that
// version's namespace and no standard header has been read yet: an
// envelope speaks one version.
func (m *Message) adoptAddressing(r *xmlio.Reader) {
	if !m.acceptOther || m.std.present != 0 || m.addr != m.addrNew {
		return
	}
	other := Addressing0_9
	if m.addr == Addressing0_9 {
		other = Addressing1_0
	}
	if string(r.Namespace()) == other.Namespace() {
		if _, ok := standardHeaderType(r.Local()); ok {
			m.addr = other
		}
	}
}

// standardHeaderAt reports whether r is on a standard header of the
// message's addressing version.
func (m *Message) standardHeaderAt(r *xmlio.Reader) (HeaderType, bool) {
	if !m.addr.usesHeaders() || string(r.Namespace()) != m.addr.Namespace() {
		return 0, false
	}
	return standardHeaderType(r.Local())
}

// relationship returns a RelatesTo's relationship type with the default
// made explicit: WS-Addressing 1.0's reply for an absent RelationshipType.
func (m *Message) relationship(relType string) string {
	if relType == "" && m.addr == Addressing1_0 {
		return RelationshipReply
	}
	return relType
}

// readStandard reads standard header h; r is on its start tag and is left
// on its end tag.
func (m *Message) readStandard(r *xmlio.Reader, h HeaderType) error {
	if m.std.has(h) {
		return errors.Errorf(errors.InvalidFormat, "line %d: the envelope has two %s headers; a message carries each standard header once", r.Line(), h)
	}
	switch h {
	case FromHeader, ReplyToHeader, FaultToHeader:
		ep, err := m.readEndpoint(r, h)
		if err != nil {
			return err
		}
		*m.std.endpoint(h) = ep
	default:
		var relType string
		if h == RelatesToHeader {
			if v, ok := r.AttrValue("RelationshipType", ""); ok {
				relType = strings.TrimSpace(string(v))
			}
		}
		text, err := r.ReadElementText(nil)
		if err != nil {
			return err
		}
		value := strings.TrimSpace(string(text))
		switch h {
		case ActionHeader:
			m.std.action = value
		case ToHeader:
			m.std.to = value
		case MessageIDHeader:
			m.std.messageID = value
		case RelatesToHeader:
			m.std.relatesTo, m.std.relationshipType = value, relType
		}
	}
	m.std.set(h)
	return nil
}

// seekBody moves r to the next body element (true) or to the end of the
// body (false), from wherever the last read left it.
func (m *Message) seekBody(r *xmlio.Reader) (bool, error) {
	bd := m.bodyDepth
	// between is set while r is directly inside Body, between body
	// elements, where only whitespace may appear. (It is tracked rather than
	// derived from the depth of text nodes.)
	between := false
	for {
		k, d := r.Kind(), r.Depth()
		switch {
		case k == xmlio.StartElement && d == bd:
			return true, nil
		case k == xmlio.EndElement && d == bd-1 && bd > 1:
			return false, nil
		case k == xmlio.EOF:
			if m.env == EnvelopeNone {
				return false, nil
			}
			return false, errTruncated(r)
		case k == xmlio.Text && between && !r.IsWhitespace():
			return false, errors.Errorf(errors.InvalidFormat, "line %d: text in the Body element; only elements are allowed there", r.Line())
		}
		between = (k == xmlio.StartElement && d == bd-1) || (k == xmlio.EndElement && d == bd) ||
			(between && (k == xmlio.Text || k == xmlio.Comment))
		if _, err := r.Next(); err != nil {
			return false, err
		}
	}
}

// HasMoreBody reports whether ReadBody has a body element left to read.
func (m *Message) HasMoreBody() bool {
	return m.allowed(opReadBody) && m.r.Kind() == xmlio.StartElement && m.r.Depth() == m.bodyDepth
}

// BodyName returns the name of the next body element, for dispatching on
// it, and false when there is none or the message is not Reading.
func (m *Message) BodyName() (xml.Name, bool) {
	if !m.HasMoreBody() {
		return xml.Name{}, false
	}
	return currentName(m.r), true
}

// ReadBody reads the next body element into v (WsReadBody). v is a pointer
// to what package serialize reads (a struct, **etree.Element, ...), or an
// *errors.Fault for a SOAP Fault of the message's version. When v names
// its element (an XMLName) and the next body element has another name,
// ReadBody fails with InvalidFormat and leaves the element unread, so
// another type can be tried. Reading past the last element is InvalidFormat.
func (m *Message) ReadBody(v any) error {
	const op = "ReadBody"
	if err := m.check(opReadBody); err != nil {
		return err
	}
	if v == nil {
		return errors.Errorf(errors.InvalidArgument, "the destination is nil").WithOp(op)
	}
	r := m.r
	more, err := m.seekBody(r)
	if err != nil {
		return asError(op, errors.InvalidFormat, err, "reading the body")
	}
	if !more {
		return errors.Errorf(errors.InvalidFormat, "line %d: the body has no more elements", r.Line()).WithOp(op)
	}
	if f, ok := v.(*errors.Fault); ok {
		if f == nil {
			return errors.Errorf(errors.InvalidArgument, "the destination fault is nil").WithOp(op)
		}
		if m.env == EnvelopeNone || !r.Is("Fault", m.env.Namespace()) {
			return errors.Errorf(errors.InvalidFormat, "line %d: the body element %s is not a %s Fault", r.Line(), formatName(currentName(r)), m.env).WithOp(op)
		}
		got, err := readFault(r, m.env, m.ser)
		if err != nil {
			return asError(op, errors.InvalidFormat, err, "reading the fault")
		}
		*f = *got
	} else {
		name, ok := elementNameOf(v)
		if ok && name.Local != "" {
			if !r.Is(name.Local, name.Space) {
				return errors.Errorf(errors.InvalidFormat, "line %d: the body element is %s, expected %s", r.Line(), formatName(currentName(r)), formatName(name)).WithOp(op)
			}
		} else {
			name = currentName(r)
		}
		if err := serialize.UnmarshalElement(r, name, v, m.ser); err != nil {
			return asError(op, errors.InvalidFormat, err, "reading body element "+formatName(name))
		}
	}
	if _, err := r.Next(); err != nil {
		return asError(op, errors.InvalidFormat, err, "reading the body")
	}
	if _, err := m.seekBody(r); err != nil {
		return asError(op, errors.InvalidFormat, err, "reading the body")
	}
	return nil
}

// BodyReader returns the envelope reader while Reading
// (WS_MESSAGE_PROPERTY_BODY_READER), positioned on the next body element
// or the end of the body, for a body read directly (streamed). ReadBody and
// ReadEnd continue from wherever it is left; nil in other states.
func (m *Message) BodyReader() *xmlio.Reader {
	if !m.allowed(opBodyReader) {
		return nil
	}
	return m.r
}

// ReadEnd reads the rest of the envelope and moves the message to Done
// (WsReadEnvelopeEnd). Body elements not read are skipped. Anything after
// the Body (a second Body, a Header after the Body, other elements, text)
// or after the Envelope is an InvalidFormat error.
func (m *Message) ReadEnd() error {
	const op = "ReadEnd"
	if err := m.check(opReadEnd); err != nil {
		return err
	}
	if err := m.readEnd(m.r); err != nil {
		return asError(op, errors.InvalidFormat, err, "reading the envelope end")
	}
	m.r = nil
	m.advance(opReadEnd)
	return nil
}

func (m *Message) readEnd(r *xmlio.Reader) error {
	for {
		more, err := m.seekBody(r)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if err := r.Skip(); err != nil {
			return err
		}
		if _, err := r.Next(); err != nil {
			return err
		}
	}
	if m.env != EnvelopeNone {
		ns := m.env.Namespace()
	envelope:
		for {
			k, err := r.Next()
			if err != nil {
				return err
			}
			switch k {
			case xmlio.StartElement:
				switch {
				case r.Is("Header", ns):
					return errors.Errorf(errors.InvalidFormat, "line %d: a Header element follows the Body; the Header must come first", r.Line())
				case r.Is("Body", ns):
					return errors.Errorf(errors.InvalidFormat, "line %d: the Envelope has two Body elements", r.Line())
				}
				return errors.Errorf(errors.InvalidFormat, "line %d: element %s follows the Body; nothing may follow it in the Envelope", r.Line(), formatName(currentName(r)))
			case xmlio.Text:
				if !r.IsWhitespace() {
					return errors.Errorf(errors.InvalidFormat, "line %d: text follows the Body in the Envelope", r.Line())
				}
			case xmlio.EndElement:
				break envelope
			case xmlio.EOF:
				return errTruncated(r)
			}
		}
	}
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlio.EOF:
			return nil
		case xmlio.StartElement:
			return errors.Errorf(errors.InvalidFormat, "line %d: element %s follows the document element", r.Line(), formatName(currentName(r)))
		case xmlio.Text:
			if !r.IsWhitespace() {
				return errors.Errorf(errors.InvalidFormat, "line %d: text follows the document element", r.Line())
			}
		}
	}
}
