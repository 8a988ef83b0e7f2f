package serialize

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/xml"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// xsiNS is the XML Schema instance namespace of xsi:nil and xsi:type.
const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// encoder is the state of one MarshalElement call; encoders are pooled so
// their scratch buffers are reused.
type encoder struct {
	w       *xmlio.Writer
	opts    *Options
	reg     *Registry
	scratch []byte
	parents []string    // open a>b parent elements
	ns      []nsBinding // namespace scope while writing an *etree.Element
	qnames  int         // prefixes declared for QName values

	// defNS is the namespace an element whose name has none is written in:
	// that of its nearest ancestor with one. encoding/xml declares each
	// element's namespace as the default namespace and never undeclares
	// it, so in its output such elements inherit the parent's namespace;
	// generated code (gowsdl) relies on that for elementFormDefault
	// "qualified" schemas. parentSpace is the parent's explicit namespace.
	defNS, parentSpace string

	// scope is the leafScope of the content level being written, for a
	// flat struct child to find its prefix; nil when not known.
	scope  *leafScope
	scopes []*leafScope // reused leafScopes, one per nesting level
	depth  int
	nest   int // calls of element in progress, bounded by maxNesting
	mbuf   bytes.Buffer
	batch  []byte // leaf markup not yet handed to the writer (leaf.go)
}

var encoderPool = sync.Pool{New: func() any { return new(encoder) }}

func getEncoder(w *xmlio.Writer, opts *Options) *encoder {
	e := encoderPool.Get().(*encoder)
	e.w, e.opts = w, opts.orDefault()
	e.reg = e.opts.registry()
	e.qnames = 0
	e.defNS, e.parentSpace = "", ""
	e.scope, e.depth, e.nest = nil, 0, 0
	return e
}

func putEncoder(e *encoder) {
	e.w, e.opts, e.reg = nil, nil, nil
	e.parents = e.parents[:0]
	e.ns = e.ns[:0]
	e.batch = e.batch[:0]
	if cap(e.scratch) > 64<<10 {
		e.scratch = nil
	}
	if e.mbuf.Cap() > 64<<10 {
		e.mbuf = bytes.Buffer{}
	}
	encoderPool.Put(e)
}

// sliceHeader is the layout of a Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// maxNesting bounds the recursion of the encoder and the decoder. A value
// nested deeper than this many levels (each pointer, slice, interface and
// struct on the way is one) is most likely a cyclic pointer graph, which
// would otherwise recurse until the process dies of a stack overflow; a
// document nested deeper than this many elements is refused even when the
// reader's MaxDepth allows it, for the same reason.
const maxNesting = 2048

// element writes the value of type c at p as an element named name. A nil
// pointer or interface writes nothing, or xsi:nil for a nillable field; a
// slice writes one element per item. Unless forced, a struct's XMLName (tag,
// then value) takes precedence over name, as in encoding/xml.
func (e *encoder) element(c *codec, p unsafe.Pointer, name xml.Name, forced bool, f *field) error {
	if e.nest >= maxNesting {
		return errors.Errorf(errors.InvalidArgument,
			"value nesting exceeds %d levels; is the value cyclic? (a pointer graph with a cycle cannot be written as XML)", maxNesting)
	}
	e.nest++
	err := e.element1(c, p, name, forced, f)
	e.nest--
	return err
}

func (e *encoder) element1(c *codec, p unsafe.Pointer, name xml.Name, forced bool, f *field) error {
	switch c.enc {
	case kPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			if f != nil && f.nillable {
				return e.nilElement(name)
			}
			return nil
		}
		return e.element(c.elem, q, name, forced, f)
	case kSlice:
		return e.items(c, p, name, forced, f)
	case kInterface:
		return e.iface(c, p, name, forced, f)
	case kEtree:
		return e.etreeOrNil(*(**etree.Element)(p), name, f)
	case kStruct:
		return e.structElement(c, p, name, forced, xml.Name{})
	case kMarshaler:
		return e.marshaler(c, p, e.simpleName(c, name))
	}
	return e.simpleElement(c, p, name, xml.Name{})
}

