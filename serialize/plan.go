package serialize

import (
	"encoding"
	"encoding/xml"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// A plan is compiled once per Go type and cached: a codec says how a value of
// the type is written and read as element content and as an attribute value;
// a structPlan lists a struct's fields with their precomputed names, offsets
// and codecs. Encoding and decoding then walk these descriptions with unsafe
// pointers, without looking at tags or walking reflect.Type again.

// kind is how a codec handles one direction of one mapping.
type kind uint8

const (
	kUnsupported   kind = iota // no mapping; using it is an error
	kString                    // string kinds
	kBool                      // xsd:boolean
	kInt                       // signed integers (bits in codec.bits)
	kUint                      // unsigned integers
	kFloat                     // xsd:float / xsd:double
	kBytes                     // []byte as xsd:base64Binary
	kTime                      // time.Time as xsd:dateTime
	kQName                     // QName as prefix:local
	kOwnText                   // this package's lexical types (Decimal, Date, ...): AppendText straight into the writer
	kTextAppender              // encoding.TextMarshaler that is also an encoding.TextAppender
	kTextMarshaler             // encoding.TextMarshaler / encoding.TextUnmarshaler
	kMarshaler                 // xml.Marshaler / xml.Unmarshaler (elements), xml.MarshalerAttr / xml.UnmarshalerAttr (attributes)
	kXMLAttr                   // an xml.Attr in an attribute field
	kPtr                       // pointer: nil is absent (or xsi:nil)
	kSlice                     // repeated element
	kStruct                    // complex type
	kInterface                 // dynamic type: xsi:type, choice
	kEtree                     // *etree.Element: any element, verbatim
)

// codec describes one Go type.
type codec struct {
	typ                  reflect.Type
	enc, dec, aenc, adec kind
	bits                 int    // size of int, uint and float kinds
	elem                 *codec // pointer target, slice item
	st                   *structPlan
	name                 xml.Name // element name from the XMLName tag of a struct type
	hasName              bool
	own                  *textFuncs // direct calls for kOwnText types, when known
}

// field is one mapped struct field (embedded structs flattened).
type field struct {
	name, ns  string // local name and namespace ("" = any on read, none on write)
	goName    string
	mode      fieldMode
	offset    uintptr // from the last base (the struct, or the last embedded pointer's target)
	hops      []hop   // embedded pointers crossed to reach the field; nil for most fields
	typ       reflect.Type
	codec     *codec
	parents   []string // a>b>c paths
	omitEmpty bool
	nillable  bool
	repeated  bool // a slice of elements
	required  bool // a missing element is an error on read
	reqBit    int
	depth     int // embedding depth, for shadowing

	leaf            bool   // written by the leaf path (leaf.go)
	openTag, endTag string // <name> and </name>
	openTagNS       string // <name xmlns="ns">, when the field names a namespace
}

// hop is an embedded pointer to a struct on the way to a promoted field.
type hop struct {
	off  uintptr
	elem reflect.Type
}

// structPlan is a struct type's mapping.
type structPlan struct {
	typ      reflect.Type
	xmlName  *field // the XMLName field, if any
	attrs    []*field
	anyAttr  *field
	content  []*field // element, any, chardata, cdata, innerxml and comment fields in declaration order
	root     *node    // child element lookup for decoding
	charData *field   // first chardata or cdata field
	comment  *field
	innerXML *field
	required []*field // indexed by reqBit
	flat     bool     // written as one block of markup (flat.go)

	qnameAttrs bool // an attribute field holds a QName (see encoder.startElement)
}

// node is one level of child elements: the struct itself, or an a>b parent
// element shared by several fields.
type node struct {
	children []child
	any      *field
}

type child struct {
	local, ns string
	f         *field // a field, or
	sub       *node  // a parent element of a>b paths
}

// addr returns the address of f in the struct at base. Crossing a nil
// embedded pointer allocates when alloc is set, and otherwise returns nil.
func (f *field) addr(base unsafe.Pointer, alloc bool) unsafe.Pointer {
	if f.hops == nil {
		return unsafe.Add(base, f.offset)
	}
	return f.addrViaHops(base, alloc)
}

func (f *field) addrViaHops(base unsafe.Pointer, alloc bool) unsafe.Pointer {
	for _, h := range f.hops {
		pp := (*unsafe.Pointer)(unsafe.Add(base, h.off))
		if *pp == nil {
			if !alloc {
				return nil
			}
			*pp = reflect.New(h.elem).UnsafePointer()
		}
		base = *pp
	}
	return unsafe.Add(base, f.offset)
}

var (
	timeType            = reflect.TypeFor[time.Time]()
	qnameType           = reflect.TypeFor[QName]()
	xmlNameType         = reflect.TypeFor[xml.Name]()
	xmlAttrType         = reflect.TypeFor[xml.Attr]()
	etreeType           = reflect.TypeFor[*etree.Element]()
	marshalerType       = reflect.TypeFor[xml.Marshaler]()
	unmarshalerType     = reflect.TypeFor[xml.Unmarshaler]()
	marshalerAttrType   = reflect.TypeFor[xml.MarshalerAttr]()
	unmarshalerAttrType = reflect.TypeFor[xml.UnmarshalerAttr]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	textAppenderType    = reflect.TypeFor[encoding.TextAppender]()
	codecCache          sync.Map // reflect.Type → *codec
	compileMu           sync.Mutex
)

// codecFor returns the cached codec of t, compiling it (and every type it
// reaches) on first use.
func codecFor(t reflect.Type) (*codec, error) {
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec), nil
	}
	compileMu.Lock()
	defer compileMu.Unlock()
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec), nil
	}
	b := builder{pending: make(map[reflect.Type]*codec)}
	c, err := b.build(t)
	if err != nil {
		return nil, err
	}
	for t, c := range b.pending {
		codecCache.Store(t, c)
	}
	return c, nil
}

// builder compiles codecs; pending holds the ones of this compilation, so
// that recursive types refer to themselves.
type builder struct {
	pending map[reflect.Type]*codec
	// general compiles plans without the leaf and flat fast paths and
	// without using the cache, so that tests can compare the fast paths
	// with the general one. Such plans are never cached.
	general bool
}

func (b *builder) lookup(t reflect.Type) *codec {
	if c, ok := b.pending[t]; ok {
		return c
	}
	if b.general {
		return nil
	}
	if c, ok := codecCache.Load(t); ok {
		return c.(*codec)
	}
	return nil
}

func (b *builder) build(t reflect.Type) (*codec, error) {
	if c := b.lookup(t); c != nil {
		return c, nil
	}
	c := &codec{typ: t}
	b.pending[t] = c
	if t == etreeType {
		c.enc, c.dec, c.aenc, c.adec = kEtree, kEtree, kUnsupported, kUnsupported
		return c, nil
	}
	if t.Kind() == reflect.Pointer {
		if endlessPointer(t) {
			// type P *P: no value at the end, and every loop over
			// pointer codecs would never end. It has no mapping.
			return c, nil
		}
		c.enc, c.dec, c.aenc, c.adec = kPtr, kPtr, kPtr, kPtr
		e, err := b.build(t.Elem())
		c.elem = e
		return c, err
	}
	pt := reflect.PointerTo(t)
	// Only the types of ownTextFuncs are known to write text that never
	// needs escaping; other types of this package with text methods (such
	// as AnyURI, whose text may hold '&' or '<') are escaped like any
	// encoding.TextAppender.
	own := ownTextFuncs[t]
	switch {
	case t == timeType:
		c.enc, c.dec, c.aenc, c.adec = kTime, kTime, kTime, kTime
		return c, nil
	case t == qnameType:
		c.enc, c.dec, c.aenc, c.adec = kQName, kQName, kQName, kQName
		return c, nil
	case own != nil:
		c.enc, c.dec, c.aenc, c.adec = kOwnText, kOwnText, kOwnText, kOwnText
		c.own = own
		return c, nil
	}
	base, err := b.kindOf(c)
	if err != nil {
		return nil, err
	}
	text := kUnsupported
	if pt.Implements(textMarshalerType) {
		text = kTextMarshaler
		if pt.Implements(textAppenderType) {
			text = kTextAppender
		}
	}
	untext := kUnsupported
	if pt.Implements(textUnmarshalerType) {
		untext = kTextMarshaler
	}
	c.enc = pick(pt.Implements(marshalerType), kMarshaler, text, base)
	c.dec = pick(pt.Implements(unmarshalerType), kMarshaler, untext, base)
	abase := base
	switch base {
	case kSlice, kStruct:
		abase = kUnsupported
	}
	if t == xmlAttrType {
		abase = kXMLAttr
	}
	c.aenc = pick(pt.Implements(marshalerAttrType), kMarshaler, text, abase)
	adec := abase
	if adec == kInterface {
		adec = kUnsupported
	}
	c.adec = pick(pt.Implements(unmarshalerAttrType), kMarshaler, untext, adec)
	return c, nil
}

