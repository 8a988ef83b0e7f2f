package serialize

import (
	"encoding/xml"
	"unsafe"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Leaf elements (struct fields holding text: strings, numbers, dates, ...)
// are most of a SOAP body. The engine writes runs of them as pre-serialized
// markup: the start and end tags are precomputed when the plan is compiled
// (the names are checked there), the value is appended next to them, and
// the run is handed to Writer.Raw in one call, skipping the per-element
// name check, namespace resolution and state bookkeeping of
// StartElement/Text/EndElement.
//
// The output is the same the writer would produce. The prefix comes from
// Writer.PrefixFor for the element's namespace at the parent's content
// level; an element whose namespace is not bound there declares it as its
// own default namespace (<Local xmlns="ns">), which is what StartElement
// does too. A leaf never declares anything else: values that may need a
// declaration (QName) and xsi:nil elements take the general path, as do
// text XML cannot carry (so that the writer reports it, naming the
// element) and values longer than leafMaxValue (so that a streaming writer
// can flush them in chunks). Such an element is written entirely by the
// general path, which produces the same bytes.
// Escaping is xmlio's own (AppendEscapedText/AppendEscapedAttr), so both
// paths produce the same bytes.

// leafMaxValue bounds the values written through the batch.
const leafMaxValue = 4 << 10

// isLeafKind reports kinds written as plain text with no declarations.
func isLeafKind(k kind) bool {
	switch k {
	case kString, kBool, kInt, kUint, kFloat, kBytes, kTime, kOwnText, kTextAppender, kTextMarshaler:
		return true
	}
	return false
}

// leafCodec returns whether fields of codec c (items of a repeated field,
// through pointers) qualify for the leaf path.
func leafCodec(c *codec, repeated bool) bool {
	if repeated {
		c = c.elem
	}
	// A pointer codec still being compiled (a recursive type reached
	// through its pointer first) has no elem yet; it points into the
	// recursion, so at a struct or slice, which is not a leaf.
	for c.enc == kPtr && c.elem != nil {
		c = c.elem
	}
	return isLeafKind(c.enc)
}

// setLeafTags precomputes the tags of a leaf field. A namespace XML
// cannot carry leaves the field to the general path, where the writer
// reports it.
func (f *field) setLeafTags() {
	if f.ns != "" {
		b, ok := xmlio.AppendEscapedAttr([]byte("<"+f.name+` xmlns="`), f.ns)
		if !ok {
			return
		}
		f.openTagNS = string(append(b, `">`...))
	}
	f.leaf = true
	f.openTag = "<" + f.name + ">"
	f.endTag = "</" + f.name + ">"
}

// leafScope caches Writer.PrefixFor at one element's content level, where
// the bindings in scope do not change; two entries cover the usual mix of
// a type's own namespace and one other.
type leafScope struct {
	ns     [2]string
	prefix [2]string
	ok     [2]bool
	n      int
}

func (s *leafScope) lookup(w *xmlio.Writer, ns string) (string, bool) {
	for i := range s.n {
		if sameString(s.ns[i], ns) {
			return s.prefix[i], s.ok[i]
		}
	}
	p, ok := w.PrefixFor(ns)
	i := s.n
	if i == len(s.ns) {
		i = 1 // keep the first entry, usually the parent's own namespace
	} else {
		s.n++
	}
	s.ns[i], s.prefix[i], s.ok[i] = ns, p, ok
	return p, ok
}

// sameString is string equality with a shortcut for the usual case of the
// same string header (namespaces come from one plan).
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// flushLeaves hands the batched leaf markup to the writer. It must run
// before any other call to the writer.
func (e *encoder) flushLeaves() {
	if len(e.batch) > 0 {
		e.w.Raw(e.batch)
		e.batch = e.batch[:0]
	}
}

// leafField writes a leaf field (each item of a repeated one).
func (e *encoder) leafField(f *field, p unsafe.Pointer, scope *leafScope) error {
	ns := e.elementNS(fieldName(f))
	prefix, bound := scope.lookup(e.w, ns)
	if !bound && f.ns == "" {
		// An inherited namespace that is not bound: rare, general path.
		e.flushLeaves()
		return e.element(f.codec, p, fieldName(f), false, f)
	}
	c := f.codec
	if !f.repeated {
		if err := e.leafValue(c, p, f, prefix, bound); err != nil {
			return at(err, f.name)
		}
		return nil
	}
	h := (*sliceHeader)(p)
	size := c.elem.typ.Size()
	for i := 0; i < h.len; i++ {
		ip := unsafe.Add(h.data, uintptr(i)*size)
		if f.omitEmpty && isEmpty(c.elem.typ, ip) {
			continue
		}
		if err := e.leafValue(c.elem, ip, f, prefix, bound); err != nil {
			return atItem(err, f.name, i+1)
		}
	}
	return nil
}

// leafValue appends one leaf element to the batch, or writes it through
// the writer when its value needs the writer's care.
func (e *encoder) leafValue(c *codec, p unsafe.Pointer, f *field, prefix string, bound bool) error {
	for c.enc == kPtr {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			if f.nillable {
				e.flushLeaves()
				e.nilElement(fieldName(f))
			}
			return nil
		}
		c, p = c.elem, q
	}
	mark := len(e.batch)
	b := e.appendOpen(e.batch, f, prefix, bound)
	b, ok, err := e.appendLeafText(b, c, p)
	if err != nil {
		e.batch = b[:mark]
		return err
	}
	if !ok {
		// The value needs the writer: write what is batched, then the
		// element through the general path, so that an error names it.
		e.batch = b[:mark]
		e.flushLeaves()
		return e.simpleElement(c, p, fieldName(f), xml.Name{})
	}
	e.batch = e.appendEnd(b, f, prefix, bound)
	return nil
}

func (e *encoder) appendOpen(b []byte, f *field, prefix string, bound bool) []byte {
	switch {
	case !bound:
		return append(b, f.openTagNS...)
	case prefix == "":
		return append(b, f.openTag...)
	}
	b = append(b, '<')
	b = append(b, prefix...)
	b = append(b, ':')
	b = append(b, f.name...)
	return append(b, '>')
}

func (e *encoder) appendEnd(b []byte, f *field, prefix string, bound bool) []byte {
	if !bound || prefix == "" {
		return append(b, f.endTag...)
	}
	b = append(b, "</"...)
	b = append(b, prefix...)
	b = append(b, ':')
	b = append(b, f.name...)
	return append(b, '>')
}

// appendLeafText appends the escaped text of a value to b; ok is false when
// the value must go through the writer instead.
func (e *encoder) appendLeafText(b []byte, c *codec, p unsafe.Pointer) ([]byte, bool, error) {
	switch c.enc {
	case kString:
		s := *(*string)(p)
		if len(s) > leafMaxValue {
			return b, false, nil
		}
		b, ok := xmlio.AppendEscapedText(b, s)
		return b, ok, nil
	case kBytes:
		if len(*(*[]byte)(p)) > leafMaxValue/4*3 {
			return b, false, nil
		}
	case kTextAppender, kTextMarshaler:
		mark := len(b)
		out, err := e.appendValue(c, c.enc, p, b)
		if err != nil {
			return b, false, err
		}
		v := string(out[mark:])
		b, ok := xmlio.AppendEscapedText(out[:mark], v)
		return b, ok, nil
	}
	out, err := e.appendValue(c, c.enc, p, b)
	return out, true, err
}