// items writes each item of the slice at p.
func (e *encoder) items(c *codec, p unsafe.Pointer, name xml.Name, forced bool, f *field) error {
	h := (*sliceHeader)(p)
	size := c.elem.typ.Size()
	for i := 0; i < h.len; i++ {
		ip := unsafe.Add(h.data, uintptr(i)*size)
		if f != nil && f.omitEmpty && isEmpty(c.elem.typ, ip) {
			continue // encoding/xml applies omitempty to each item
		}
		if err := e.element(c.elem, ip, name, forced, f); err != nil {
			return atItem(err, name.Local, i+1)
		}
	}
	return nil
}

// simpleName is the element name of a value that is not a struct: the given
// name, else the Go type's name.
func (e *encoder) simpleName(c *codec, name xml.Name) xml.Name {
	if name.Local == "" {
		name.Local = typeName(c.typ)
	}
	return name
}

// typeName is encoding/xml's fallback element name: the Go type name
// without type arguments.
func typeName(t reflect.Type) string {
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	return n
}

// simpleElement writes an element with text content.
func (e *encoder) simpleElement(c *codec, p unsafe.Pointer, name xml.Name, xsiType xml.Name) error {
	if c.enc == kUnsupported {
		return unsupported(c.typ)
	}
	name = e.simpleName(c, name)
	if name.Local == "" {
		return errors.Errorf(errors.InvalidArgument, "cannot marshal a value of unnamed type %s without an element name", c.typ)
	}
	e.flushLeaves()
	ns := e.elementNS(name)
	noNS := c.enc == kQName && (*QName)(p).Space == "" && (*QName)(p).Local != ""
	e.startElement(name.Local, ns, noNS || xsiType.Local != "" && xsiType.Space == "")
	if xsiType.Local != "" {
		if err := e.writeXsiType(xsiType); err != nil {
			return err
		}
	}
	err := e.text(c, p)
	e.w.EndElement()
	if err == nil {
		// The writer's errors (text XML cannot carry, a bad name) are
		// sticky; returning them here gives them this element's path.
		err = e.w.Err()
	}
	return err
}

func unsupported(t reflect.Type) error {
	return errors.Errorf(errors.InvalidArgument,
		"Go type %s has no XML mapping (maps, channels, functions, complex numbers and arrays other than text types are not supported)", t)
}

// structName applies encoding/xml's precedence for a struct's element name.
func (e *encoder) structName(c *codec, p unsafe.Pointer, name xml.Name, forced bool) xml.Name {
	if forced {
		return name
	}
	if c.hasName {
		return c.name
	}
	if xf := c.st.xmlName; xf != nil && xf.typ == xmlNameType {
		if q := xf.addr(p, false); q != nil {
			if v := *(*xml.Name)(q); v.Local != "" {
				return v
			}
		}
	}
	if name.Local != "" {
		return name
	}
	return xml.Name{Local: typeName(c.typ)}
}

