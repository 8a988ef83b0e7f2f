package xmlio

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
)

// readStartTag reads a start tag (or empty-element tag) with its
// attributes, resolves its namespaces and opens its scope.
func (r *Reader) readStartTag() (Kind, *errors.Error) {
	if r.rootSeen && len(r.stack) == 0 {
		return None, r.errAt(r.pos, "a second root element follows the first; a SOAP message has exactly one root element")
	}
	if len(r.stack) >= r.opts.MaxDepth {
		return None, r.quotaAt(r.pos, "MaxDepth", "elements are nested deeper than MaxDepth (%d)", r.opts.MaxDepth)
	}
	b, lim := r.buf, r.limit()
	nbind, nsMark := len(r.bindings), len(r.nsArena)
	k, err := r.startTag(b, lim, nbind)
	if err != nil {
		// Undo the declarations bound so far: the tag may be parsed again.
		r.bindings = r.bindings[:nbind]
		r.nsArena = r.nsArena[:nsMark]
		return None, err
	}
	return k, nil
}

// startTag parses the start tag at r.pos, up to lim.
func (r *Reader) startTag(b []byte, lim, nbind int) (Kind, *errors.Error) {
	nsMark := len(r.nsArena)
	p, colon, err := r.name(r.pos+1, lim, "element name")
	if err != nil {
		return None, err
	}
	name := b[r.pos+1 : p]
	empty := false
	nattr := 0
	for {
		ws := p
		for p < lim && isSpace(b[p]) {
			p++
		}
		if p >= lim {
			return None, r.runOff(p, "a start tag")
		}
		c := b[p]
		if c == '>' {
			p++
			break
		}
		if c == '/' {
			if p+1 >= lim {
				return None, r.runOff(p+1, "a start tag")
			}
			if b[p+1] != '>' {
				return None, r.errAt(p, "expected '>' after '/' in the start tag of <%s>", snippet(name))
			}
			p += 2
			empty = true
			break
		}
		if p == ws {
			return None, r.errAt(p, "unexpected %s in the start tag of <%s>; expected whitespace, an attribute, '>' or '/>'",
				describeByte(b[p:lim]), snippet(name))
		}
		if nattr == r.opts.MaxAttributes {
			return None, r.quotaAt(p, "MaxAttributes", "element <%s> has more than MaxAttributes (%d) attributes",
				snippet(name), r.opts.MaxAttributes)
		}
		nattr++
		if p, err = r.attribute(p, lim, name, nbind); err != nil {
			return None, err
		}
	}
	r.next = p
	return r.openElement(name, colon, nbind, nsMark, empty)
}

// attribute reads one attribute at b[p:] of the element called elem. A
// namespace declaration is bound at once; other attributes are collected in
// r.attrs and resolved by openElement.
func (r *Reader) attribute(p, lim int, elem []byte, nbind int) (int, *errors.Error) {
	b := r.buf
	start := p
	p, colon, err := r.name(p, lim, "attribute name")
	if err != nil {
		return p, err
	}
	qn := b[start:p:p]
	for p < lim && isSpace(b[p]) {
		p++
	}
	if p >= lim {
		return p, r.runOff(p, "a start tag")
	}
	if b[p] != '=' {
		return p, r.errAt(p, "attribute %s of <%s> has no value: expected '=', found %s",
			snippet(qn), snippet(elem), describeByte(b[p:lim]))
	}
	p++
	for p < lim && isSpace(b[p]) {
		p++
	}
	if p >= lim {
		return p, r.runOff(p, "a start tag")
	}
	q := b[p]
	if q != '"' && q != '\'' {
		return p, r.errAt(p, "the value of attribute %s of <%s> must be quoted with \" or '", snippet(qn), snippet(elem))
	}
	p, val, err := r.attrValue(p+1, lim)
	if err != nil {
		return p, err
	}
	switch {
	case colon < 0 && string(qn) == "xmlns":
		err = r.declare(nil, val, start, nbind)
	case colon >= 0 && string(qn[:colon]) == "xmlns":
		err = r.declare(qn[colon+1:], val, start, nbind)
	default:
		n := len(r.attrs)
		if n < cap(r.attrs) {
			r.attrs = r.attrs[:n+1]
		} else {
			r.attrs = append(r.attrs, Attr{})
		}
		a := &r.attrs[n]
		a.Prefix, a.Local, a.Namespace, a.Value = nil, qn[colon+1:], nil, val
		if colon >= 0 {
			a.Prefix = qn[:colon:colon]
		}
	}
	return p, err
}

