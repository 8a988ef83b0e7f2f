package message

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Fault is the version-neutral SOAP fault of package errors (WWSAPI's
// WS_FAULT), written by WriteBody and read by ReadBody in either SOAP
// version.
type Fault = errors.Fault

// xmlNamespace is the namespace of the xml: prefix (xml:lang).
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// StandardFaultCode names one of the SOAP-defined fault codes, whose
// qualified name differs between the versions.
type StandardFaultCode int

// The standard fault codes.
const (
	// FaultSender: the message was malformed or lacked information
	// (SOAP 1.2 Sender, SOAP 1.1 Client).
	FaultSender StandardFaultCode = 1
	// FaultReceiver: the message could not be processed for reasons not
	// of its content (SOAP 1.2 Receiver, SOAP 1.1 Server).
	FaultReceiver StandardFaultCode = 2
	// FaultVersionMismatch: the envelope was of an unsupported version.
	FaultVersionMismatch StandardFaultCode = 3
	// FaultMustUnderstand: a mustUnderstand header was not understood.
	FaultMustUnderstand StandardFaultCode = 4
	// FaultDataEncodingUnknown: SOAP 1.2's unsupported encodingStyle; SOAP
	// 1.1 has no such code and uses Client.
	FaultDataEncodingUnknown StandardFaultCode = 5
)

// faultCodeNames are the local names per code: SOAP 1.1, SOAP 1.2.
var faultCodeNames = [...][2]string{
	FaultSender:              {"Client", "Sender"},
	FaultReceiver:            {"Server", "Receiver"},
	FaultVersionMismatch:     {"VersionMismatch", "VersionMismatch"},
	FaultMustUnderstand:      {"MustUnderstand", "MustUnderstand"},
	FaultDataEncodingUnknown: {"Client", "DataEncodingUnknown"},
}

// String returns the code's SOAP 1.2 local name, such as "Sender".
func (c StandardFaultCode) String() string {
	if c >= FaultSender && c <= FaultDataEncodingUnknown {
		return faultCodeNames[c][1]
	}
	return "StandardFaultCode(" + strconv.Itoa(int(c)) + ")"
}

// Name returns the code's qualified name in envelope version env (SOAP
// 1.1 for SOAP11, SOAP 1.2 otherwise).
func (c StandardFaultCode) Name(env EnvelopeVersion) xml.Name {
	if c < FaultSender || c > FaultDataEncodingUnknown {
		c = FaultReceiver
	}
	if env == SOAP11 {
		return xml.Name{Space: NamespaceSOAP11, Local: faultCodeNames[c][0]}
	}
	return xml.Name{Space: NamespaceSOAP12, Local: faultCodeNames[c][1]}
}

// NewFault returns a fault with the standard code in version env's form
// and one reason in English.
func NewFault(env EnvelopeVersion, code StandardFaultCode, reason string) *errors.Fault {
	return &errors.Fault{
		Code:    errors.FaultCode{Value: code.Name(env)},
		Reasons: []errors.FaultReason{{Text: reason, Lang: "en"}},
	}
}

// translateCode maps a standard code of the other SOAP version to env's,
// so a fault built for one version can be sent in the other. Other codes
// are returned as they are.
func translateCode(name xml.Name, env EnvelopeVersion) xml.Name {
	var from, to int
	switch {
	case env == SOAP11 && name.Space == NamespaceSOAP12:
		from, to = 1, 0
	case env == SOAP12 && name.Space == NamespaceSOAP11:
		from, to = 0, 1
	default:
		return name
	}
	for c := FaultSender; c <= FaultDataEncodingUnknown; c++ {
		if faultCodeNames[c][from] == name.Local {
			return xml.Name{Space: env.Namespace(), Local: faultCodeNames[c][to]}
		}
	}
	return name
}

// isStandardCode12 reports whether name is one of the SOAP 1.2 fault codes,
// the only values allowed as a top-level Code (SOAP 1.2 Part 1 §5.4.6).
func isStandardCode12(name xml.Name) bool {
	if name.Space != NamespaceSOAP12 {
		return false
	}
	for c := FaultSender; c <= FaultDataEncodingUnknown; c++ {
		if faultCodeNames[c][1] == name.Local {
			return true
		}
	}
	return false
}

// writeFault writes f as a Fault element of version env. In SOAP 1.2 the
// top-level code must be a standard one (after translation from SOAP 1.1).
func writeFault(w *xmlio.Writer, env EnvelopeVersion, f *errors.Fault, opts *serialize.Options) error {
	if f.Code.Value.Local == "" {
		return errors.Errorf(errors.InvalidArgument, "the fault has no code; set Code.Value (NewFault gives a standard one)")
	}
	if env == SOAP12 && !isStandardCode12(translateCode(f.Code.Value, env)) {
		return errors.Errorf(errors.InvalidArgument,
			"fault code %s cannot be a SOAP 1.2 top-level code, which must be Sender, Receiver, MustUnderstand, VersionMismatch or DataEncodingUnknown; "+
				"put it in a Subcode under Sender or Receiver", formatName(f.Code.Value))
	}
	ns := env.Namespace()
	w.StartElement("s", "Fault", ns)
	if env == SOAP11 {
		// SOAP 1.1 has no subcodes: only the outermost code is written.
		w.StartElement("", "faultcode", "")
		writeQName(w, translateCode(f.Code.Value, env))
		w.EndElement()
		w.StartElement("", "faultstring", "")
		if len(f.Reasons) > 0 {
			if f.Reasons[0].Lang != "" {
				w.Attr("xml", "lang", xmlNamespace, f.Reasons[0].Lang)
			}
			w.Text(f.Reasons[0].Text)
		}
		w.EndElement()
		if f.Actor != "" {
			w.StartElement("", "faultactor", "")
			w.Text(f.Actor)
			w.EndElement()
		}
		if f.Detail != nil {
			w.StartElement("", "detail", "")
			if err := writeDetail(w, f.Detail, opts); err != nil {
				return err
			}
			w.EndElement()
		}
		w.EndElement()
		return nil
	}
	w.StartElement("s", "Code", ns)
	for c, level := &f.Code, 0; c != nil; c, level = c.Subcode, level+1 {
		if level > 0 {
			w.StartElement("s", "Subcode", ns)
		}
		w.StartElement("s", "Value", ns)
		name := c.Value
		if level == 0 {
			name = translateCode(name, env)
		}
		writeQName(w, name)
		w.EndElement()
	}
	for c := f.Code.Subcode; c != nil; c = c.Subcode {
		w.EndElement() // Subcode
	}
	w.EndElement() // Code
	w.StartElement("s", "Reason", ns)
	reasons := f.Reasons
	if len(reasons) == 0 {
		reasons = []errors.FaultReason{{}}
	}
	for _, r := range reasons {
		w.StartElement("s", "Text", ns)
		lang := r.Lang
		if lang == "" {
			lang = "en" // SOAP 1.2 requires xml:lang on every Text
		}
		w.Attr("xml", "lang", xmlNamespace, lang)
		w.Text(r.Text)
		w.EndElement()
	}
	w.EndElement()
	if f.Node != "" {
		w.StartElement("s", "Node", ns)
		w.Text(f.Node)
		w.EndElement()
	}
	if f.Actor != "" {
		w.StartElement("s", "Role", ns)
		w.Text(f.Actor)
		w.EndElement()
	}
	if f.Detail != nil {
		w.StartElement("s", "Detail", ns)
		if err := writeDetail(w, f.Detail, opts); err != nil {
			return err
		}
		w.EndElement()
	}
	w.EndElement()
	return nil
}

// writeDetail writes the children of a detail element.
func writeDetail(w *xmlio.Writer, detail *etree.Element, opts *serialize.Options) error {
	for _, tok := range detail.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if err := serialize.MarshalElement(w, xml.Name{}, t, opts); err != nil {
				return err
			}
		case *etree.CharData:
			w.Text(t.Data)
		}
	}
	return nil
}