// structElement writes a struct: attributes, then content fields in
// declaration order, opening and closing a>b parent elements as needed.
func (e *encoder) structElement(c *codec, p unsafe.Pointer, name xml.Name, forced bool, xsiType xml.Name) error {
	sp := c.st
	name = e.structName(c, p, name, forced)
	if name.Local == "" {
		return errors.Errorf(errors.InvalidArgument, "cannot marshal a value of unnamed type %s without an element name", c.typ)
	}
	ns := e.elementNS(name)
	if name.Space == "" && sp.xmlName != nil && !c.hasName && e.parentSpace != "" {
		// encoding/xml writes xmlns="" here: a struct whose XMLName
		// names no element is put in no namespace.
		ns = ""
	}
	if sp.flat && xsiType.Local == "" {
		scope := e.scope
		if scope == nil {
			scope = e.pushScope()
			e.depth--
		}
		if ok, err := e.flatStruct(c, p, name, ns, scope); ok || err != nil {
			return err
		}
	}
	e.flushLeaves()
	savedNS, savedParent, savedScope := e.defNS, e.parentSpace, e.scope
	e.defNS, e.parentSpace = ns, name.Space
	scope := e.pushScope()
	defer func() {
		e.defNS, e.parentSpace, e.scope = savedNS, savedParent, savedScope
		e.depth--
	}()
	w := e.w
	e.startElement(name.Local, ns, xsiType.Local != "" && xsiType.Space == "" || sp.qnameAttrs && noNSQNameAttr(sp, p))
	if xsiType.Local != "" {
		if err := e.writeXsiType(xsiType); err != nil {
			return err
		}
	}
	if err := w.Err(); err != nil {
		return err
	}
	for _, f := range sp.attrs {
		if fp := f.addr(p, false); fp != nil {
			err := e.attr(f.codec, fp, f)
			if err == nil {
				err = w.Err()
			}
			if err != nil {
				return at(err, "@"+f.name)
			}
		}
	}
	if f := sp.anyAttr; f != nil {
		if fp := f.addr(p, false); fp != nil {
			e.anyAttrs(f, fp)
			if err := w.Err(); err != nil {
				return at(err, "@"+f.goName)
			}
		}
	}
	base := len(e.parents)
	for _, f := range sp.content {
		fp := f.addr(p, false)
		if fp == nil {
			continue
		}
		if f.leaf {
			if len(e.parents) > base {
				e.flushLeaves()
				e.trimParents(base, nil)
			}
			if f.omitEmpty && isEmpty(f.typ, fp) {
				continue
			}
			if err := e.leafField(f, fp, scope); err != nil {
				return err
			}
			continue
		}
		e.flushLeaves()
		switch f.mode {
		case modeElement, modeAny:
			e.trimParents(base, f.parents)
			if len(f.parents) > len(e.parents)-base && !isNilRef(f.codec, fp) {
				e.pushParents(base, f.parents)
			}
			if f.omitEmpty && isEmpty(f.typ, fp) {
				continue
			}
			e.scope = nil
			if len(e.parents) == base {
				e.scope = scope
			}
			if err := e.element(f.codec, fp, xml.Name{Space: f.ns, Local: f.name}, false, f); err != nil {
				if f.repeated {
					return err // items named the element with its index
				}
				return at(err, f.name)
			}
		case modeCharData, modeCData:
			e.trimParents(base, nil)
			if err := e.charData(f, fp); err != nil {
				return err
			}
			if err := w.Err(); err != nil {
				return err
			}
		case modeComment:
			e.trimParents(base, nil)
			if s, ok := rawText(f.typ, fp); ok {
				if len(s) > 0 {
					w.Comment(s)
					if err := w.Err(); err != nil {
						return err
					}
				}
			} else {
				return errors.Errorf(errors.InvalidArgument, "comment field %s.%s must be a string or []byte", sp.typ, f.goName)
			}
		case modeInnerXML:
			e.trimParents(base, nil)
			if s, ok := rawText(f.typ, fp); ok {
				if len(s) > 0 {
					w.Raw(unsafe.Slice(unsafe.StringData(s), len(s)))
				}
			} else {
				return errors.Errorf(errors.InvalidArgument, "innerxml field %s.%s must be a string or []byte", sp.typ, f.goName)
			}
		}
	}
	e.flushLeaves()
	e.trimParents(base, nil)
	w.EndElement()
	return w.Err()
}

// rawText returns the text of a string or []byte field.
func rawText(t reflect.Type, p unsafe.Pointer) (string, bool) {
	switch {
	case t.Kind() == reflect.String:
		return *(*string)(p), true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		b := *(*[]byte)(p)
		return unsafe.String(unsafe.SliceData(b), len(b)), true
	}
	return "", false
}

// trimParents closes open parent elements that are not a prefix of parents.
func (e *encoder) trimParents(base int, parents []string) {
	open := e.parents[base:]
	keep := 0
	for keep < len(open) && keep < len(parents) && open[keep] == parents[keep] {
		keep++
	}
	for len(e.parents) > base+keep {
		e.w.EndElement()
		e.parents = e.parents[:len(e.parents)-1]
	}
}

// pushParents opens the parent elements in parents not open yet. Parent
// elements have no namespace, as in encoding/xml.
func (e *encoder) pushParents(base int, parents []string) {
	for _, p := range parents[len(e.parents)-base:] {
		e.w.StartElement("", p, e.defNS)
		e.parents = append(e.parents, p)
	}
}

