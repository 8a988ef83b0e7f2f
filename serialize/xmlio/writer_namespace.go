package xmlio

import (
	"slices"
	"strconv"

	"github.com/wsgo/wsgo/errors"
)

// Namespace bindings of the writer. Bindings live in one slice, innermost
// last; each open element remembers where its own start (wrElement.nsMark),
// and EndElement truncates the slice back to it, so pushing and popping
// scopes allocates nothing once the slice has grown. The xml prefix is
// predefined and never stored or declared.

// Reserved namespaces (Namespaces in XML 1.0, section 3).
const (
	wrXMLNamespace   = "http://www.w3.org/XML/1998/namespace"
	wrXMLNSNamespace = "http://www.w3.org/2000/xmlns/"
)

// lookupPrefix returns the namespace prefix is bound to in scope. The empty
// prefix with no default namespace in scope resolves to "" (no namespace).
func (w *Writer) lookupPrefix(prefix string) (string, bool) {
	if prefix == "xml" {
		return wrXMLNamespace, true
	}
	for i := len(w.ns) - 1; i >= 0; i-- {
		if w.ns[i].prefix == prefix {
			return w.ns[i].ns, true
		}
	}
	return "", prefix == ""
}

// prefixForNS returns the innermost prefix bound to ns in scope that no
// inner binding shadows. The default namespace ("" prefix) counts only when
// allowDefault is set (attributes never use it).
func (w *Writer) prefixForNS(ns string, allowDefault bool) (string, bool) {
	if ns == wrXMLNamespace {
		return "xml", true
	}
	for i := len(w.ns) - 1; i >= 0; i-- {
		b := w.ns[i]
		if b.ns != ns || (b.prefix == "" && !allowDefault) {
			continue
		}
		shadowed := false
		for j := i + 1; j < len(w.ns); j++ {
			if w.ns[j].prefix == b.prefix {
				shadowed = true
				break
			}
		}
		if !shadowed {
			return b.prefix, true
		}
	}
	return "", false
}

// PrefixFor returns a prefix bound to ns in scope, for writing QName values
// such as xsi:type="p:T". The innermost binding wins. It returns "" and true
// when ns is the default namespace in scope (an unprefixed QName value
// resolves to the default namespace), and for ns "" when no default
// namespace is in scope. It returns "xml" for the XML namespace. When ns is
// not in scope it returns false; declare it with DeclareNamespace first.
func (w *Writer) PrefixFor(ns string) (string, bool) {
	if ns == "" {
		def, _ := w.lookupPrefix("")
		return "", def == ""
	}
	return w.prefixForNS(ns, true)
}

// DeclareNamespace adds xmlns:prefix="ns" (xmlns="ns" for an empty prefix) to
// the open start tag, unless that exact binding is already in scope.
//
// Declaring a prefix that this start tag already uses for another namespace
// (for the element itself, an attribute, or an earlier declaration) is an
// InvalidOperation error, because it would change what those names mean.
// The one exception is an element prefix the writer chose itself
// (StartElement with an empty prefix, which reuses a prefix bound to the
// namespace in scope): the element is moved to the default namespace (or,
// when this tag binds the default namespace to something else, to a
// generated prefix) and the declaration is written, so that a copy of
// <a xmlns="urn:u" xmlns:p="urn:w"> inside a scope binding p to urn:u
// succeeds. A streaming writer can do so only while the start tag has not
// been flushed (a long attribute value may flush it).
// Binding a non-empty prefix to "" or misusing the reserved xml and xmlns
// prefixes or namespaces is InvalidArgument.
func (w *Writer) DeclareNamespace(prefix, ns string) {
	declPrefix, declLocal := "xmlns", prefix // named as the attribute it becomes
	if prefix == "" {
		declPrefix, declLocal = "", "xmlns"
	}
	if !w.allow(wrCallStartTagItem, "namespace declaration", declPrefix, declLocal) {
		return
	}
	if !w.checkBindable(prefix, ns) {
		return
	}
	if prefix == "xml" {
		return // predefined
	}
	if cur, _ := w.lookupPrefix(prefix); cur == ns {
		return
	}
	if w.prefixUsedOnStartTag(prefix) && !w.giveUpChosenPrefix(prefix) {
		w.failf(errors.InvalidOperation, "prefix %q is already used %s for another namespace; it cannot be bound to %q on the same start tag", prefix, w.where(), ns)
		return
	}
	w.declare(prefix, ns)
}