// declare binds prefix (nil for the default namespace) to uri for the
// element being read, enforcing Namespaces in XML 1.0.
func (r *Reader) declare(prefix, uri []byte, at, nbind int) *errors.Error {
	switch {
	case string(prefix) == "xmlns":
		return r.errAt(at, "the prefix xmlns must not be declared")
	case prefix != nil && len(uri) == 0:
		return r.errAt(at, "xmlns:%s=\"\" is not allowed: XML 1.0 namespaces cannot undeclare a prefix", snippet(prefix))
	case string(prefix) == "xml":
		if string(uri) != xmlNamespace {
			return r.errAt(at, "the prefix xml may be bound only to %s", xmlNamespace)
		}
	case string(uri) == xmlNamespace:
		return r.errAt(at, "only the prefix xml may be bound to %s", xmlNamespace)
	case string(uri) == xmlnsNamespace:
		return r.errAt(at, "no prefix may be bound to %s", xmlnsNamespace)
	}
	for i := nbind; i < len(r.bindings); i++ {
		if bytes.Equal(r.bindings[i].prefix, prefix) {
			if prefix == nil {
				return r.errAt(at, "duplicate attribute xmlns")
			}
			return r.errAt(at, "duplicate attribute xmlns:%s", snippet(prefix))
		}
	}
	if len(r.bindings) == r.opts.MaxNamespaces {
		return r.quotaAt(at, "MaxNamespaces", "more than MaxNamespaces (%d) namespace declarations are in scope", r.opts.MaxNamespaces)
	}
	bd := r.bind(prefix, uri)
	r.decls = append(r.decls, NSDecl{Prefix: bd.prefix, URI: bd.uri})
	return nil
}

// openElement resolves the names of the start tag just read, checks its
// attributes for duplicates and pushes it on the element stack.
func (r *Reader) openElement(name []byte, colon, nbind, nsMark int, empty bool) (Kind, *errors.Error) {
	var ns []byte
	if colon >= 0 {
		prefix := name[:colon]
		if string(prefix) == "xmlns" {
			return None, r.errAt(r.pos, "element <%s> uses the prefix xmlns, which is reserved for namespace declarations", snippet(name))
		}
		uri, ok := r.lookup(prefix)
		if !ok {
			return None, r.errAt(r.pos, "element <%s> uses the undeclared namespace prefix %s", snippet(name), snippet(prefix))
		}
		ns = uri
	} else if uri, ok := r.lookup(nil); ok {
		ns = uri
	}
	for i := range r.attrs {
		a := &r.attrs[i]
		if len(a.Prefix) == 0 {
			continue
		}
		uri, ok := r.lookup(a.Prefix)
		if !ok {
			return None, r.errAt(r.pos, "attribute %s:%s of <%s> uses the undeclared namespace prefix %s",
				snippet(a.Prefix), snippet(a.Local), snippet(name), snippet(a.Prefix))
		}
		a.Namespace = uri
	}
	if err := r.checkDuplicates(name); err != nil {
		return None, err
	}
	mark := len(r.nameArena)
	r.nameArena = append(r.nameArena, name...)
	arena := r.nameArena
	r.stack = append(r.stack, openElem{
		name:   arena[mark:len(arena):len(arena)],
		colon:  colon,
		ns:     ns,
		nbind:  nbind,
		nsMark: nsMark,
	})
	r.rootSeen = true
	r.pendingEnd = empty
	return StartElement, nil
}

// dupSortThreshold is the attribute count above which duplicates are found
// by sorting rather than by comparing every pair.
const dupSortThreshold = 16