// isNilRef reports a nil pointer or interface, for which encoding/xml does
// not open parent elements.
func isNilRef(c *codec, p unsafe.Pointer) bool {
	switch c.enc {
	case kPtr, kEtree:
		return *(*unsafe.Pointer)(p) == nil
	case kInterface:
		return reflect.NewAt(c.typ, p).Elem().IsNil()
	}
	return false
}

// isEmpty is encoding/xml's isEmptyValue, for omitempty: zero numbers,
// false, empty strings, slices and maps, nil pointers and interfaces.
// Structs are never empty.
func isEmpty(t reflect.Type, p unsafe.Pointer) bool {
	switch t.Kind() {
	case reflect.String:
		return len(*(*string)(p)) == 0
	case reflect.Pointer:
		return *(*unsafe.Pointer)(p) == nil
	case reflect.Slice:
		return (*sliceHeader)(p).len == 0
	case reflect.Struct:
		// Structs are never empty in encoding/xml; a zero QName, which has
		// no valid lexical form, is treated as empty.
		return t == qnameType && *(*QName)(p) == QName{}
	}
	v := reflect.NewAt(t, p).Elem()
	switch v.Kind() {
	case reflect.Array, reflect.Map:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface:
		return v.IsNil()
	}
	return false
}

// iface writes the dynamic value of an interface field, with xsi:type when
// its type is registered.
func (e *encoder) iface(c *codec, p unsafe.Pointer, name xml.Name, forced bool, f *field) error {
	v := reflect.NewAt(c.typ, p).Elem()
	if v.IsNil() {
		if f != nil && f.nillable {
			return e.nilElement(name)
		}
		return nil
	}
	dyn := v.Elem()
	dt := dyn.Type()
	if dt == etreeType {
		return e.etreeOrNil(dyn.Interface().(*etree.Element), name, f)
	}
	var dp unsafe.Pointer
	bt := dt
	if dt.Kind() == reflect.Pointer {
		dp = dyn.UnsafePointer()
		if dp == nil {
			if f != nil && f.nillable {
				return e.nilElement(name)
			}
			return nil
		}
		bt = dt.Elem()
	} else {
		cp := reflect.New(dt)
		cp.Elem().Set(dyn)
		dp = cp.UnsafePointer()
	}
	dc, err := codecFor(bt)
	if err != nil {
		return err
	}
	xsiType, _ := e.reg.typeNameOf(bt)
	if f != nil && f.mode == modeAny && !forced {
		if en, ok := e.reg.elementNameOf(bt); ok {
			name = en
		}
	}
	switch dc.enc {
	case kStruct:
		return e.structElement(dc, dp, name, forced, xsiType)
	case kPtr, kSlice, kInterface, kEtree, kMarshaler:
		return e.element(dc, dp, name, forced, f)
	}
	return e.simpleElement(dc, dp, name, xsiType)
}

// pushScope returns a cleared leafScope for the next nesting level; the
// caller decrements e.depth when done.
func (e *encoder) pushScope() *leafScope {
	if e.depth == len(e.scopes) {
		e.scopes = append(e.scopes, new(leafScope))
	}
	s := e.scopes[e.depth]
	*s = leafScope{}
	e.depth++
	return s
}

// fieldName is the element name of a field.
func fieldName(f *field) xml.Name { return xml.Name{Space: f.ns, Local: f.name} }

// elementNS is the namespace an element named name is written in.
func (e *encoder) elementNS(name xml.Name) string {
	if name.Space != "" {
		return name.Space
	}
	return e.defNS
}

// startElement opens an element. When it will carry an unprefixed QName
// meaning a name in no namespace (xsi:type or a QName value) and a default
// namespace would be in scope on it, the element gets a prefix and undeclares
// the default namespace (xmlns=""), so that the QName reads back as written.
func (e *encoder) startElement(local, ns string, noNSQName bool) {
	if !noNSQName || ns == "" {
		// An element in no namespace already undeclares the default one.
		e.w.StartElement("", local, ns)
		return
	}
	prefix, ok := e.w.PrefixFor(ns)
	if !ok || prefix == "" {
		e.qnames++
		prefix = "q" + strconv.Itoa(e.qnames)
	}
	e.w.StartElement(prefix, local, ns)
	e.w.DeclareNamespace("", "")
}

