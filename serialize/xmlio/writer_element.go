package xmlio

import (
	"github.com/wsgo/wsgo/errors"
)

// StartElement opens an element. When ns is not empty the element is put in
// that namespace: with the given prefix if one is given (declared on this
// element unless already bound to ns in scope), else with a prefix already
// bound to ns in scope, else by declaring ns as the default namespace. When ns
// is empty the element has no namespace (an xmlns="" undeclaration is written
// if a default namespace is in scope). Attributes and declarations may be
// added until the first content or child is written.
//
// A prefix with an empty ns is an InvalidArgument error (XML has no prefixed
// names outside a namespace), as is a misuse of the reserved xml and xmlns
// prefixes. A second root element is an InvalidOperation error.
func (w *Writer) StartElement(prefix, local, ns string) {
	if !w.allow(wrCallStartElement, "element", prefix, local) {
		return
	}
	// The element is pushed while its name is resolved, so that messages
	// name it; a failed call pops it again and leaves the output untouched.
	w.open = append(w.open, wrElement{prefix: prefix, local: local, ns: ns, nsMark: len(w.ns)})
	given := prefix
	prefix, declare, ok := w.resolveElement(prefix, local, ns)
	if !ok {
		w.open = w.open[:len(w.open)-1]
		return
	}
	w.open[len(w.open)-1].prefix = prefix
	w.closeStartTag() // the parent's

	if w.state == wrBeforeRoot {
		w.state = wrInRoot
		w.rootPrefix, w.rootLocal = prefix, local
	}
	w.wroteAny = true
	w.inStartTag = true
	w.tagStart, w.chosen = len(w.buf), given == "" && prefix != ""
	w.buf = append(w.buf, '<')
	w.appendQName(prefix, local)
	if declare {
		w.declare(prefix, ns)
	}
}

// resolveElement validates an element's name and decides its prefix and
// whether this element must declare prefix (or the default namespace) for
// ns.
func (w *Writer) resolveElement(prefix, local, ns string) (string, bool, bool) {
	if !escIsNCName(local) || (prefix != "" && !escIsNCName(prefix)) {
		w.failf(errors.InvalidFormat, "element name %q is not a valid XML qualified name (prefix %q, local name %q); names are NCNames such as \"Order\" or \"line-item\"", wrQName(prefix, local), prefix, local)
		return "", false, false
	}
	declare := false
	switch {
	case ns == "":
		if prefix != "" {
			w.failf(errors.InvalidArgument, "element <%s> has prefix %q but no namespace; pass its namespace or drop the prefix", wrQName(prefix, local), prefix)
			return "", false, false
		}
		def, _ := w.lookupPrefix("")
		declare = def != "" // undeclare the default namespace: xmlns=""
	case prefix == "":
		if p, ok := w.prefixForNS(ns, true); ok {
			prefix = p
		} else {
			declare = true
		}
	default:
		cur, _ := w.lookupPrefix(prefix)
		declare = cur != ns
	}
	if declare && !w.checkBindable(prefix, ns) {
		return "", false, false
	}
	return prefix, declare, true
}

// EndElement closes the innermost open element (as <e/> if it has no
// content). With no element open it is an InvalidOperation error.
func (w *Writer) EndElement() {
	if !w.allow(wrCallEndElement, "EndElement", "", "") {
		return
	}
	n := len(w.open)
	e := &w.open[n-1]
	if w.inStartTag {
		w.buf = append(w.buf, '/', '>')
		w.inStartTag = false
		w.attrs = w.attrs[:0]
	} else {
		w.buf = append(w.buf, '<', '/')
		w.appendQName(e.prefix, e.local)
		w.buf = append(w.buf, '>')
	}
	w.ns = w.ns[:e.nsMark]
	w.open = w.open[:n-1]
	if n == 1 {
		w.state = wrAfterRoot
	}
	w.maybeFlush()
}

// appendQName writes prefix:local (local alone for an empty prefix).
func (w *Writer) appendQName(prefix, local string) {
	if prefix != "" {
		w.buf = append(w.buf, prefix...)
		w.buf = append(w.buf, ':')
	}
	w.buf = append(w.buf, local...)
}

// Attr adds an attribute to the open start tag. An attribute in a namespace
// gets the given prefix, or one bound to ns in scope, or a generated one
// (declared on this element). The value is escaped.
//
// An attribute in a namespace always has a prefix, never the default
// namespace. A given prefix is honoured (and declared on this element when it
// is not bound to ns in scope) unless this start tag already uses it for
// another namespace; then an in-scope or generated prefix ("p1", "p2", ...)
// is used instead. Writing the same attribute (local name and namespace)
// twice on one element is an InvalidOperation error, as is an attribute after
// the element's content. Namespace declarations are not attributes here: use
// DeclareNamespace.
func (w *Writer) Attr(prefix, local, ns, value string) {
	if w.beginAttr(prefix, local, ns) {
		wrAttrValue(w, value)
	}
}

// AttrBytes is Attr with a byte-slice value.
func (w *Writer) AttrBytes(prefix, local, ns string, value []byte) {
	if w.beginAttr(prefix, local, ns) {
		wrAttrValue(w, value)
	}
}

// StartAttr begins an attribute whose value the caller appends to the
// returned slice, the writer's output buffer, without an intermediate
// string: strconv.AppendInt, strconv.AppendFloat, time.Time.AppendFormat and
// the like. Hand the extended slice back with EndAttr, with no other call to
// the writer in between. Prefix rules are those of Attr.
//
// Append only; do not modify the bytes already in the slice. The appended
// value is checked like any attribute value: lexical forms that need no
// escaping are taken as they are (the fast path), and a value that contains
// characters needing escaping is escaped, at the cost of a copy. After an
// error the returned slice is still valid to append to; EndAttr ignores it.
func (w *Writer) StartAttr(prefix, local, ns string) []byte {
	if w.beginAttr(prefix, local, ns) {
		w.pending = wrPendingAttr
		w.mark = len(w.buf)
	}
	return w.buf
}

