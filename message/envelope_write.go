package message

import (
	"encoding/xml"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// WriteStart writes the envelope start to w and moves an Initialized
// message to Writing (WsWriteEnvelopeStart): the Envelope start tag
// (prefix s), the Header element with the standard headers (WS-Addressing
// prefix a; Action and To carry mustUnderstand="1") followed by the custom
// headers in the order they were added, and the Body start tag. No Header
// element is written when there are no headers. With EnvelopeNone nothing
// is written: the body elements are the document.
//
// The message keeps w until WriteEnd or Reset; the body is then written
// with WriteBody or directly through BodyWriter. The caller flushes w.
func (m *Message) WriteStart(w *xmlio.Writer) error {
	const op = "WriteStart"
	if err := m.check(opWriteStart); err != nil {
		return err
	}
	if w == nil {
		return errors.Errorf(errors.InvalidArgument, "the writer is nil").WithOp(op)
	}
	if m.env != EnvelopeNone {
		ns := m.env.Namespace()
		w.StartElement("s", "Envelope", ns)
		wsa := m.addr.usesHeaders() && m.std.present != 0
		if wsa {
			w.DeclareNamespace("a", m.addr.Namespace())
		}
		if wsa || len(m.hdrs) > 0 {
			w.StartElement("s", "Header", ns)
			if wsa {
				if err := m.writeStandardHeaders(w); err != nil {
					return err
				}
			}
			for i := range m.hdrs {
				if err := m.writeCustom(w, &m.hdrs[i]); err != nil {
					return err
				}
			}
			w.EndElement()
		}
		w.StartElement("s", "Body", ns)
	}
	if err := w.Err(); err != nil {
		return asError(op, errors.Other, err, "writing the envelope start")
	}
	m.w = w
	m.bodyDepth = w.Depth()
	m.bodyCount = 0
	m.advance(opWriteStart)
	return nil
}

// writeStandardHeaders writes the WS-Addressing headers that are set.
func (m *Message) writeStandardHeaders(w *xmlio.Writer) error {
	ns, env := m.addr.Namespace(), m.env.Namespace()
	text := func(h HeaderType, value string, mustUnderstand bool) {
		w.StartElement("a", headerLocal[h], ns)
		if mustUnderstand {
			w.Attr("s", "mustUnderstand", env, "1")
		}
		w.Text(value)
		w.EndElement()
	}
	s := &m.std
	if s.has(ActionHeader) {
		text(ActionHeader, s.action, true)
	}
	if s.has(MessageIDHeader) {
		text(MessageIDHeader, s.messageID, false)
	}
	if s.has(RelatesToHeader) {
		w.StartElement("a", "RelatesTo", ns)
		if s.relationshipType != "" {
			w.Attr("", "RelationshipType", "", s.relationshipType)
		}
		w.Text(s.relatesTo)
		w.EndElement()
	}
	for _, h := range [...]HeaderType{FromHeader, ReplyToHeader, FaultToHeader} {
		if s.has(h) {
			if err := m.writeEndpoint(w, headerLocal[h], s.endpoint(h)); err != nil {
				return err
			}
		}
	}
	if s.has(ToHeader) {
		text(ToHeader, s.to, true)
	}
	return nil
}

// writeCustom copies a stored custom header into the envelope with its
// attributes in the message's versions.
func (m *Message) writeCustom(w *xmlio.Writer, h *customHeader) error {
	r := m.bytesReader(m.hbuf[h.start:h.end])
	if err := nextStart(r); err != nil {
		return asError("WriteStart", errors.InvalidFormat, err, "copying header "+formatName(h.name))
	}
	opts := xmlio.CopyOptions{
		SkipRootAttr: isHeaderAttr,
		OnRoot:       func(w *xmlio.Writer) { writeHeaderAttrs(w, &h.attrs, m.env, m.addr) },
	}
	if err := xmlio.CopyElement(w, r, &opts); err != nil {
		return asError("WriteStart", errors.InvalidFormat, err, "copying header "+formatName(h.name))
	}
	return nil
}

// WriteBody writes one body element (WsWriteBody); it may be called any
// number of times while Writing (once with EnvelopeNone, whose body is a
// single document element). v is what package serialize writes as an
// element (a struct with an XMLName, an *etree.Element, ...), or an
// *errors.Fault, which is written as a SOAP Fault of the message's version
// and marks the message a fault.
func (m *Message) WriteBody(v any) error {
	const op = "WriteBody"
	if err := m.check(opWriteBody); err != nil {
		return err
	}
	if v == nil {
		return errors.Errorf(errors.InvalidArgument, "the body value is nil").WithOp(op)
	}
	if m.env == EnvelopeNone && m.bodyCount > 0 {
		return errors.Errorf(errors.InvalidOperation, "a message with EnvelopeNone has a single body element, which was already written").WithOp(op)
	}
	if f, ok := v.(*errors.Fault); ok {
		if f == nil {
			return errors.Errorf(errors.InvalidArgument, "the fault is nil").WithOp(op)
		}
		if m.env == EnvelopeNone {
			return errors.Errorf(errors.InvalidOperation, "a fault needs a SOAP envelope; this message uses EnvelopeNone").WithOp(op)
		}
		if err := writeFault(m.w, m.env, f, m.ser); err != nil {
			return asError(op, errors.InvalidArgument, err, "writing the fault")
		}
		m.fault = true
	} else if err := serialize.MarshalElement(m.w, xml.Name{}, v, m.ser); err != nil {
		return asError(op, errors.InvalidArgument, err, "writing the body element")
	}
	if err := m.w.Err(); err != nil {
		return asError(op, errors.Other, err, "writing the body element")
	}
	m.bodyCount++
	return nil
}

// BodyWriter returns the envelope writer while Writing
// (WS_MESSAGE_PROPERTY_BODY_WRITER), for a body written directly; nil in
// other states. Every element opened through it must be closed before
// WriteEnd.
func (m *Message) BodyWriter() *xmlio.Writer {
	if !m.allowed(opBodyWriter) {
		return nil
	}
	return m.w
}

// WriteEnd closes the Body and Envelope and moves the message to Done
// (WsWriteEnvelopeEnd). The caller flushes the writer.
func (m *Message) WriteEnd() error {
	const op = "WriteEnd"
	if err := m.check(opWriteEnd); err != nil {
		return err
	}
	w := m.w
	if d := w.Depth(); d != m.bodyDepth {
		return errors.Errorf(errors.InvalidOperation, "%d element(s) written through BodyWriter are still open; close them before WriteEnd", d-m.bodyDepth).WithOp(op)
	}
	if m.env != EnvelopeNone {
		w.EndElement() // Body
		w.EndElement() // Envelope
	}
	if err := w.Err(); err != nil {
		return asError(op, errors.Other, err, "writing the envelope end")
	}
	m.w = nil
	m.advance(opWriteEnd)
	return nil
}
