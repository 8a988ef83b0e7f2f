package message

import (
	"encoding/xml"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// HeaderAttributes are the SOAP attributes of a custom header (WWSAPI's
// WS_HEADER_ATTRIBUTES, plus the role).
type HeaderAttributes struct {
	// MustUnderstand is the mustUnderstand attribute: the receiver must
	// process the header or fail with a MustUnderstand fault.
	MustUnderstand bool

	// Relay is the SOAP 1.2 relay attribute: an intermediary that does not
	// process the header forwards it. SOAP 1.1 has no such attribute.
	Relay bool

	// Role is the SOAP 1.2 role or SOAP 1.1 actor URI the header is
	// targeted at; empty for the ultimate receiver.
	Role string

	// IsReferenceParameter marks a header echoed from an endpoint
	// reference's reference parameters. It is written as
	// wsa:IsReferenceParameter="true" with WS-Addressing 1.0 only.
	IsReferenceParameter bool
}

// HeaderInfo describes one custom header of a message.
type HeaderInfo struct {
	Name       xml.Name
	Attributes HeaderAttributes
	// Understood reports whether the header was read (CustomHeader) or
	// marked understood, or was added locally.
	Understood bool
}

// ErrHeaderNotFound is the cause of the InvalidFormat error returned when a
// requested custom header is not in the message (WWSAPI answers a missing
// required header with WS_E_INVALID_FORMAT too). Test for it with
// errors.Is(err, message.ErrHeaderNotFound).
var ErrHeaderNotFound = errors.New("header not found")

// customHeader indexes one header stored in Message.hbuf.
type customHeader struct {
	name       xml.Name
	attrs      HeaderAttributes
	start, end int
	understood bool
}

func (m *Message) clearCustomHeaders() {
	m.hbuf = m.hbuf[:0]
	// The entries are not zeroed: headerName reuses their name strings when
	// a reused message adds the same headers again.
	m.hdrs = m.hdrs[:0]
}

// AddCustomHeader adds an application-defined header (WsAddCustomHeader).
// value is a struct (or pointer to one) whose XMLName names the element,
// any other value package serialize can write as an element, or an
// *etree.Element written as it is. Its SOAP attributes (mustUnderstand,
// role, relay) come from attrs; such attributes on the value's own root
// element are dropped when the envelope is written.
//
// Headers are not replaced: to replace one, RemoveCustomHeader it first. A
// header element without a namespace is refused (InvalidArgument: SOAP 1.1
// §4.2 and SOAP 1.2 Part 1 §5.2 require header blocks to be
// namespace-qualified), as is a standard WS-Addressing header of the
// message's version (use SetAction and the like); a message with
// EnvelopeNone has no headers (InvalidOperation).
func (m *Message) AddCustomHeader(value any, attrs HeaderAttributes) error {
	if err := m.check(opAddCustom); err != nil {
		return err
	}
	return m.addCustom("AddCustomHeader", value, attrs)
}

func (m *Message) addCustom(op string, value any, attrs HeaderAttributes) error {
	if m.env == EnvelopeNone {
		return errors.Errorf(errors.InvalidOperation, "a message with EnvelopeNone has no SOAP headers; use a SOAP envelope version or mapped headers").WithOp(op)
	}
	if value == nil {
		return errors.Errorf(errors.InvalidArgument, "the header value is nil").WithOp(op)
	}
	if el, ok := value.(*etree.Element); ok && el == nil {
		return errors.Errorf(errors.InvalidArgument, "the header value is a nil *etree.Element").WithOp(op)
	}
	if attrs.Relay && m.env != SOAP12 {
		return errors.Errorf(errors.InvalidArgument, "the relay header attribute exists only in SOAP 1.2; this message is %s", m.env).WithOp(op)
	}
	hw := m.scratchWriter()
	if err := serialize.MarshalElement(hw, xml.Name{}, value, m.ser); err != nil {
		return asError(op, errors.InvalidArgument, err, "serializing the header value")
	}
	if err := hw.Err(); err != nil {
		return asError(op, errors.InvalidArgument, err, "serializing the header value")
	}
	data := hw.Bytes()
	r := m.bytesReader(data)
	if err := nextStart(r); err != nil {
		return asError(op, errors.InvalidArgument, err, "the header value did not serialize to an element")
	}
	name := m.headerName(r)
	if name.Space == "" {
		return errors.Errorf(errors.InvalidArgument, "header %s has no namespace; SOAP requires every header block to be namespace-qualified (give its XMLName or element a namespace)", formatName(name)).WithOp(op)
	}
	if h, ok := m.standardName(name); ok {
		return errors.Errorf(errors.InvalidArgument, "%s is the standard %s header; set it with Set%s", formatName(name), h, h).WithOp(op)
	}
	start := len(m.hbuf)
	m.hbuf = append(m.hbuf, data...)
	m.hdrs = append(m.hdrs, customHeader{name: name, attrs: attrs, start: start, end: len(m.hbuf), understood: true})
	return nil
}

// storeReceived copies the header element r is on into the header buffer
// with the namespace declarations in scope, dropping its SOAP header
// attributes (kept in attrs). r is left on the element's end tag.
func (m *Message) storeReceived(r *xmlio.Reader, attrs HeaderAttributes) error {
	name := m.headerName(r)
	decls := r.InScopeNamespaces(m.nsScratch[:0])
	kept := decls[:0]
	for _, d := range decls {
		// The envelope's own namespace is not carried along: the header is
		// rewritten inside whichever envelope it is sent in.
		if _, soap := envelopeVersionOf(d.URI); !soap {
			kept = append(kept, d)
		}
	}
	m.nsScratch = decls
	hw := m.scratchWriter()
	if err := xmlio.CopyElement(hw, r, &xmlio.CopyOptions{RootDecls: kept, SkipRootAttr: isHeaderAttr}); err != nil {
		if hw.Err() != nil {
			return asError("ReadStart", errors.InvalidFormat, err, "storing header "+formatName(name))
		}
		return err
	}
	start := len(m.hbuf)
	m.hbuf = append(m.hbuf, hw.Bytes()...)
	m.hdrs = append(m.hdrs, customHeader{name: name, attrs: attrs, start: start, end: len(m.hbuf)})
	return nil
}

// headerName returns the name of r's current element, reusing the strings
// of the stale index entry at the next position when they match, so that a
// reused message adding the same headers does not allocate names.
func (m *Message) headerName(r *xmlio.Reader) xml.Name {
	if n := len(m.hdrs); n < cap(m.hdrs) {
		old := m.hdrs[:n+1][n].name
		if old.Local == string(r.Local()) && old.Space == string(r.Namespace()) {
			return old
		}
	}
	return currentName(r)
}

// standardName reports whether name is a standard header of the message's
// addressing version.
func (m *Message) standardName(name xml.Name) (HeaderType, bool) {
	if !m.addr.usesHeaders() || name.Space != m.addr.Namespace() {
		return 0, false
	}
	return standardHeaderType(name.Local)
}

// CustomHeaderCount returns how many custom headers named name the message
// has (0 in state Empty).
func (m *Message) CustomHeaderCount(name xml.Name) int {
	if !m.allowed(opGetCustom) {
		return 0
	}
	n := 0
	for i := range m.hdrs {
		if m.hdrs[i].name == name {
			n++
		}
	}
	return n
}

// CustomHeaders lists the message's custom headers in order (nil in state
// Empty).
func (m *Message) CustomHeaders() []HeaderInfo {
	if !m.allowed(opGetCustom) || len(m.hdrs) == 0 {
		return nil
	}
	out := make([]HeaderInfo, len(m.hdrs))
	for i, h := range m.hdrs {
		out[i] = HeaderInfo{Name: h.name, Attributes: h.attrs, Understood: h.understood}
	}
	return out
}

// CustomHeader reads the single custom header named name into v
// (WsGetCustomHeader with WS_SINGLETON_HEADER), marks it understood and
// returns its attributes. v is a pointer to what package serialize reads
// (a struct, **etree.Element, ...). A missing header is an InvalidFormat
// error wrapping ErrHeaderNotFound; two or more are an InvalidFormat error
// (use CustomHeaderAt for repeating headers).
func (m *Message) CustomHeader(name xml.Name, v any) (HeaderAttributes, error) {
	const op = "CustomHeader"
	if err := m.check(opGetCustom); err != nil {
		return HeaderAttributes{}, err
	}
	found := -1
	for i := range m.hdrs {
		if m.hdrs[i].name != name {
			continue
		}
		if found >= 0 {
			return HeaderAttributes{}, errors.Errorf(errors.InvalidFormat,
				"header %s appears %d times, expected once; read repeating headers with CustomHeaderAt", formatName(name), m.CustomHeaderCount(name)).WithOp(op)
		}
		found = i
	}
	if found < 0 {
		return HeaderAttributes{}, notFound(op, name, -1)
	}
	return m.decodeHeader(op, &m.hdrs[found], v)
}

// CustomHeaderAt reads the index'th (from 0) custom header named name into
// v (WsGetCustomHeader with WS_REPEATING_HEADER), marks it understood and
// returns its attributes. An index past the last one is an InvalidFormat
// error wrapping ErrHeaderNotFound.
func (m *Message) CustomHeaderAt(name xml.Name, index int, v any) (HeaderAttributes, error) {
	const op = "CustomHeaderAt"
	if err := m.checkFor(opGetCustom, op); err != nil {
		return HeaderAttributes{}, err
	}
	if index >= 0 {
		n := 0
		for i := range m.hdrs {
			if m.hdrs[i].name != name {
				continue
			}
			if n == index {
				return m.decodeHeader(op, &m.hdrs[i], v)
			}
			n++
		}
	}
	return HeaderAttributes{}, notFound(op, name, index)
}

func notFound(op string, name xml.Name, index int) error {
	if index < 0 {
		return errors.Errorf(errors.InvalidFormat, "header %s: %w", formatName(name), ErrHeaderNotFound).WithOp(op)
	}
	return errors.Errorf(errors.InvalidFormat, "header %s #%d: %w", formatName(name), index, ErrHeaderNotFound).WithOp(op)
}

// decodeHeader reads the stored header h into v and marks it understood.
func (m *Message) decodeHeader(op string, h *customHeader, v any) (HeaderAttributes, error) {
	if v == nil {
		return HeaderAttributes{}, errors.Errorf(errors.InvalidArgument, "the destination for header %s is nil", formatName(h.name)).WithOp(op)
	}
	r := m.bytesReader(m.hbuf[h.start:h.end])
	if err := nextStart(r); err != nil {
		return HeaderAttributes{}, asError(op, errors.InvalidFormat, err, "reading header "+formatName(h.name))
	}
	if err := serialize.UnmarshalElement(r, h.name, v, m.ser); err != nil {
		return HeaderAttributes{}, asError(op, errors.InvalidFormat, err, "reading header "+formatName(h.name))
	}
	h.understood = true
	return h.attrs, nil
}

// RemoveCustomHeader removes every custom header named name
// (WsRemoveCustomHeader). Removing a header that is not there is not an
// error.
func (m *Message) RemoveCustomHeader(name xml.Name) error {
	if err := m.check(opRemoveCustom); err != nil {
		return err
	}
	kept := m.hdrs[:0]
	for _, h := range m.hdrs {
		if h.name != name {
			kept = append(kept, h)
		}
	}
	m.hdrs = kept
	return nil
}

// MarkUnderstood marks every custom header named name as understood
// (WsMarkHeaderAsUnderstood), for headers a program processed without
// CustomHeader (through CustomHeaders, or a security layer reading the
// header buffer). Marking a header that is not there is not an error.
func (m *Message) MarkUnderstood(name xml.Name) error {
	if err := m.check(opMarkUnderstood); err != nil {
		return err
	}
	for i := range m.hdrs {
		if m.hdrs[i].name == name {
			m.hdrs[i].understood = true
		}
	}
	return nil
}

// nextStart advances r to its first start element.
func nextStart(r *xmlio.Reader) error {
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlio.StartElement:
			return nil
		case xmlio.EOF:
			return errors.Errorf(errors.InvalidFormat, "no element found")
		}
	}
}

// formatName formats a qualified name for error messages, as
// {namespace}local or local.
func formatName(n xml.Name) string {
	if n.Space == "" {
		return "<" + n.Local + ">"
	}
	return "<{" + n.Space + "}" + n.Local + ">"
}