// EndAttr ends an attribute begun with StartAttr; b is the slice StartAttr
// returned, extended with the value.
func (w *Writer) EndAttr(b []byte) {
	if !w.allow(wrCallEndAttr, "EndAttr", "", "") {
		return
	}
	w.pending = wrPendingNone
	if w.commitValue(b, &escAttrTable, "EndAttr", "attribute value") {
		w.buf = append(w.buf, '"')
		w.maybeFlush()
	}
}

// beginAttr validates an attribute name, resolves its prefix, declares what
// it needs, and writes ` prefix:local="`.
func (w *Writer) beginAttr(prefix, local, ns string) bool {
	if !w.allow(wrCallStartTagItem, "attribute", prefix, local) {
		return false
	}
	if !escIsNCName(local) || (prefix != "" && !escIsNCName(prefix)) {
		w.failf(errors.InvalidFormat, "attribute name %q %s is not a valid XML qualified name (prefix %q, local name %q)", wrQName(prefix, local), w.where(), prefix, local)
		return false
	}
	switch {
	case prefix == "xmlns" || ns == wrXMLNSNamespace || (ns == "" && local == "xmlns"):
		w.failf(errors.InvalidArgument, "attribute %q %s is a namespace declaration; write declarations with DeclareNamespace", wrQName(prefix, local), w.where())
		return false
	case ns == "" && prefix != "":
		w.failf(errors.InvalidArgument, "attribute %q %s has prefix %q but no namespace; pass its namespace or drop the prefix", wrQName(prefix, local), w.where(), prefix)
		return false
	case ns == wrXMLNamespace:
		if prefix != "" && prefix != "xml" {
			w.failf(errors.InvalidArgument, "attribute %q %s is in the XML namespace, which only the xml prefix may denote", wrQName(prefix, local), w.where())
			return false
		}
		prefix = "xml"
	case prefix == "xml":
		w.failf(errors.InvalidArgument, "attribute %q %s uses the xml prefix for namespace %q; the xml prefix is bound only to %q", wrQName(prefix, local), w.where(), ns, wrXMLNamespace)
		return false
	}
	for _, a := range w.attrs {
		if a.local == local && a.ns == ns {
			w.failf(errors.InvalidOperation, "attribute %q (namespace %q) written twice %s; attributes must be unique per element", local, ns, w.where())
			return false
		}
	}
	if ns != "" && prefix != "xml" {
		prefix = w.attrPrefix(prefix, ns)
		if w.err != nil {
			return false
		}
	}
	w.attrs = append(w.attrs, wrAttr{prefix: prefix, local: local, ns: ns})
	w.buf = append(w.buf, ' ')
	w.appendQName(prefix, local)
	w.buf = append(w.buf, '=', '"')
	return true
}

// attrPrefix chooses the prefix of an attribute in namespace ns (not the
// XML namespace), declaring it on the open start tag when needed.
func (w *Writer) attrPrefix(prefix, ns string) string {
	if prefix != "" {
		if cur, _ := w.lookupPrefix(prefix); cur == ns {
			return prefix
		}
		if !w.prefixUsedOnStartTag(prefix) {
			if w.checkBindable(prefix, ns) {
				w.declare(prefix, ns)
			}
			return prefix
		}
	}
	if p, ok := w.prefixForNS(ns, false); ok {
		return p
	}
	p := w.generatePrefix()
	if w.checkBindable(p, ns) {
		w.declare(p, ns)
	}
	return p
}

// wrAttrValue writes an escaped attribute value and the closing quote.
func wrAttrValue[S ~string | ~[]byte](w *Writer, v S) {
	mark := len(w.buf)
	var bad int
	w.buf, bad = escAppend(w.buf, v, &escAttrTable)
	if bad >= 0 {
		w.buf = w.buf[:mark]
		w.failAttrValue(escDescribe(v, bad), bad)
		return
	}
	w.buf = append(w.buf, '"')
	w.maybeFlush()
}

// failAttrValue records an InvalidFormat error for the attribute being
// written.
func (w *Writer) failAttrValue(what string, at int) {
	a := w.attrs[len(w.attrs)-1]
	w.failf(errors.InvalidFormat, "value of attribute %q %s contains %s at byte %d; XML 1.0 cannot carry it (send binary data as base64)", wrQName(a.prefix, a.local), w.where(), what, at)
}

// commitValue takes back the buffer extended by the caller after AppendText
// or StartAttr, escaping the appended part with table if it needs it.
func (w *Writer) commitValue(b []byte, table *[256]uint8, call, what string) bool {
	if len(b) < w.mark {
		w.failf(errors.InvalidArgument, "%s got a slice shorter than the writer's output; pass the slice returned by the matching call, extended by append", call)
		return false
	}
	region := b[w.mark:]
	bad, needsEscape := escScan(region, table)
	if bad < 0 && !needsEscape {
		w.buf = b
		return true
	}
	w.scratch = append(w.scratch[:0], region...)
	w.buf = b[:w.mark]
	if bad >= 0 {
		if what == "attribute value" {
			w.failAttrValue(escDescribe(w.scratch, bad), bad)
		} else {
			w.failf(errors.InvalidFormat, "%s appended %s contains %s at byte %d; XML 1.0 cannot carry it", what, w.where(), escDescribe(w.scratch, bad), bad)
		}
		return false
	}
	w.buf, _ = escAppend(w.buf, w.scratch, table)
	return true
}