// endlessPointer reports whether following Elem from pointer type t only
// ever reaches pointer types (type P *P).
func endlessPointer(t reflect.Type) bool {
	var seen []reflect.Type
	for ; t.Kind() == reflect.Pointer; t = t.Elem() {
		for _, s := range seen {
			if s == t {
				return true
			}
		}
		seen = append(seen, t)
	}
	return false
}

// pick applies encoding/xml's precedence: the XML marshaler interface, then
// the text one, then the kind.
func pick(marshaler bool, m, text, base kind) kind {
	switch {
	case marshaler:
		return m
	case text != kUnsupported:
		return text
	}
	return base
}

// kindOf maps t by its reflect.Kind, compiling slice items and struct plans.
func (b *builder) kindOf(c *codec) (kind, error) {
	t := c.typ
	switch t.Kind() {
	case reflect.String:
		return kString, nil
	case reflect.Bool:
		return kBool, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.bits = t.Bits()
		return kInt, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.bits = t.Bits()
		return kUint, nil
	case reflect.Float32, reflect.Float64:
		c.bits = t.Bits()
		return kFloat, nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return kBytes, nil
		}
		e, err := b.build(t.Elem())
		if err != nil {
			return kUnsupported, err
		}
		c.elem = e
		return kSlice, nil
	case reflect.Interface:
		return kInterface, nil
	case reflect.Struct:
		sp, err := b.structPlan(t)
		if err != nil {
			return kUnsupported, err
		}
		c.st = sp
		if sp.xmlName != nil {
			if xn, ok := typeElementName(t); ok {
				c.name, c.hasName = xn, true
			}
		}
		return kStruct, nil
	}
	return kUnsupported, nil
}

// structPlan compiles the field list of struct type t.
func (b *builder) structPlan(t reflect.Type) (*structPlan, error) {
	sp := &structPlan{typ: t, root: &node{}}
	var fields []*field
	if err := b.collect(t, t, 0, nil, 0, &fields, &sp.xmlName); err != nil {
		return nil, err
	}
	fields, err := resolveConflicts(t, fields)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		switch f.mode {
		case modeAttr:
			sp.attrs = append(sp.attrs, f)
			c := f.codec
			for c.aenc == kPtr && c.elem != nil { // see leafCodec
				c = c.elem
			}
			sp.qnameAttrs = sp.qnameAttrs || c.aenc == kQName
		case modeAnyAttr:
			if sp.anyAttr == nil {
				sp.anyAttr = f
			}
		case modeElement:
			sp.content = append(sp.content, f)
			sp.root.add(f)
			if f.required {
				f.reqBit = len(sp.required)
				sp.required = append(sp.required, f)
			}
		case modeAny:
			sp.content = append(sp.content, f)
			if sp.root.any == nil {
				sp.root.any = f
			}
		case modeCharData, modeCData:
			sp.content = append(sp.content, f)
			if sp.charData == nil {
				sp.charData = f
			}
		case modeComment:
			sp.content = append(sp.content, f)
			if sp.comment == nil {
				sp.comment = f
			}
		case modeInnerXML:
			sp.content = append(sp.content, f)
			if sp.innerXML == nil {
				sp.innerXML = f
			}
		}
	}
	sp.flat = !b.general && sp.isFlat()
	return sp, nil
}

// add files an element field under its parent path.
func (n *node) add(f *field) {
	for _, p := range f.parents {
		var sub *node
		for _, c := range n.children {
			if c.sub != nil && c.local == p {
				sub = c.sub
				break
			}
		}
		if sub == nil {
			sub = &node{}
			n.children = append(n.children, child{local: p, sub: sub})
		}
		n = sub
	}
	n.children = append(n.children, child{local: f.name, ns: f.ns, f: f})
}