// writeQName writes a qualified name as text, declaring a prefix for its
// namespace on the open element when none is in scope.
func writeQName(w *xmlio.Writer, name xml.Name) {
	if name.Space == "" {
		w.Text(name.Local)
		return
	}
	p, ok := w.PrefixFor(name.Space)
	if !ok {
		p = "c"
		w.DeclareNamespace(p, name.Space)
	}
	if p == "" {
		w.Text(name.Local)
		return
	}
	w.Text(p + ":" + name.Local)
}

// readQName reads the text of the element r is on as a qualified name,
// resolving its prefix; r is left on the element's end tag.
func readQName(r *xmlio.Reader) (xml.Name, error) {
	line := r.Line()
	text, err := r.ReadElementText(nil)
	if err != nil {
		return xml.Name{}, err
	}
	text = trimSpace(text)
	prefix, local, found := bytes.Cut(text, []byte{':'})
	if !found {
		prefix, local = nil, text
	}
	if len(local) == 0 || (found && len(prefix) == 0) {
		return xml.Name{}, errors.Errorf(errors.InvalidFormat, "line %d: fault code %q is not a qualified name", line, text)
	}
	ns, ok := r.LookupNamespace(prefix)
	if !ok && found {
		return xml.Name{}, errors.Errorf(errors.InvalidFormat, "line %d: fault code %q uses the undeclared prefix %q", line, text, prefix)
	}
	return xml.Name{Space: string(ns), Local: string(local)}, nil
}