// noNSQNameAttr reports whether a QName attribute of the struct at p holds a
// name in no namespace.
func noNSQNameAttr(sp *structPlan, p unsafe.Pointer) bool {
	for _, f := range sp.attrs {
		c := f.codec
		fp := f.addr(p, false)
		for fp != nil && c.aenc == kPtr {
			fp, c = *(*unsafe.Pointer)(fp), c.elem
		}
		if fp != nil && c.aenc == kQName && (*QName)(fp).Space == "" && (*QName)(fp).Local != "" {
			return true
		}
	}
	return false
}

// etreeOrNil writes an *etree.Element field or interface value: verbatim,
// or for nil nothing, or xsi:nil when the field is nillable.
func (e *encoder) etreeOrNil(el *etree.Element, name xml.Name, f *field) error {
	if el == nil {
		if f != nil && f.nillable {
			return e.nilElement(name)
		}
		return nil
	}
	return e.etree(el)
}

// nilElement writes <name xsi:nil="true"/>.
func (e *encoder) nilElement(name xml.Name) error {
	e.flushLeaves()
	e.w.StartElement("", name.Local, e.elementNS(name))
	e.w.Attr("xsi", "nil", xsiNS, "true")
	e.w.EndElement()
	return e.w.Err()
}

// writeXsiType adds xsi:type="p:Local" to the open start tag.
func (e *encoder) writeXsiType(t xml.Name) error {
	b, err := e.appendQName(e.scratch[:0], QName(t))
	e.scratch = b[:0]
	if err != nil {
		return errors.Errorf(errors.InvalidArgument, "xsi:type: %w", err)
	}
	e.w.AttrBytes("xsi", "type", xsiNS, b)
	return nil
}

// text writes the value at p as character data.
func (e *encoder) text(c *codec, p unsafe.Pointer) error {
	w := e.w
	switch c.enc {
	case kString:
		w.Text(*(*string)(p))
		return nil
	case kInt:
		w.Int(loadInt(p, c.bits))
		return nil
	case kUint:
		w.Uint(loadUint(p, c.bits))
		return nil
	case kBytes:
		w.Base64(*(*[]byte)(p))
		return nil
	case kBool, kFloat, kTime, kOwnText:
		// Lexical forms that never need escaping go straight into the
		// writer's buffer.
		b, err := e.appendValue(c, c.enc, p, w.AppendText())
		if err != nil {
			return err
		}
		w.CommitText(b)
		return nil
	}
	b, err := e.appendValue(c, c.enc, p, e.scratch[:0])
	if err != nil {
		return err
	}
	e.scratch = b[:0]
	w.TextBytes(b)
	return nil
}

// appendValue appends the lexical form of the simple value at p to dst.
func (e *encoder) appendValue(c *codec, k kind, p unsafe.Pointer, dst []byte) ([]byte, error) {
	switch k {
	case kString:
		return append(dst, *(*string)(p)...), nil
	case kBool:
		return strconv.AppendBool(dst, *(*bool)(p)), nil
	case kInt:
		return strconv.AppendInt(dst, loadInt(p, c.bits), 10), nil
	case kUint:
		return strconv.AppendUint(dst, loadUint(p, c.bits), 10), nil
	case kFloat:
		if c.bits == 32 {
			return appendFloat(dst, float64(*(*float32)(p)), 32), nil
		}
		return appendFloat(dst, *(*float64)(p), 64), nil
	case kBytes:
		return base64.StdEncoding.AppendEncode(dst, *(*[]byte)(p)), nil
	case kTime:
		return appendDateTime(dst, *(*time.Time)(p)), nil
	case kQName:
		return e.appendQName(dst, *(*QName)(p))
	case kOwnText, kTextAppender:
		if c.own != nil {
			b, err := c.own.append(p, dst)
			if err != nil {
				return dst, errors.Errorf(errors.InvalidArgument, "%s.AppendText: %w", c.typ, err)
			}
			return b, nil
		}
		b, err := reflect.NewAt(c.typ, p).Interface().(encoding.TextAppender).AppendText(dst)
		if err != nil {
			return dst, errors.Errorf(errors.InvalidArgument, "%s.AppendText: %w", c.typ, err)
		}
		return b, nil
	case kTextMarshaler:
		b, err := reflect.NewAt(c.typ, p).Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return dst, errors.Errorf(errors.InvalidArgument, "%s.MarshalText: %w", c.typ, err)
		}
		return append(dst, b...), nil
	}
	return dst, unsupported(c.typ)
}

