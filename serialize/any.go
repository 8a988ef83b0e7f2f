package serialize

import (
	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// *etree.Element values are written verbatim and read as standalone
// elements. etree keeps prefixes unresolved (Element.Space is a prefix), so
// writing resolves them against the element's own and inherited xmlns
// attributes, and reading declares on the new root every namespace that is
// in scope in the document, so that prefixes used in content (xsi:type
// values, QNames in text) still resolve once the element is lifted out.

// xmlNS is the namespace bound to the reserved prefix "xml".
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// nsBinding is a prefix bound to a namespace while writing an etree element.
type nsBinding struct {
	prefix, uri string
}

// etree writes el verbatim.
func (e *encoder) etree(el *etree.Element) error {
	e.flushLeaves()
	base := len(e.ns)
	var chain []*etree.Element
	for p := el.Parent(); p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		e.pushDecls(chain[i])
	}
	err := e.etreeElement(el)
	e.ns = e.ns[:base]
	return err
}

// pushDecls adds the xmlns attributes of el to the scope.
func (e *encoder) pushDecls(el *etree.Element) {
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			e.ns = append(e.ns, nsBinding{a.Key, a.Value})
		case a.Space == "" && a.Key == "xmlns":
			e.ns = append(e.ns, nsBinding{"", a.Value})
		}
	}
}

// lookupNS resolves a prefix in the etree scope.
func (e *encoder) lookupNS(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNS, true
	}
	for i := len(e.ns) - 1; i >= 0; i-- {
		if e.ns[i].prefix == prefix {
			return e.ns[i].uri, true
		}
	}
	return "", prefix == ""
}

func (e *encoder) etreeElement(el *etree.Element) error {
	mark := len(e.ns)
	e.pushDecls(el)
	ns, ok := e.lookupNS(el.Space)
	if !ok {
		return errors.Errorf(errors.InvalidArgument,
			"etree element <%s>: prefix %q is not declared on it or on its ancestors", el.FullTag(), el.Space)
	}
	w := e.w
	w.StartElement(el.Space, el.Tag, ns)
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			w.DeclareNamespace(a.Key, a.Value)
		case a.Space == "" && a.Key == "xmlns":
			if a.Value != "" {
				w.DeclareNamespace("", a.Value)
			}
		}
	}
	for _, a := range el.Attr {
		if a.Space == "xmlns" || a.Space == "" && a.Key == "xmlns" {
			continue
		}
		ans := ""
		if a.Space != "" {
			if ans, ok = e.lookupNS(a.Space); !ok {
				return errors.Errorf(errors.InvalidArgument,
					"etree element <%s>: prefix %q of attribute %s is not declared", el.FullTag(), a.Space, a.FullKey())
			}
		}
		w.Attr(a.Space, a.Key, ans, a.Value)
	}
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.Element:
			if err := e.etreeElement(t); err != nil {
				return err
			}
		case *etree.CharData:
			if t.IsCData() {
				w.CData(t.Data)
			} else {
				w.Text(t.Data)
			}
		case *etree.Comment:
			w.Comment(t.Data)
		}
	}
	w.EndElement()
	e.ns = e.ns[:mark]
	return nil
}

// readEtree reads the element the reader is on into a new etree element
// that carries every namespace declaration in scope.
func (d *decoder) readEtree() (*etree.Element, error) {
	r := d.r
	root := d.etreeStart(nil)
	d.nsbuf = r.InScopeNamespaces(d.nsbuf[:0])
	for _, b := range d.nsbuf {
		if string(b.Prefix) == "xml" || len(b.Prefix) == 0 && len(b.URI) == 0 || declaresPrefix(r, b.Prefix) {
			continue
		}
		root.CreateAttr(xmlnsKey(b.Prefix), string(b.URI))
	}
	cur := root
	for {
		k, err := r.Next()
		if err != nil {
			return nil, withLine(err, r.Line())
		}
		switch k {
		case xmlio.StartElement:
			cur = d.etreeStart(cur)
		case xmlio.EndElement:
			if cur == root {
				return root, nil
			}
			cur = cur.Parent()
		case xmlio.Text:
			if r.IsCDATA() {
				cur.CreateCData(string(r.Text()))
			} else {
				cur.CreateText(string(r.Text()))
			}
		case xmlio.Comment:
			cur.CreateComment(string(r.Text()))
		default:
			return nil, failAt(r.Line(), errors.InvalidFormat, "unexpected end of document")
		}
	}
}

// declaresPrefix reports whether the current start tag declares prefix.
func declaresPrefix(r *xmlio.Reader, prefix []byte) bool {
	for i := range r.NSDeclCount() {
		if string(r.NSDecl(i).Prefix) == string(prefix) {
			return true
		}
	}
	return false
}

func xmlnsKey(prefix []byte) string {
	if len(prefix) == 0 {
		return "xmlns"
	}
	return "xmlns:" + string(prefix)
}

func prefixed(prefix, local []byte) string {
	if len(prefix) == 0 {
		return string(local)
	}
	return string(prefix) + ":" + string(local)
}

// etreeStart creates the element for the current start tag under parent.
func (d *decoder) etreeStart(parent *etree.Element) *etree.Element {
	r := d.r
	tag := prefixed(r.Prefix(), r.Local())
	var el *etree.Element
	if parent == nil {
		el = etree.NewElement(tag)
	} else {
		el = parent.CreateElement(tag)
	}
	for i := range r.NSDeclCount() {
		ns := r.NSDecl(i)
		el.CreateAttr(xmlnsKey(ns.Prefix), string(ns.URI))
	}
	for i := range r.AttrCount() {
		a := r.Attr(i)
		el.CreateAttr(prefixed(a.Prefix, a.Local), string(a.Value))
	}
	return el
}
