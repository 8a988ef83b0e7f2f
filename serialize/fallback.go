package serialize

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"unsafe"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Types with their own encoding/xml methods (gowsdl's soap.XSDDateTime, for
// one) are handled by running those methods against encoding/xml on a
// scratch buffer: MarshalXML writes into an xml.Encoder whose output is
// copied into the document, and UnmarshalXML reads from an xml.Decoder over
// the element re-serialized with the namespace declarations in scope. This
// path allocates as encoding/xml does; it exists for compatibility.

// marshaler writes a value through its MarshalXML method.
func (e *encoder) marshaler(c *codec, p unsafe.Pointer, name xml.Name) error {
	e.flushLeaves()
	m := reflect.NewAt(c.typ, p).Interface().(xml.Marshaler)
	e.mbuf.Reset()
	enc := xml.NewEncoder(&e.mbuf)
	name.Space = e.elementNS(name)
	start := xml.StartElement{Name: name}
	if name.Space == "" {
		// encoding/xml writes no undeclaration; without one the element
		// would inherit a default namespace in scope in our document.
		start.Attr = []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ""}}
	}
	if err := m.MarshalXML(enc, start); err != nil {
		return errors.Errorf(errors.InvalidArgument, "%s.MarshalXML: %w", c.typ, err)
	}
	if err := enc.Close(); err != nil {
		return errors.Errorf(errors.InvalidArgument, "%s.MarshalXML wrote invalid XML: %w", c.typ, err)
	}
	if e.mbuf.Len() > 0 {
		e.w.Raw(e.mbuf.Bytes())
	}
	return nil
}

// unmarshaler reads the current element through the value's UnmarshalXML.
func (d *decoder) unmarshaler(c *codec, p unsafe.Pointer) error {
	line := d.r.Line()
	buf, err := d.capture()
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(bytes.NewReader(buf))
	var start xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			return failAt(line, errors.InvalidFormat, "re-reading element for %s.UnmarshalXML: %v", c.typ, err)
		}
		if s, ok := tok.(xml.StartElement); ok {
			start = s
			break
		}
	}
	u := reflect.NewAt(c.typ, p).Interface().(xml.Unmarshaler)
	if err := u.UnmarshalXML(dec, start); err != nil {
		if _, ok := err.(*errors.Error); ok {
			return withLine(err, line)
		}
		return failAt(line, errors.InvalidFormat, "%s.UnmarshalXML: %v", c.typ, err)
	}
	return nil
}

// capture re-serializes the element the reader is on, with every namespace
// in scope declared on it, and leaves the reader on its end tag. The result
// aliases the decoder's scratch writer and is valid until the next capture.
func (d *decoder) capture() ([]byte, error) {
	if d.sub == nil {
		d.sub = xmlio.NewBufferWriter(nil)
	} else {
		d.sub.Reset(nil)
	}
	d.nsbuf = d.r.InScopeNamespaces(d.nsbuf[:0])
	line := d.r.Line()
	if err := xmlio.CopyElement(d.sub, d.r, &xmlio.CopyOptions{RootDecls: d.nsbuf, Comments: true}); err != nil {
		return nil, withLine(err, line)
	}
	return d.sub.Bytes(), nil
}

// viaCapture reads a struct with an innerxml field when the document bytes
// are not at hand (UnmarshalElement on a caller's reader): the element is
// re-serialized and read from that copy, whose bytes are then at hand.
func (d *decoder) viaCapture(c *codec, p unsafe.Pointer) error {
	line := d.r.Line()
	buf, err := d.capture()
	if err != nil {
		return err
	}
	data := bytes.Clone(buf)
	sub := xmlio.NewReader(data, &xmlio.Options{ReportComments: true})
	for sub.Kind() != xmlio.StartElement {
		if _, err := sub.Next(); err != nil {
			return withLine(err, line)
		}
	}
	outer := d.r
	d.r, d.data = sub, data
	err = d.structElement(c, p)
	d.r, d.data = outer, nil
	if err != nil {
		return withLine(err, line)
	}
	return nil
}