// charData writes a chardata or cdata field: its text as is ([]byte is
// text here, not base64), or the lexical form of other simple types.
func (e *encoder) charData(f *field, p unsafe.Pointer) error {
	var s string
	if raw, ok := rawText(f.typ, p); ok && f.codec.enc != kTextMarshaler && f.codec.enc != kTextAppender {
		s = raw
	} else {
		c := f.codec
		for c.enc == kPtr {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return nil
			}
			c, p = c.elem, q
		}
		b, err := e.appendValue(c, c.enc, p, e.scratch[:0])
		if err != nil {
			return err
		}
		e.scratch = b[:0]
		s = unsafe.String(unsafe.SliceData(b), len(b))
	}
	if len(s) == 0 {
		return nil
	}
	if f.mode == modeCData {
		e.w.CData(s)
	} else {
		e.w.Text(s)
	}
	return nil
}

// attr writes an attribute field.
func (e *encoder) attr(c *codec, p unsafe.Pointer, f *field) error {
	if f.omitEmpty && c == f.codec && isEmpty(f.typ, p) {
		return nil
	}
	w := e.w
	switch c.aenc {
	case kPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			return nil
		}
		return e.attr(c.elem, q, f)
	case kInterface:
		v := reflect.NewAt(c.typ, p).Elem()
		if v.IsNil() {
			return nil
		}
		cp := reflect.New(v.Elem().Type())
		cp.Elem().Set(v.Elem())
		dc, err := codecFor(cp.Elem().Type())
		if err != nil {
			return err
		}
		return e.attr(dc, cp.UnsafePointer(), f)
	case kString:
		w.Attr("", f.name, f.ns, *(*string)(p))
		return nil
	case kMarshaler:
		a, err := reflect.NewAt(c.typ, p).Interface().(xml.MarshalerAttr).MarshalXMLAttr(xml.Name{Space: f.ns, Local: f.name})
		if err != nil {
			return errors.Errorf(errors.InvalidArgument, "%s.MarshalXMLAttr: %w", c.typ, err)
		}
		if a.Name.Local != "" {
			w.Attr("", a.Name.Local, a.Name.Space, a.Value)
		}
		return nil
	case kXMLAttr:
		if a := *(*xml.Attr)(p); a.Name.Local != "" {
			w.Attr("", a.Name.Local, a.Name.Space, a.Value)
		}
		return nil
	case kUnsupported:
		return unsupported(c.typ)
	}
	b, err := e.appendValue(c, c.aenc, p, e.scratch[:0])
	if err != nil {
		return err
	}
	e.scratch = b[:0]
	w.AttrBytes("", f.name, f.ns, b)
	return nil
}

// anyAttrs writes an ",any,attr" field.
func (e *encoder) anyAttrs(f *field, p unsafe.Pointer) {
	if f.typ == xmlAttrType {
		e.oneAnyAttr(*(*xml.Attr)(p))
		return
	}
	for _, a := range *(*[]xml.Attr)(p) {
		e.oneAnyAttr(a)
	}
}

func (e *encoder) oneAnyAttr(a xml.Attr) {
	switch {
	case a.Name.Local == "":
	case a.Name.Space == "xmlns":
		e.w.DeclareNamespace(a.Name.Local, a.Value)
	case a.Name.Space == "" && a.Name.Local == "xmlns":
		if a.Value != "" {
			e.w.DeclareNamespace("", a.Value)
		}
	default:
		e.w.Attr("", a.Name.Local, a.Name.Space, a.Value)
	}
}

func loadInt(p unsafe.Pointer, bits int) int64 {
	switch bits {
	case 8:
		return int64(*(*int8)(p))
	case 16:
		return int64(*(*int16)(p))
	case 32:
		return int64(*(*int32)(p))
	}
	return *(*int64)(p)
}

func loadUint(p unsafe.Pointer, bits int) uint64 {
	switch bits {
	case 8:
		return uint64(*(*uint8)(p))
	case 16:
		return uint64(*(*uint16)(p))
	case 32:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}