// faultChildren are the children of a Fault in the order the versions
// require, each at most once: SOAP 1.1 §4.4 (index 0) and SOAP 1.2 Part 1
// §5.4 (index 1). The first two are required.
var faultChildren = [2][]string{
	{"faultcode", "faultstring", "faultactor", "detail"},
	{"Code", "Reason", "Node", "Role", "Detail"},
}

// readFault reads the Fault element r is on; r is left on its end tag.
// Its children must come in their order, each at most once; children it
// does not know are skipped.
func readFault(r *xmlio.Reader, env EnvelopeVersion, opts *serialize.Options) (*errors.Fault, error) {
	f := &errors.Fault{}
	depth := r.Depth()
	ns := env.Namespace()
	names := faultChildren[1]
	if env == SOAP11 {
		names = faultChildren[0]
	}
	last := -1 // index in names of the last child read
	var seen [5]bool
	for {
		k, err := r.Next()
		if err != nil {
			return nil, err
		}
		switch k {
		case xmlio.StartElement:
			elemNS := string(r.Namespace())
			// SOAP 1.1 fault children are unqualified; some stacks qualify
			// them with the envelope namespace, which is accepted.
			child := -1
			if elemNS == ns || (env == SOAP11 && elemNS == "") {
				child = slices.Index(names, string(r.Local()))
			}
			if child < 0 {
				if err := r.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			if child == last {
				return nil, errors.Errorf(errors.InvalidFormat, "line %d: the Fault has two %s elements", r.Line(), names[child])
			}
			if child < last {
				return nil, errors.Errorf(errors.InvalidFormat, "line %d: %s after %s in the Fault; a %s Fault's children come in the order %s",
					r.Line(), names[child], names[last], env, strings.Join(names, ", "))
			}
			last, seen[child] = child, true
			switch child {
			case 0: // faultcode, Code
				if env == SOAP11 {
					f.Code.Value, err = readQName(r)
				} else {
					f.Code, err = readCode12(r, ns)
				}
				if err != nil {
					return nil, err
				}
			case 1: // faultstring, Reason
				if env == SOAP11 {
					reason, err := readReason(r)
					if err != nil {
						return nil, err
					}
					f.Reasons = append(f.Reasons, reason)
				} else if err := readReasons12(r, ns, f); err != nil {
					return nil, err
				}
			case len(names) - 1: // detail, Detail
				if err := serialize.UnmarshalElement(r, currentName(r), &f.Detail, opts); err != nil {
					return nil, err
				}
			default: // faultactor; Node, Role
				text, err := r.ReadElementText(nil)
				if err != nil {
					return nil, err
				}
				if env == SOAP12 && child == 2 {
					f.Node = string(trimSpace(text))
				} else {
					f.Actor = string(trimSpace(text))
				}
			}
		case xmlio.Text:
			if !r.IsWhitespace() {
				return nil, errors.Errorf(errors.InvalidFormat, "line %d: text in the Fault element; only its child elements are allowed there", r.Line())
			}
		case xmlio.EndElement:
			if r.Depth() == depth {
				for i := range 2 {
					if !seen[i] {
						return nil, errors.Errorf(errors.InvalidFormat, "line %d: the %s Fault has no %s; it needs %s and %s", r.Line(), env, names[i], names[0], names[1])
					}
				}
				return f, nil
			}
		case xmlio.EOF:
			return nil, errTruncated(r)
		}
	}
}

// readCode12 reads a SOAP 1.2 Code or Subcode element.
func readCode12(r *xmlio.Reader, ns string) (errors.FaultCode, error) {
	var c errors.FaultCode
	depth := r.Depth()
	gotValue := false
	for {
		k, err := r.Next()
		if err != nil {
			return c, err
		}
		switch k {
		case xmlio.StartElement:
			switch {
			case r.Is("Value", ns) && !gotValue:
				if c.Value, err = readQName(r); err != nil {
					return c, err
				}
				gotValue = true
			case r.Is("Subcode", ns) && gotValue && c.Subcode == nil:
				sub, err := readCode12(r, ns)
				if err != nil {
					return c, err
				}
				c.Subcode = &sub
			default:
				return c, errors.Errorf(errors.InvalidFormat, "line %d: unexpected element %s in a fault Code; expected Value then an optional Subcode", r.Line(), formatName(currentName(r)))
			}
		case xmlio.Text:
			if !r.IsWhitespace() {
				return c, errors.Errorf(errors.InvalidFormat, "line %d: text in a fault Code element", r.Line())
			}
		case xmlio.EndElement:
			if r.Depth() == depth {
				if !gotValue {
					return c, errors.Errorf(errors.InvalidFormat, "line %d: a fault Code or Subcode has no Value", r.Line())
				}
				return c, nil
			}
		case xmlio.EOF:
			return c, errTruncated(r)
		}
	}
}

// readReasons12 reads the Text children of a SOAP 1.2 Reason element.
func readReasons12(r *xmlio.Reader, ns string, f *errors.Fault) error {
	depth := r.Depth()
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmlio.StartElement:
			if !r.Is("Text", ns) {
				return errors.Errorf(errors.InvalidFormat, "line %d: unexpected element %s in a fault Reason; expected Text", r.Line(), formatName(currentName(r)))
			}
			reason, err := readReason(r)
			if err != nil {
				return err
			}
			f.Reasons = append(f.Reasons, reason)
		case xmlio.Text:
			if !r.IsWhitespace() {
				return errors.Errorf(errors.InvalidFormat, "line %d: text in a fault Reason element", r.Line())
			}
		case xmlio.EndElement:
			if r.Depth() == depth {
				return nil
			}
		case xmlio.EOF:
			return errTruncated(r)
		}
	}
}