// collect appends the mapped fields of struct t (and of the structs it
// embeds) to out. base is the offset of t within the current hop target.
func (b *builder) collect(owner, t reflect.Type, base uintptr, hops []hop, depth int, out *[]*field, xmlName **field) error {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if (!sf.IsExported() && !sf.Anonymous) || sf.Tag.Get("xml") == "-" {
			continue
		}
		if sf.Anonymous {
			ft := sf.Type
			isPtr := ft.Kind() == reflect.Pointer
			if isPtr {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				var err error
				if isPtr {
					h := append(hops[:len(hops):len(hops)], hop{off: base + sf.Offset, elem: ft})
					err = b.collect(owner, ft, 0, h, depth+1, out, xmlName)
				} else {
					err = b.collect(owner, ft, base+sf.Offset, hops, depth+1, out, xmlName)
				}
				if err != nil {
					return err
				}
				continue
			}
			if !sf.IsExported() {
				continue
			}
		}
		tg, err := parseTag(owner, sf)
		if err != nil {
			return err
		}
		f := &field{
			name: tg.name, ns: tg.ns, goName: sf.Name, mode: tg.mode,
			offset: base + sf.Offset, hops: hops, typ: sf.Type,
			parents: tg.parents, omitEmpty: tg.omitEmpty, nillable: tg.nillable, depth: depth,
		}
		if f.mode == modeXMLName {
			if *xmlName == nil || (*xmlName).depth > depth {
				*xmlName = f
			}
			continue
		}
		c, err := b.build(sf.Type)
		if err != nil {
			return err
		}
		f.codec = c
		switch f.mode {
		case modeElement, modeAny:
			f.repeated = c.enc == kSlice
		case modeAnyAttr:
			if sf.Type != xmlAttrType && sf.Type != reflect.TypeFor[[]xml.Attr]() {
				return badTag(owner, sf, "an any,attr field must be xml.Attr or []xml.Attr")
			}
		}
		// Fields reached through an embedded pointer are optional as a
		// group: the pointer may be nil.
		f.required = f.mode == modeElement && !f.omitEmpty && len(hops) == 0 && isRequiredType(c)
		if !b.general && f.mode == modeElement && len(f.parents) == 0 && xmlio.IsNCName(f.name) && leafCodec(c, f.repeated) {
			f.setLeafTags()
		}
		*out = append(*out, f)
	}
	return nil
}

// isRequiredType reports whether an element of this type is always written,
// so that its absence on read means the document lacks a required element.
// Pointers, interfaces and slices may be absent; a custom xml.Marshaler may
// write nothing (gowsdl's soap.XSDDateTime does for the zero time).
func isRequiredType(c *codec) bool {
	switch c.enc {
	case kPtr, kInterface, kSlice, kMarshaler, kEtree, kUnsupported:
		return false
	}
	return c.dec != kMarshaler
}

// resolveConflicts drops fields shadowed by a shallower field of the same
// name (embedded struct promotion) and reports two fields at the same depth
// mapping to the same name, as encoding/xml does.
func resolveConflicts(owner reflect.Type, fields []*field) ([]*field, error) {
	out := fields[:0:0]
	for _, f := range fields {
		if f.mode != modeElement && f.mode != modeAttr {
			out = append(out, f)
			continue
		}
		clash := -1
		for j, g := range out {
			if g.mode == f.mode && g.name == f.name && g.ns == f.ns && samePath(g.parents, f.parents) {
				clash = j
				break
			}
		}
		switch {
		case clash < 0:
			out = append(out, f)
		case out[clash].depth > f.depth:
			// The shallower field wins and, as in encoding/xml, moves to
			// the end of the list.
			out = append(out[:clash], out[clash+1:]...)
			out = append(out, f)
		case out[clash].depth == f.depth:
			return nil, errors.Errorf(errors.InvalidArgument,
				"serialize: type %s: fields %s and %s both map to %s", owner, out[clash].goName, f.goName, clark(f.ns, f.name))
		}
	}
	return out, nil
}

func samePath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// clark formats a name as {ns}local (James Clark's notation), for messages.
func clark(ns, local string) string {
	if ns == "" {
		return local
	}
	return "{" + ns + "}" + local
}