// checkDuplicates refuses two attributes with the same expanded name (which
// includes two with the same qualified name).
func (r *Reader) checkDuplicates(elem []byte) *errors.Error {
	n := len(r.attrs)
	if n <= dupSortThreshold {
		for i := 1; i < n; i++ {
			for j := range i {
				if sameAttr(&r.attrs[i], &r.attrs[j]) {
					return r.dupErr(elem, j, i)
				}
			}
		}
		return nil
	}
	order := r.dupOrder[:0]
	for i := range n {
		order = append(order, int32(i))
	}
	attrs := r.attrs
	slices.SortFunc(order, func(x, y int32) int {
		if c := bytes.Compare(attrs[x].Local, attrs[y].Local); c != 0 {
			return c
		}
		if c := bytes.Compare(attrs[x].Namespace, attrs[y].Namespace); c != 0 {
			return c
		}
		return int(x - y)
	})
	r.dupOrder = order
	for k := 1; k < n; k++ {
		if sameAttr(&attrs[order[k-1]], &attrs[order[k]]) {
			return r.dupErr(elem, int(order[k-1]), int(order[k]))
		}
	}
	return nil
}

func sameAttr(a, b *Attr) bool {
	return bytes.Equal(a.Local, b.Local) && bytes.Equal(a.Namespace, b.Namespace)
}

func (r *Reader) dupErr(elem []byte, i, j int) *errors.Error {
	a, b := &r.attrs[i], &r.attrs[j]
	if bytes.Equal(a.Prefix, b.Prefix) {
		return r.errAt(r.pos, "element <%s> has the attribute %s twice", snippet(elem), snippet(qname(a)))
	}
	return r.errAt(r.pos, "attributes %s and %s of <%s> are the same attribute {%s}%s",
		snippet(qname(a)), snippet(qname(b)), snippet(elem), snippet(a.Namespace), snippet(a.Local))
}

func qname(a *Attr) []byte {
	if len(a.Prefix) == 0 {
		return a.Local
	}
	return slices.Concat(a.Prefix, []byte{':'}, a.Local)
}

// readEndTag reads an end tag, which must name the innermost open element.
func (r *Reader) readEndTag() (Kind, *errors.Error) {
	b, lim := r.buf, r.limit()
	p := r.pos + 2
	if len(r.stack) == 0 {
		return None, r.errAt(r.pos, "end tag </%s> has no matching start tag", snippet(b[p:nameEnd(b, p, lim)]))
	}
	e := &r.stack[len(r.stack)-1]
	n := len(e.name)
	switch {
	case p+n < lim && bytes.Equal(b[p:p+n], e.name) && !isNameByte(b[p+n]):
		p += n
	case p+n >= lim && bytes.HasPrefix(e.name, b[p:lim]):
		return None, r.runOff(lim, "an end tag")
	default:
		return None, r.errAt(r.pos, "end tag </%s> does not match the start tag <%s>",
			snippet(b[p:nameEnd(b, p, lim)]), snippet(e.name))
	}
	for p < lim && isSpace(b[p]) {
		p++
	}
	if p >= lim {
		return None, r.runOff(p, "an end tag")
	}
	if b[p] != '>' {
		return None, r.errAt(p, "unexpected %s in the end tag </%s>; expected '>'", describeByte(b[p:lim]), snippet(e.name))
	}
	r.next = p + 1
	r.pendingPop = true
	return EndElement, nil
}

// nameEnd returns the end of the name-like bytes at b[p:lim], for messages.
func nameEnd(b []byte, p, lim int) int {
	for p < lim && isNameByte(b[p]) {
		p++
	}
	return p
}

