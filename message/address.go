package message

import (
	"encoding/xml"
	"strings"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// EndpointAddress is a WS-Addressing endpoint reference (WWSAPI's
// WS_ENDPOINT_ADDRESS), the value of the From, ReplyTo and FaultTo headers
// and the argument of Address.
//
// On the wire WS-Addressing 1.0 writes Address, ReferenceParameters and
// Metadata. The 2004/08 submission (Addressing0_9) has no Metadata, which
// is therefore not written for it; its ReferenceProperties are read into
// ReferenceParameters, since both are echoed as headers the same way. Other
// children (PortType, ServiceName, extensions) are skipped on read.
type EndpointAddress struct {
	// URL is the Address. An empty URL is written as the version's anonymous
	// address.
	URL string

	// ReferenceParameters are elements the sender of a message to this
	// endpoint must echo as headers. They are written as they are.
	ReferenceParameters []*etree.Element

	// Metadata are the children of the WS-Addressing 1.0 Metadata element
	// (WSDL port information, policy), if any.
	Metadata []*etree.Element
}

func (ep *EndpointAddress) validate() error {
	for i, el := range ep.ReferenceParameters {
		if el == nil {
			return errors.Errorf(errors.InvalidArgument, "reference parameter %d of endpoint %q is nil", i, ep.URL)
		}
	}
	for i, el := range ep.Metadata {
		if el == nil {
			return errors.Errorf(errors.InvalidArgument, "metadata element %d of endpoint %q is nil", i, ep.URL)
		}
	}
	return nil
}

// clone returns a copy of ep whose elements are deep copies.
func (ep EndpointAddress) clone() EndpointAddress {
	c := EndpointAddress{URL: ep.URL}
	if len(ep.ReferenceParameters) > 0 {
		c.ReferenceParameters = make([]*etree.Element, len(ep.ReferenceParameters))
		for i, el := range ep.ReferenceParameters {
			c.ReferenceParameters[i] = el.Copy()
		}
	}
	if len(ep.Metadata) > 0 {
		c.Metadata = make([]*etree.Element, len(ep.Metadata))
		for i, el := range ep.Metadata {
			c.Metadata[i] = el.Copy()
		}
	}
	return c
}

// Address addresses the message to ep (WsAddressMessage): To becomes ep's
// URL (the version's anonymous address when empty) and each reference
// parameter is added as a custom header (marked
// wsa:IsReferenceParameter="true" with WS-Addressing 1.0); like any
// header, a reference parameter must be namespace-qualified. A nil ep only
// marks the message addressed. A message can be addressed once; a second
// call fails with InvalidOperation.
func (m *Message) Address(ep *EndpointAddress) error {
	const op = "Address"
	if err := m.check(opAddress); err != nil {
		return err
	}
	if m.addressed {
		return errors.Errorf(errors.InvalidOperation, "the message is already addressed; Reset it to address it again").WithOp(op)
	}
	if ep != nil {
		if err := ep.validate(); err != nil {
			return asError(op, errors.InvalidArgument, err, "")
		}
		if len(ep.ReferenceParameters) > 0 && m.env == EnvelopeNone {
			return errors.Errorf(errors.InvalidOperation, "endpoint %q has reference parameters, which need SOAP headers; this message uses EnvelopeNone", ep.URL).WithOp(op)
		}
		url := ep.URL
		if url == "" {
			url = m.addr.AnonymousURL()
		}
		if err := m.addressTo(op, url, true, ep.ReferenceParameters); err != nil {
			return err
		}
	}
	m.addressed = true
	return nil
}

// addressTo adds the reference parameters as headers and, when setTo,
// sets To. On failure the headers added so far are removed again.
func (m *Message) addressTo(op, to string, setTo bool, params []*etree.Element) error {
	mark := len(m.hdrs)
	for _, el := range params {
		if err := m.addCustom(op, el, HeaderAttributes{IsReferenceParameter: true}); err != nil {
			m.hdrs = m.hdrs[:mark]
			return err
		}
	}
	if setTo {
		m.std.to = to
		m.std.set(ToHeader)
	}
	return nil
}

// writeEndpoint writes an endpoint-address header named local.
func (m *Message) writeEndpoint(w *xmlio.Writer, local string, ep *EndpointAddress) error {
	ns := m.addr.Namespace()
	w.StartElement("a", local, ns)
	w.StartElement("a", "Address", ns)
	url := ep.URL
	if url == "" {
		url = m.addr.AnonymousURL()
	}
	w.Text(url)
	w.EndElement()
	if len(ep.ReferenceParameters) > 0 {
		w.StartElement("a", "ReferenceParameters", ns)
		for _, el := range ep.ReferenceParameters {
			if err := serialize.MarshalElement(w, xml.Name{}, el, m.ser); err != nil {
				return asError("WriteStart", errors.InvalidArgument, err, "writing a reference parameter of "+local)
			}
		}
		w.EndElement()
	}
	if len(ep.Metadata) > 0 && m.addr == Addressing1_0 {
		w.StartElement("a", "Metadata", ns)
		for _, el := range ep.Metadata {
			if err := serialize.MarshalElement(w, xml.Name{}, el, m.ser); err != nil {
				return asError("WriteStart", errors.InvalidArgument, err, "writing the metadata of "+local)
			}
		}
		w.EndElement()
	}
	w.EndElement()
	return nil
}

// readEndpoint reads an endpoint-address header; r is on its start tag and
// is left on its end tag.
func (m *Message) readEndpoint(r *xmlio.Reader, h HeaderType) (EndpointAddress, error) {
	var ep EndpointAddress
	ns := m.addr.Namespace()
	depth := r.Depth()
	gotAddress := false
	for {
		k, err := r.Next()
		if err != nil {
			return ep, err
		}
		switch k {
		case xmlio.StartElement:
			switch {
			case r.Is("Address", ns):
				if gotAddress {
					return ep, errors.Errorf(errors.InvalidFormat, "line %d: the %s header has two Address elements", r.Line(), h)
				}
				text, err := r.ReadElementText(nil)
				if err != nil {
					return ep, err
				}
				ep.URL = strings.TrimSpace(string(text))
				gotAddress = true
			case r.Is("ReferenceParameters", ns) || (m.addr == Addressing0_9 && r.Is("ReferenceProperties", ns)):
				if ep.ReferenceParameters, err = m.readElements(r, ep.ReferenceParameters); err != nil {
					return ep, err
				}
			case m.addr == Addressing1_0 && r.Is("Metadata", ns):
				if ep.Metadata, err = m.readElements(r, ep.Metadata); err != nil {
					return ep, err
				}
			default:
				if err := r.Skip(); err != nil {
					return ep, err
				}
			}
		case xmlio.Text:
			if !r.IsWhitespace() {
				return ep, errors.Errorf(errors.InvalidFormat, "line %d: text in the %s header; only elements are allowed there", r.Line(), h)
			}
		case xmlio.EndElement:
			if r.Depth() == depth {
				if !gotAddress {
					return ep, errors.Errorf(errors.InvalidFormat, "line %d: the %s header has no Address element", r.Line(), h)
				}
				return ep, nil
			}
		case xmlio.EOF:
			return ep, errTruncated(r)
		}
	}
}

// readElements reads the child elements of the current element into
// etree elements appended to dst; r is left on the element's end tag.
func (m *Message) readElements(r *xmlio.Reader, dst []*etree.Element) ([]*etree.Element, error) {
	depth := r.Depth()
	for {
		k, err := r.Next()
		if err != nil {
			return dst, err
		}
		switch k {
		case xmlio.StartElement:
			var el *etree.Element
			if err := serialize.UnmarshalElement(r, currentName(r), &el, m.ser); err != nil {
				return dst, asError("ReadStart", errors.InvalidFormat, err, "reading an endpoint reference")
			}
			dst = append(dst, el)
		case xmlio.Text:
			if !r.IsWhitespace() {
				return dst, errors.Errorf(errors.InvalidFormat, "line %d: text where only elements are allowed in an endpoint reference", r.Line())
			}
		case xmlio.EndElement:
			if r.Depth() == depth {
				return dst, nil
			}
		case xmlio.EOF:
			return dst, errTruncated(r)
		}
	}
}

// currentName returns the name of r's current element.
func currentName(r *xmlio.Reader) xml.Name {
	return xml.Name{Space: string(r.Namespace()), Local: string(r.Local())}
}

// errTruncated is the error for a document that ends inside the envelope.
func errTruncated(r *xmlio.Reader) error {
	return errors.Errorf(errors.InvalidFormat, "line %d: the document ends before the envelope is complete (truncated message?)", r.Line())
}