// giveUpChosenPrefix moves the open element off prefix, which the start tag
// uses only as the element's prefix and which the writer chose itself, to
// the default namespace or a generated prefix, rewriting the name already
// in the buffer. It reports whether prefix is now free on the start tag.
func (w *Writer) giveUpChosenPrefix(prefix string) bool {
	e := &w.open[len(w.open)-1]
	if !w.chosen || w.tagStart < 0 || e.prefix != prefix {
		return false
	}
	for _, b := range w.ns[e.nsMark:] {
		if b.prefix == prefix {
			return false
		}
	}
	for _, a := range w.attrs {
		if a.prefix == prefix {
			return false
		}
	}
	defaultHere := false
	for _, b := range w.ns[e.nsMark:] {
		defaultHere = defaultHere || b.prefix == ""
	}
	var to string
	switch def, _ := w.lookupPrefix(""); {
	case def == e.ns:
	case !defaultHere:
		w.declare("", e.ns)
	default:
		to = w.generatePrefix()
		w.declare(to, e.ns)
	}
	e.prefix = to
	name := w.tagStart + 1
	if to == "" {
		w.buf = slices.Delete(w.buf, name, name+len(prefix)+1)
	} else {
		w.buf = slices.Replace(w.buf, name, name+len(prefix), []byte(to)...)
	}
	if len(w.open) == 1 {
		w.rootPrefix = to
	}
	return true
}

// checkBindable validates a prefix/namespace pair about to be bound.
func (w *Writer) checkBindable(prefix, ns string) bool {
	switch {
	case prefix != "" && !escIsNCName(prefix):
		w.failf(errors.InvalidFormat, "namespace prefix %q %s is not a valid XML NCName", prefix, w.where())
	case prefix == "xmlns" || ns == wrXMLNSNamespace:
		w.failf(errors.InvalidArgument, "the xmlns prefix and the namespace %q are reserved and cannot be bound (%s)", wrXMLNSNamespace, w.where())
	case prefix == "xml" && ns != wrXMLNamespace, prefix != "xml" && ns == wrXMLNamespace:
		w.failf(errors.InvalidArgument, "the xml prefix is bound only to %q and that namespace only to it; got prefix %q for %q %s", wrXMLNamespace, prefix, ns, w.where())
	case prefix != "" && ns == "":
		w.failf(errors.InvalidArgument, "prefix %q cannot be bound to the empty namespace %s (XML 1.0 namespaces only allow undeclaring the default namespace)", prefix, w.where())
	default:
		bad, _ := escScan(ns, &escAttrTable)
		if bad < 0 {
			return true
		}
		w.failf(errors.InvalidFormat, "namespace %q %s contains %s at byte %d; a namespace is a URI", ns, w.where(), escDescribe(ns, bad), bad)
	}
	return false
}

// prefixUsedOnStartTag reports whether the open start tag already depends on
// prefix: declared there, the element's own prefix, or an attribute's. An
// unprefixed attribute is in no namespace whatever the default namespace
// is, so it does not depend on the empty prefix.
func (w *Writer) prefixUsedOnStartTag(prefix string) bool {
	e := &w.open[len(w.open)-1]
	if e.prefix == prefix {
		return true
	}
	for _, b := range w.ns[e.nsMark:] {
		if b.prefix == prefix {
			return true
		}
	}
	if prefix == "" {
		return false
	}
	for _, a := range w.attrs {
		if a.prefix == prefix {
			return true
		}
	}
	return false
}

// declare pushes a binding and writes its declaration on the open start
// tag. The pair must have passed checkBindable; the namespace is escaped as
// an attribute value.
func (w *Writer) declare(prefix, ns string) {
	w.ns = append(w.ns, wrBinding{prefix: prefix, ns: ns})
	if prefix == "" {
		w.buf = append(w.buf, ` xmlns="`...)
	} else {
		w.buf = append(w.buf, ` xmlns:`...)
		w.buf = append(w.buf, prefix...)
		w.buf = append(w.buf, '=', '"')
	}
	w.buf, _ = escAppend(w.buf, ns, &escAttrTable) // checked by checkBindable
	w.buf = append(w.buf, '"')
}

// generatePrefix returns the first of p1, p2, ... that is not bound in
// scope and not used on the open start tag. The strings are cached so
// steady-state writing does not allocate them.
func (w *Writer) generatePrefix() string {
	for i := 0; ; i++ {
		if i == len(w.prefixes) {
			w.prefixes = append(w.prefixes, "p"+strconv.Itoa(i+1))
		}
		p := w.prefixes[i]
		if _, bound := w.lookupPrefix(p); !bound && !w.prefixUsedOnStartTag(p) {
			return p
		}
	}
}
