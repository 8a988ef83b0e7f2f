package wssec

import (
	stderrors "errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Default bounds of a parsed envelope (Policy and Config may lower or
// raise them). A channel's message size quota (64 KiB buffered by
// default) usually bounds the input well below these.
const (
	// DefaultMaxEnvelopeSize bounds the envelope Secure and Verify parse.
	DefaultMaxEnvelopeSize = 4 << 20
	// DefaultMaxDepth bounds the element nesting of a parsed envelope.
	DefaultMaxDepth = 256
	// DefaultMaxReferences bounds the references of a signature.
	DefaultMaxReferences = 32
	// maxTokens bounds the BinarySecurityTokens of a Security header.
	maxTokens = 8
)

// envelope is a parsed SOAP envelope with the parts WS-Security works on.
type envelope struct {
	doc     *etree.Document
	root    *etree.Element
	version message.EnvelopeVersion
	ns      string // the envelope namespace
	header  *etree.Element
	body    *etree.Element
	// ids maps each wsu:Id (and unqualified Id) value to the elements
	// carrying it; a reference resolves only to a value carried once.
	ids map[string][]*etree.Element
}

// parseEnvelope parses env under the size and depth bounds, refusing
// DTDs, and locates Header and Body.
func parseEnvelope(env []byte, maxSize, maxDepth int) (*envelope, error) {
	if len(env) > maxSize {
		return nil, errors.Quotaf("MaxEnvelopeSize",
			"the envelope is %d bytes, over WS-Security's MaxEnvelopeSize of %d", len(env), maxSize)
	}
	doc := etree.NewDocument()
	doc.ReadSettings = etree.ReadSettings{MaxDepth: maxDepth}
	if err := doc.ReadFromBytes(env); err != nil {
		if stderrors.Is(err, etree.ErrMaxDepth) {
			return nil, errors.Quotaf("MaxDepth", "the envelope nests elements deeper than %d", maxDepth)
		}
		return nil, errors.Errorf(errors.InvalidFormat, "the envelope is not well-formed XML: %v", err)
	}
	for _, t := range doc.Child {
		if _, ok := t.(*etree.Directive); ok {
			return nil, errors.Errorf(errors.InvalidFormat, "the envelope carries a DTD (<!DOCTYPE>), which SOAP forbids")
		}
	}
	root := doc.Root()
	if root == nil {
		return nil, errors.Errorf(errors.InvalidFormat, "the document has no root element")
	}
	e := &envelope{doc: doc, root: root, ns: root.NamespaceURI()}
	switch {
	case root.Tag == "Envelope" && e.ns == message.NamespaceSOAP11:
		e.version = message.SOAP11
	case root.Tag == "Envelope" && e.ns == message.NamespaceSOAP12:
		e.version = message.SOAP12
	default:
		return nil, errors.Errorf(errors.InvalidFormat, "the root element <%s> is not a SOAP 1.1 or 1.2 Envelope", root.FullTag())
	}
	for _, c := range root.ChildElements() {
		if c.NamespaceURI() != e.ns {
			return nil, errors.Errorf(errors.InvalidFormat, "unexpected element <%s> in the Envelope", c.FullTag())
		}
		switch {
		case c.Tag == "Header" && e.header == nil && e.body == nil:
			e.header = c
		case c.Tag == "Body" && e.body == nil:
			e.body = c
		default:
			return nil, errors.Errorf(errors.InvalidFormat, "unexpected <%s> in the Envelope: one optional Header, then one Body", c.FullTag())
		}
	}
	if e.body == nil {
		return nil, errors.Errorf(errors.InvalidFormat, "the Envelope has no Body")
	}
	return e, nil
}

// indexIDs records the Id attributes of every element.
func (e *envelope) indexIDs() {
	e.ids = make(map[string][]*etree.Element)
	var walk func(el *etree.Element, scope *nsScope)
	walk = func(el *etree.Element, scope *nsScope) {
		scope = scope.push(el)
		for i := range el.Attr {
			a := &el.Attr[i]
			if a.Key != "Id" {
				continue
			}
			if a.Space == "" || scope.lookup(a.Space) == NamespaceWSU {
				e.ids[a.Value] = append(e.ids[a.Value], el)
			}
		}
		for _, c := range el.ChildElements() {
			walk(c, scope)
		}
	}
	walk(e.root, nil)
}

// resolve returns the one element carrying id, or nil when none or
// several do (several: a signature-wrapping attempt).
func (e *envelope) resolve(id string) (*etree.Element, int) {
	els := e.ids[id]
	if len(els) != 1 {
		return nil, len(els)
	}
	return els[0], 1
}

// nsScope is the chain of namespace declarations in scope at an element.
type nsScope struct {
	parent *nsScope
	decls  []etree.Attr
}

// push returns the scope inside el: scope itself when el declares nothing.
func (s *nsScope) push(el *etree.Element) *nsScope {
	var decls []etree.Attr
	for _, a := range el.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			decls = append(decls, a)
		}
	}
	if decls == nil {
		return s
	}
	return &nsScope{parent: s, decls: decls}
}

// lookup resolves prefix ("" for the default namespace).
func (s *nsScope) lookup(prefix string) string {
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace"
	}
	for ; s != nil; s = s.parent {
		for _, a := range s.decls {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (a.Space == "xmlns" && a.Key == prefix) {
				return a.Value
			}
		}
	}
	return ""
}

// attrNS returns the value of el's attribute local in namespace ns (an
// attribute with any prefix bound to ns), or "" and false.
func attrNS(el *etree.Element, ns, local string) (string, bool) {
	for i := range el.Attr {
		a := &el.Attr[i]
		if a.Key == local && a.Space != "" && a.Space != "xmlns" && a.NamespaceURI() == ns {
			return a.Value, true
		}
	}
	return "", false
}

// attr returns the value of el's unqualified attribute key.
func attr(el *etree.Element, key string) (string, bool) {
	for i := range el.Attr {
		if a := &el.Attr[i]; a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// is reports whether el is ns:local.
func is(el *etree.Element, ns, local string) bool {
	return el.Tag == local && el.NamespaceURI() == ns
}

// text returns el's text content, trimmed of surrounding white space.
func text(el *etree.Element) string { return strings.TrimSpace(el.Text()) }
