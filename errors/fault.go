package errors

import (
	"encoding/xml"
	"strings"

	"github.com/beevik/etree"
)

// Fault is a SOAP fault in a version-neutral form (WWSAPI's WS_FAULT). Package
// message writes it as a SOAP 1.1 or SOAP 1.2 Fault element and reads either
// form into it.
//
// Code values are qualified names in the namespace they have on the wire: for
// the standard codes that is the envelope namespace (SOAP 1.1 "Client",
// "Server"; SOAP 1.2 "Sender", "Receiver", ...). SOAP 1.1 has no subcodes on
// the wire; a 1.1 faultcode such as "Client.Auth" is kept whole in Code.Value.
type Fault struct {
	// Code is the fault code chain: Value, then Subcode, its Subcode, ...
	Code FaultCode

	// Reasons are the human-readable explanations, one per language. SOAP
	// 1.1 carries one faultstring (its Lang is usually empty).
	Reasons []FaultReason

	// Actor is the SOAP 1.1 faultactor or the SOAP 1.2 Role: the URI of the
	// node whose role caused the fault. Empty when absent.
	Actor string

	// Node is the SOAP 1.2 Node: the URI of the node that generated the
	// fault. SOAP 1.1 has no such element. Empty when absent.
	Node string

	// Detail is the fault's detail element (SOAP 1.1 <detail>, SOAP 1.2
	// <Detail>) with its children, or nil. Package serialize can decode a
	// child into a typed value.
	Detail *etree.Element
}

// FaultCode is one level of a fault code chain (WWSAPI's WS_FAULT_CODE).
type FaultCode struct {
	// Value is the code as a qualified name.
	Value xml.Name
	// Subcode is the next, more specific level; nil at the end of the chain.
	Subcode *FaultCode
}

// FaultReason is a fault explanation in one language.
type FaultReason struct {
	Text string
	Lang string // xml:lang, such as "en"; may be empty
}

// Reason returns the first reason's text, or "" when there is none. Use
// ReasonFor to choose a language.
func (f *Fault) Reason() string {
	if len(f.Reasons) == 0 {
		return ""
	}
	return f.Reasons[0].Text
}

// ReasonFor returns the text of the reason whose language matches lang
// (case-insensitively, and "en" matches "en-US"), falling back to the first
// reason.
func (f *Fault) ReasonFor(lang string) string {
	for _, r := range f.Reasons {
		if strings.EqualFold(r.Lang, lang) {
			return r.Text
		}
	}
	for _, r := range f.Reasons {
		if base, _, ok := strings.Cut(r.Lang, "-"); ok && strings.EqualFold(base, lang) {
			return r.Text
		}
	}
	return f.Reason()
}

// Codes returns the chain of code values from the outermost to the most
// specific subcode.
func (f *Fault) Codes() []xml.Name {
	var out []xml.Name
	for c := &f.Code; c != nil; c = c.Subcode {
		out = append(out, c.Value)
	}
	return out
}

// HasCode reports whether any level of the code chain has the given local
// name in the given namespace.
func (f *Fault) HasCode(space, local string) bool {
	for c := &f.Code; c != nil; c = c.Subcode {
		if c.Value.Local == local && c.Value.Space == space {
			return true
		}
	}
	return false
}

// Error formats the fault as "fault CODE[/SUBCODE...]: REASON", so a *Fault
// can be returned as an error by a service handler.
func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("fault ")
	for c := &f.Code; c != nil; c = c.Subcode {
		if c != &f.Code {
			b.WriteByte('/')
		}
		b.WriteString(c.Value.Local)
	}
	if r := f.Reason(); r != "" {
		b.WriteString(": ")
		b.WriteString(r)
	}
	return b.String()
}