// name reads a qualified name (Namespaces in XML 1.0 QName: NCName or
// NCName:NCName) at b[p:lim] and returns its end and the offset of its colon
// within it, -1 when it has none. A name cannot end a token, so reaching lim
// is a run-off.
func (r *Reader) name(p, lim int, what string) (int, int, *errors.Error) {
	b := r.buf
	if end, colon, ok := asciiQName(b, p, lim); ok {
		return end, colon, nil
	}
	start, part := p, p
	colon := -1
	for p < lim {
		c := b[p]
		if c < utf8.RuneSelf {
			cl := charClass[c]
			if cl&cNameStart != 0 || (p > part && cl&cName != 0) {
				p++
				continue
			}
			if c != ':' {
				break
			}
			if colon >= 0 || p == part {
				return p, -1, r.errAt(start, "%s %s is not a valid qualified name (a colon may only separate a prefix from a local name)",
					what, snippet(b[start:nameEnd(b, p, lim)]))
			}
			colon = p - start
			p++
			part = p
			continue
		}
		rn, size := utf8.DecodeRune(b[p:lim])
		if rn == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(b[p:lim]) {
				return p, -1, r.runOff(lim, "a tag")
			}
			return p, -1, r.errAt(p, "invalid UTF-8 in %s", what)
		}
		if p == part && !isNameStartRune(rn) || p > part && !isNameRune(rn) {
			break
		}
		if r.asciiOnly {
			return p, -1, r.errAt(p, "non-ASCII character in %s, but the document declares encoding US-ASCII", what)
		}
		p += size
	}
	if p >= lim {
		return p, -1, r.runOff(p, "a tag")
	}
	if p == part {
		if p == start {
			return p, -1, r.errAt(p, "expected %s, found %s", what, describeByte(b[p:lim]))
		}
		return p, -1, r.errAt(start, "%s %s ends with a colon", what, snippet(b[start:p]))
	}
	return p, colon, nil
}

// asciiQName is the fast path of name: an ASCII QName with at most one
// colon, followed by an ASCII byte that cannot continue it. It reports
// false for anything else, which name then reads the long way.
func asciiQName(b []byte, p, lim int) (int, int, bool) {
	q := p
	if q >= lim || charClass[b[q]]&cNameStart == 0 {
		return 0, 0, false
	}
	q++
	for q < lim && charClass[b[q]]&cName != 0 {
		q++
	}
	colon := -1
	if q < lim && b[q] == ':' {
		colon = q - p
		q++
		if q >= lim || charClass[b[q]]&cNameStart == 0 {
			return 0, 0, false
		}
		q++
		for q < lim && charClass[b[q]]&cName != 0 {
			q++
		}
	}
	if q >= lim || b[q] >= utf8.RuneSelf || b[q] == ':' {
		return 0, 0, false
	}
	return q, colon, true
}

// attrValue reads an attribute value from b[p:], just after its opening
// quote, up to the matching quote. It returns the position after the
// closing quote and the normalized value: the window's bytes when nothing
// needs rewriting, otherwise a copy in r.scratch with references expanded
// and literal tab, CR, LF and CR LF each turned into one space.
func (r *Reader) attrValue(p, lim int) (int, []byte, *errors.Error) {
	b := r.buf
	q := b[p-1]
	start := p
	for p < lim && charClass[b[p]]&cAttrStop == 0 {
		p++
	}
	if p < lim && b[p] == q {
		return p + 1, b[start:p:p], nil
	}
	out := r.scratch
	mark := len(out)
	run := start
	copied := false
	for {
		for p < lim && charClass[b[p]]&cAttrStop == 0 {
			p++
		}
		if p >= lim {
			return p, nil, r.runOff(p, "a start tag")
		}
		c := b[p]
		switch {
		case c == q:
			if !copied {
				return p + 1, b[start:p:p], nil
			}
			out = append(out, b[run:p]...)
			r.scratch = out
			return p + 1, out[mark:len(out):len(out)], nil
		case c == '"' || c == '\'':
			p++
		case c == '<':
			return p, nil, r.errAt(p, "'<' is not allowed in an attribute value; write it as &lt;")
		case c == '&':
			out = append(out, b[run:p]...)
			var err *errors.Error
			if out, p, err = r.appendRef(out, b[:lim], p, 0, true); err != nil {
				return p, nil, err
			}
			run, copied = p, true
		case c == '\t' || c == '\n' || c == '\r':
			out = append(out, b[run:p]...)
			out = append(out, ' ')
			p++
			if c == '\r' && p < lim && b[p] == '\n' {
				p++
			}
			run, copied = p, true
		case c >= utf8.RuneSelf:
			n, err := r.checkRune(b[p:lim], p, lim, "an attribute value")
			if err != nil {
				return p, nil, err
			}
			p += n
		default:
			return p, nil, r.errAt(p, "character U+%04X is not allowed in XML", c)
		}
	}
}