// readReason reads a reason text element with its xml:lang.
func readReason(r *xmlio.Reader) (errors.FaultReason, error) {
	var reason errors.FaultReason
	if lang, ok := r.AttrValue("lang", xmlNamespace); ok {
		reason.Lang = string(trimSpace(lang))
	}
	text, err := r.ReadElementText(nil)
	if err != nil {
		return reason, err
	}
	reason.Text = string(text)
	return reason, nil
}

// FaultDetail decodes an element of f's detail into v with package
// serialize: the first child whose name is v's element name (from its
// XMLName), or the first child element when v names none. A fault without
// detail, or without such a child, is an InvalidFormat error wrapping
// ErrDetailNotFound.
func FaultDetail(f *errors.Fault, v any) error {
	const op = "FaultDetail"
	if f == nil || v == nil {
		return errors.Errorf(errors.InvalidArgument, "the fault and the destination must not be nil").WithOp(op)
	}
	want, named := elementNameOf(v)
	named = named && want.Local != ""
	if f.Detail != nil {
		for _, child := range f.Detail.ChildElements() {
			if named && (child.Tag != want.Local || child.NamespaceURI() != want.Space) {
				continue
			}
			w := xmlio.NewBufferWriter(nil)
			if err := serialize.MarshalElement(w, xml.Name{}, child, nil); err != nil {
				return asError(op, errors.InvalidFormat, err, "reading the fault detail")
			}
			if err := w.Err(); err != nil {
				return asError(op, errors.InvalidFormat, err, "reading the fault detail")
			}
			r := xmlio.NewReader(w.Bytes(), nil)
			if err := nextStart(r); err != nil {
				return asError(op, errors.InvalidFormat, err, "reading the fault detail")
			}
			if err := serialize.UnmarshalElement(r, currentName(r), v, nil); err != nil {
				return asError(op, errors.InvalidFormat, err, "reading the fault detail")
			}
			return nil
		}
	}
	if named {
		return errors.Errorf(errors.InvalidFormat, "the fault detail has no element %s: %w", formatName(want), ErrDetailNotFound).WithOp(op)
	}
	return errors.Errorf(errors.InvalidFormat, "the fault has no detail element: %w", ErrDetailNotFound).WithOp(op)
}

// ErrDetailNotFound is the cause of FaultDetail's error when the fault has
// no matching detail element.
var ErrDetailNotFound = errors.New("fault detail not found")

// SetFaultDetail makes v the single element of f's detail, serialized by
// package serialize (an *etree.Element is copied as it is). It replaces
// any detail f had.
func SetFaultDetail(f *errors.Fault, v any) error {
	const op = "SetFaultDetail"
	if f == nil || v == nil {
		return errors.Errorf(errors.InvalidArgument, "the fault and the detail value must not be nil").WithOp(op)
	}
	var el *etree.Element
	if e, ok := v.(*etree.Element); ok {
		if e == nil {
			return errors.Errorf(errors.InvalidArgument, "the detail element is nil").WithOp(op)
		}
		el = e.Copy()
	} else {
		w := xmlio.NewBufferWriter(nil)
		if err := serialize.MarshalElement(w, xml.Name{}, v, nil); err != nil {
			return asError(op, errors.InvalidArgument, err, "serializing the fault detail")
		}
		if err := w.Err(); err != nil {
			return asError(op, errors.InvalidArgument, err, "serializing the fault detail")
		}
		r := xmlio.NewReader(w.Bytes(), nil)
		if err := nextStart(r); err != nil {
			return asError(op, errors.InvalidArgument, err, "serializing the fault detail")
		}
		if err := serialize.UnmarshalElement(r, currentName(r), &el, nil); err != nil {
			return asError(op, errors.InvalidArgument, err, "serializing the fault detail")
		}
	}
	detail := etree.NewElement("detail")
	detail.AddChild(el)
	f.Detail = detail
	return nil
}
