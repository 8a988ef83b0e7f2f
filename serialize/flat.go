package serialize

import (
	"encoding/xml"
	"unsafe"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

// A flat struct is one whose content is only leaf elements (leaf.go) and
// whose attributes are plain values without a namespace: most records in a
// SOAP body (line items, addresses). Such a struct is written entirely as
// pre-serialized markup into the leaf batch, start tag and attributes
// included. Its prefix comes from the parent's leafScope; when its
// namespace is not bound there it declares it as its own default namespace,
// as Writer.StartElement would. Anything the batch cannot express (a value
// needing the writer's checks, such as a character XML cannot carry, or an xsi:nil
// element) abandons the batch for this struct and falls back to the general
// path, which has written nothing yet.

// isFlat decides at compile time whether a struct plan qualifies.
func (sp *structPlan) isFlat() bool {
	if sp.anyAttr != nil || sp.charData != nil || sp.comment != nil || sp.innerXML != nil {
		return false
	}
	for _, f := range sp.content {
		if !f.leaf {
			return false
		}
	}
	for _, f := range sp.attrs {
		c := f.codec
		for c.aenc == kPtr && c.elem != nil { // see leafCodec
			c = c.elem
		}
		if f.ns != "" || !xmlio.IsNCName(f.name) || !isFlatAttrKind(c.aenc) {
			return false
		}
	}
	return true
}

func isFlatAttrKind(k kind) bool {
	switch k {
	case kString, kBool, kInt, kUint, kFloat, kBytes, kTime, kOwnText, kTextAppender, kTextMarshaler:
		return true
	}
	return false
}

// flatStruct appends the struct at p to the batch; ok is false when it
// cannot, and then nothing was written.
func (e *encoder) flatStruct(c *codec, p unsafe.Pointer, name xml.Name, ns string, scope *leafScope) (ok bool, err error) {
	sp := c.st
	if !xmlio.IsNCName(name.Local) {
		return false, nil // the writer checks (and reports) other names
	}
	mark := len(e.batch)
	prefix, bound := scope.lookup(e.w, ns)
	b := append(e.batch, '<')
	if bound && prefix != "" {
		b = append(b, prefix...)
		b = append(b, ':')
	}
	b = append(b, name.Local...)
	if !bound {
		b = append(b, ` xmlns="`...)
		if b, ok = xmlio.AppendEscapedAttr(b, ns); !ok {
			e.batch = b[:mark]
			return false, nil
		}
		b = append(b, '"')
	}
	for _, f := range sp.attrs {
		fp := f.addr(p, false)
		if fp == nil {
			continue
		}
		if b, ok, err = e.flatAttr(b, f, fp); !ok || err != nil {
			e.batch = b[:mark]
			if err != nil {
				err = at(err, "@"+f.name)
			}
			return ok, err
		}
	}
	b = append(b, '>')
	for _, f := range sp.content {
		fp := f.addr(p, false)
		if fp == nil || f.omitEmpty && isEmpty(f.typ, fp) {
			continue
		}
		cns := f.ns
		if cns == "" {
			cns = ns
		}
		cprefix, cbound := prefix, true
		switch {
		case sameString(cns, ns):
			if !bound {
				cprefix = "" // the default namespace declared above
			}
		default:
			cprefix, cbound = scope.lookup(e.w, cns)
			if cbound && cprefix == "" && !bound {
				cbound = false // the default namespace was redeclared above
			}
			if !cbound && f.ns == "" {
				e.batch = b[:mark]
				return false, nil
			}
		}
		if b, ok, err = e.flatLeaf(b, f, fp, cprefix, cbound); !ok || err != nil {
			e.batch = b[:mark]
			return ok, err
		}
	}
	b = append(b, "</"...)
	if bound && prefix != "" {
		b = append(b, prefix...)
		b = append(b, ':')
	}
	b = append(b, name.Local...)
	e.batch = append(b, '>')
	return true, nil
}

// flatAttr appends one attribute.
func (e *encoder) flatAttr(b []byte, f *field, p unsafe.Pointer) ([]byte, bool, error) {
	if f.omitEmpty && isEmpty(f.typ, p) {
		return b, true, nil
	}
	c := f.codec
	for c.aenc == kPtr {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return b, true, nil
		}
		c, p = c.elem, q
	}
	mark := len(b)
	b = append(b, ' ')
	b = append(b, f.name...)
	b = append(b, '=', '"')
	var ok bool
	if c.aenc == kString {
		b, ok = xmlio.AppendEscapedAttr(b, *(*string)(p))
	} else {
		vmark := len(b)
		out, err := e.appendValue(c, c.aenc, p, b)
		if err != nil {
			return b[:mark], false, err
		}
		v := string(out[vmark:])
		b, ok = xmlio.AppendEscapedAttr(out[:vmark], v)
	}
	if !ok {
		return b[:mark], false, nil
	}
	return append(b, '"'), true, nil
}

// flatLeaf appends one leaf field (each item of a repeated one).
func (e *encoder) flatLeaf(b []byte, f *field, p unsafe.Pointer, prefix string, bound bool) ([]byte, bool, error) {
	c := f.codec
	if !f.repeated {
		b, ok, err := e.flatLeafValue(b, c, p, f, prefix, bound)
		if err != nil {
			err = at(err, f.name)
		}
		return b, ok, err
	}
	h := (*sliceHeader)(p)
	size := c.elem.typ.Size()
	ok := true
	var err error
	for i := 0; i < h.len && ok && err == nil; i++ {
		ip := unsafe.Add(h.data, uintptr(i)*size)
		if f.omitEmpty && isEmpty(c.elem.typ, ip) {
			continue
		}
		if b, ok, err = e.flatLeafValue(b, c.elem, ip, f, prefix, bound); err != nil {
			err = atItem(err, f.name, i+1)
		}
	}
	return b, ok, err
}

func (e *encoder) flatLeafValue(b []byte, c *codec, p unsafe.Pointer, f *field, prefix string, bound bool) ([]byte, bool, error) {
	for c.enc == kPtr {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return b, !f.nillable, nil // xsi:nil takes the general path
		}
		c, p = c.elem, q
	}
	mark := len(b)
	b = e.appendOpen(b, f, prefix, bound)
	b, ok, err := e.appendLeafText(b, c, p)
	if !ok || err != nil {
		return b[:mark], ok, err
	}
	return e.appendEnd(b, f, prefix, bound), true, nil
}
