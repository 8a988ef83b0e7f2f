package message

import (
	"bytes"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// isHeaderAttr reports whether a is one of the SOAP header attributes the
// message keeps in HeaderAttributes instead of in the stored element.
func isHeaderAttr(a xmlio.Attr) bool {
	if _, soap := envelopeVersionOf(a.Namespace); soap {
		switch string(a.Local) {
		case "mustUnderstand", "actor", "role", "relay":
			return true
		}
		return false
	}
	return string(a.Namespace) == NamespaceAddressing1_0 && string(a.Local) == "IsReferenceParameter"
}

// writeHeaderAttrs writes attrs on the open start tag of a header.
func writeHeaderAttrs(w *xmlio.Writer, attrs *HeaderAttributes, env EnvelopeVersion, addr AddressingVersion) {
	ns := env.Namespace()
	if attrs.MustUnderstand {
		w.Attr("s", "mustUnderstand", ns, "1")
	}
	if attrs.Role != "" {
		if env == SOAP11 {
			w.Attr("s", "actor", ns, attrs.Role)
		} else {
			w.Attr("s", "role", ns, attrs.Role)
		}
	}
	if attrs.Relay && env == SOAP12 {
		w.Attr("s", "relay", ns, "true")
	}
	if attrs.IsReferenceParameter && addr == Addressing1_0 {
		w.Attr("a", "IsReferenceParameter", NamespaceAddressing1_0, "true")
	}
}

// readHeaderAttrs parses the SOAP header attributes of the header element
// r is on.
func readHeaderAttrs(r *xmlio.Reader, env EnvelopeVersion) (HeaderAttributes, error) {
	var attrs HeaderAttributes
	ns := env.Namespace()
	for i := range r.AttrCount() {
		a := r.Attr(i)
		switch {
		case string(a.Namespace) == ns:
			switch string(a.Local) {
			case "mustUnderstand":
				v, ok := parseBool(a.Value)
				if !ok {
					return attrs, errors.Errorf(errors.InvalidFormat, "line %d: header %s has mustUnderstand=%q; expected %s", r.Line(), formatName(currentName(r)), a.Value, boolForms(env))
				}
				attrs.MustUnderstand = v
			case "actor":
				if env == SOAP11 {
					attrs.Role = string(trimSpace(a.Value))
				}
			case "role":
				if env == SOAP12 {
					attrs.Role = string(trimSpace(a.Value))
				}
			case "relay":
				if env == SOAP12 {
					v, ok := parseBool(a.Value)
					if !ok {
						return attrs, errors.Errorf(errors.InvalidFormat, "line %d: header %s has relay=%q; expected %s", r.Line(), formatName(currentName(r)), a.Value, boolForms(env))
					}
					attrs.Relay = v
				}
			}
		case string(a.Namespace) == NamespaceAddressing1_0 && string(a.Local) == "IsReferenceParameter":
			v, ok := parseBool(a.Value)
			if !ok {
				return attrs, errors.Errorf(errors.InvalidFormat, "line %d: header %s has IsReferenceParameter=%q; expected true or false", r.Line(), formatName(currentName(r)), a.Value)
			}
			attrs.IsReferenceParameter = v
		}
	}
	return attrs, nil
}

// parseBool parses a SOAP boolean attribute: "0"/"1" in SOAP 1.1, also
// "true"/"false" in SOAP 1.2 (xs:boolean). SOAP 1.1 peers that write
// "true" are accepted too.
func parseBool(b []byte) (bool, bool) {
	switch string(trimSpace(b)) {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

func boolForms(env EnvelopeVersion) string {
	if env == SOAP11 {
		return `"0" or "1"`
	}
	return `"0", "1", "true" or "false"`
}

// trimSpace trims XML whitespace.
func trimSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }
