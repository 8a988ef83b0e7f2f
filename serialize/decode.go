package serialize

import (
	"encoding"
	"encoding/base64"
	"encoding/xml"
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// decoder is the state of one UnmarshalElement call; decoders are pooled so
// their scratch buffers are reused (the string arena is not: its strings
// belong to the result).
type decoder struct {
	r        *xmlio.Reader
	opts     *Options
	reg      *Registry
	arena    arena
	text     []byte   // chardata being collected, a stack shared by nested structs
	comments []byte   // comments being collected, likewise
	scratch  []byte   // element text
	seen     []uint64 // required-field bitsets, a stack
	nest     int      // structs being read, bounded by maxNesting
	data     []byte   // the whole document when known (Unmarshal), for innerxml
	nsbuf    []xmlio.NSDecl
	sub      *xmlio.Writer // re-serializes subtrees for the xml.Unmarshaler fallback
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

func getDecoder(r *xmlio.Reader, opts *Options, data []byte) *decoder {
	d := decoderPool.Get().(*decoder)
	d.r, d.opts, d.data = r, opts.orDefault(), data
	d.reg = d.opts.registry()
	d.nest = 0
	d.arena.reset(len(data))
	return d
}

func putDecoder(d *decoder) {
	d.r, d.opts, d.reg, d.data = nil, nil, nil, nil
	d.arena = arena{}
	d.text, d.comments, d.seen = d.text[:0], d.comments[:0], d.seen[:0]
	if cap(d.scratch) > 64<<10 {
		d.scratch = nil
	}
	clear(d.nsbuf)
	d.nsbuf = d.nsbuf[:0]
	decoderPool.Put(d)
}

// value reads the element the reader is on into the value of type c at p and
// leaves the reader on the element's end tag. xsi:nil="true" on any element
// sets the value to nil or zero.
func (d *decoder) value(c *codec, p unsafe.Pointer, f *field) error {
	if d.r.AttrCount() > 0 {
		if v, ok := d.r.AttrValue("nil", xsiNS); ok && isTrue(v) {
			return d.setNil(c, p)
		}
	}
	return d.content(c, p, f)
}

func isTrue(v []byte) bool {
	v = trimSpace(v)
	return string(v) == "true" || string(v) == "1"
}

// setNil stores nil (or the zero value) for an element with xsi:nil.
func (d *decoder) setNil(c *codec, p unsafe.Pointer) error {
	switch c.dec {
	case kPtr, kEtree:
		*(*unsafe.Pointer)(p) = nil
	default:
		reflect.NewAt(c.typ, p).Elem().SetZero()
	}
	if err := d.r.Skip(); err != nil {
		return withLine(err, d.r.Line())
	}
	return nil
}

// content is value without the xsi:nil check.
func (d *decoder) content(c *codec, p unsafe.Pointer, f *field) error {
	r := d.r
	switch c.dec {
	case kPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			q = reflect.New(c.elem.typ).UnsafePointer()
			*(*unsafe.Pointer)(p) = q
		}
		return d.content(c.elem, q, f)
	case kStruct:
		if d.nest >= maxNesting {
			return failAt(r.Line(), errors.QuotaExceeded,
				"elements are nested more than %d levels deep, the most the decoder follows whatever the reader's MaxDepth", maxNesting)
		}
		d.nest++
		err := d.structElement(c, p)
		d.nest--
		return err
	case kSlice:
		item, _ := appendItem(c, p)
		return d.value(c.elem, item, f)
	case kInterface:
		return d.iface(c, p, f)
	case kEtree:
		el, err := d.readEtree()
		if err != nil {
			return err
		}
		*(**etree.Element)(p) = el
		return nil
	case kMarshaler:
		return d.unmarshaler(c, p)
	case kUnsupported:
		return withLine(unsupported(c.typ), r.Line())
	}
	b, err := r.ReadElementText(d.scratch[:0])
	if err != nil {
		return withLine(err, r.Line())
	}
	d.scratch = b[:0]
	if err := d.setValue(c, c.dec, p, b); err != nil {
		return withLine(err, r.Line())
	}
	return nil
}

// appendItem appends a zero item to the slice at p and returns its address
// and the new length.
func appendItem(c *codec, p unsafe.Pointer) (unsafe.Pointer, int) {
	sv := reflect.NewAt(c.typ, p).Elem()
	n := sv.Len()
	if n == sv.Cap() {
		sv.Grow(max(n, 4))
	}
	sv.SetLen(n + 1)
	item := sv.Index(n)
	item.SetZero()
	return item.Addr().UnsafePointer(), n + 1
}

// setValue parses the text b into the simple value at p.
func (d *decoder) setValue(c *codec, k kind, p unsafe.Pointer, b []byte) error {
	switch k {
	case kString:
		*(*string)(p) = d.arena.string(b)
	case kBool:
		v, err := parseBool(b)
		if err != nil {
			return err
		}
		*(*bool)(p) = v
	case kInt:
		v, err := parseInt(b, c.bits)
		if err != nil {
			return err
		}
		storeInt(p, c.bits, v)
	case kUint:
		v, err := parseUint(b, c.bits)
		if err != nil {
			return err
		}
		storeUint(p, c.bits, v)
	case kFloat:
		v, err := parseFloat(b, c.bits)
		if err != nil {
			return err
		}
		if c.bits == 32 {
			*(*float32)(p) = float32(v)
		} else {
			*(*float64)(p) = v
		}
	case kBytes:
		v, err := decodeBase64(b)
		if err != nil {
			return err
		}
		*(*[]byte)(p) = v
	case kTime:
		v, err := parseDateTime(b)
		if err != nil {
			return err
		}
		*(*time.Time)(p) = v
	case kQName:
		ns, local, err := parseQName(d.r, b)
		if err != nil {
			return err
		}
		*(*QName)(p) = QName{Space: d.arena.string(ns), Local: d.arena.string(local)}
	case kOwnText:
		if c.own != nil {
			return c.own.parse(p, trimSpace(b))
		}
		return reflect.NewAt(c.typ, p).Interface().(encoding.TextUnmarshaler).UnmarshalText(trimSpace(b))
	case kTextMarshaler:
		if err := reflect.NewAt(c.typ, p).Interface().(encoding.TextUnmarshaler).UnmarshalText(b); err != nil {
			if _, ok := err.(*errors.Error); ok {
				return err
			}
			return errors.Errorf(errors.InvalidFormat, "value %s: %s.UnmarshalText: %w", quoteText(b), c.typ, err)
		}
	default:
		return unsupported(c.typ)
	}
	return nil
}

func storeInt(p unsafe.Pointer, bits int, v int64) {
	switch bits {
	case 8:
		*(*int8)(p) = int8(v)
	case 16:
		*(*int16)(p) = int16(v)
	case 32:
		*(*int32)(p) = int32(v)
	default:
		*(*int64)(p) = v
	}
}

func storeUint(p unsafe.Pointer, bits int, v uint64) {
	switch bits {
	case 8:
		*(*uint8)(p) = uint8(v)
	case 16:
		*(*uint16)(p) = uint16(v)
	case 32:
		*(*uint32)(p) = uint32(v)
	default:
		*(*uint64)(p) = v
	}
}

// decodeBase64 decodes xsd:base64Binary, ignoring XML whitespace anywhere.
func decodeBase64(b []byte) ([]byte, error) {
	clean := b
	for i, c := range b {
		if isSpace(c) {
			clean = make([]byte, 0, len(b))
			clean = append(clean, b[:i]...)
			for _, c := range b[i:] {
				if !isSpace(c) {
					clean = append(clean, c)
				}
			}
			break
		}
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Strict().Decode(out, clean)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "value %s is not valid xsd:base64Binary: %v", quoteText(b), err)
	}
	return out[:n], nil
}

// structElement reads a struct from the element the reader is on.
func (d *decoder) structElement(c *codec, p unsafe.Pointer) error {
	sp := c.st
	r := d.r
	exact := false
	if c.hasName {
		if string(r.Local()) != c.name.Local || (c.name.Space != "" && string(r.Namespace()) != c.name.Space) {
			return failAt(r.Line(), errors.InvalidFormat, "expected %s, found %s",
				xmlNameString(c.name), nameString(r.Namespace(), r.Local()))
		}
		exact = c.name.Space == string(r.Namespace())
	}
	if sp.innerXML != nil && d.data == nil {
		return d.viaCapture(c, p)
	}
	if xf := sp.xmlName; xf != nil && xf.typ == xmlNameType {
		q := xf.addr(p, true)
		if exact {
			*(*xml.Name)(q) = c.name
		} else {
			*(*xml.Name)(q) = xml.Name{Space: d.arena.string(r.Namespace()), Local: d.arena.string(r.Local())}
		}
	}
	if sp.anyAttr != nil {
		d.anyNSDecls(sp.anyAttr, p)
	}
	if n := r.AttrCount(); n > 0 {
		for i := 0; i < n; i++ {
			if err := d.attr(sp, p, r.Attr(i)); err != nil {
				return err
			}
		}
	}
	seenBase := len(d.seen)
	for range (len(sp.required) + 63) / 64 {
		d.seen = append(d.seen, 0)
	}
	textBase, commentBase := len(d.text), len(d.comments)
	innerStart := int64(-1)
	if sp.innerXML != nil {
		innerStart = r.Offset()
	}
	if err := d.children(sp, sp.root, p, seenBase); err != nil {
		return err
	}
	// A field in a nil embedded pointer is only allocated when there is
	// something to store in it.
	if f := sp.charData; f != nil {
		b := d.text[textBase:]
		if fp := f.addr(p, len(b) > 0); fp != nil {
			if err := d.setRawText(f, fp, b); err != nil {
				return withLine(err, r.Line())
			}
		}
		d.text = d.text[:textBase]
	}
	if f := sp.comment; f != nil {
		b := d.comments[commentBase:]
		if fp := f.addr(p, len(b) > 0); fp != nil {
			if err := d.setRawText(f, fp, b); err != nil {
				return withLine(err, r.Line())
			}
		}
		d.comments = d.comments[:commentBase]
	}
	if f := sp.innerXML; f != nil {
		b := innerXML(d.data, innerStart, r.Offset())
		if fp := f.addr(p, len(b) > 0); fp != nil {
			if err := d.setRawText(f, fp, b); err != nil {
				return withLine(err, r.Line())
			}
		}
	}
	if len(sp.required) > 0 && !d.opts.AllowMissing {
		for _, f := range sp.required {
			if d.seen[seenBase+f.reqBit/64]&(1<<(f.reqBit%64)) == 0 {
				return failAt(r.Line(), errors.InvalidFormat,
					"missing required element %s (make the field a pointer or tag it omitempty if it is optional, or set Options.AllowMissing)",
					xmlNameString(xml.Name{Space: f.ns, Local: f.name}))
			}
		}
	}
	d.seen = d.seen[:seenBase]
	return nil
}

// children reads the content of an element whose fields are listed in n,
// up to and including its end tag.
func (d *decoder) children(sp *structPlan, n *node, p unsafe.Pointer, seenBase int) error {
	r := d.r
	hint := 0
	for {
		k, err := r.Next()
		if err != nil {
			return withLine(err, r.Line())
		}
		switch k {
		case xmlio.StartElement:
			ch := n.find(r.Local(), r.Namespace(), &hint)
			if ch == nil {
				if n.any != nil {
					if err := d.anyField(n.any, p); err != nil {
						return err
					}
					continue
				}
				if d.opts.IgnoreUnknown || sp.innerXML != nil {
					if err := r.Skip(); err != nil {
						return withLine(err, r.Line())
					}
					continue
				}
				return failAt(r.Line(), errors.InvalidFormat,
					"unexpected element %s (no field maps it; set Options.IgnoreUnknown to skip unknown elements)",
					nameString(r.Namespace(), r.Local()))
			}
			if ch.sub != nil {
				if err := d.children(sp, ch.sub, p, seenBase); err != nil {
					return at(err, ch.local)
				}
				continue
			}
			f := ch.f
			fp := f.addr(p, true)
			if f.repeated {
				item, i := appendItem(f.codec, fp)
				if err := d.value(f.codec.elem, item, f); err != nil {
					return atItem(err, f.name, i)
				}
			} else if err := d.value(f.codec, fp, f); err != nil {
				return at(err, f.name)
			}
			if f.required {
				d.seen[seenBase+f.reqBit/64] |= 1 << (f.reqBit % 64)
			}
		case xmlio.Text:
			if n == sp.root && sp.charData != nil {
				d.text = append(d.text, r.Text()...)
			} else if !d.opts.IgnoreUnknown && sp.innerXML == nil && !r.IsWhitespace() {
				return failAt(r.Line(), errors.InvalidFormat,
					"unexpected text %s (the Go type has no chardata field)", quoteText(r.Text()))
			}
		case xmlio.Comment:
			if n == sp.root && sp.comment != nil {
				d.comments = append(d.comments, r.Text()...)
			}
		case xmlio.EndElement:
			return nil
		default:
			return failAt(r.Line(), errors.InvalidFormat, "unexpected end of document")
		}
	}
}

// find returns the child entry matching an element, trying the entries from
// the last match on first since documents follow field order.
func (n *node) find(local, ns []byte, hint *int) *child {
	cs := n.children
	for i := *hint; i < len(cs); i++ {
		if cs[i].matches(local, ns) {
			*hint = i
			return &cs[i]
		}
	}
	for i := 0; i < *hint && i < len(cs); i++ {
		if cs[i].matches(local, ns) {
			*hint = i
			return &cs[i]
		}
	}
	return nil
}

// matches applies encoding/xml's rule: a field without a namespace matches
// the local name in any namespace.
func (c *child) matches(local, ns []byte) bool {
	return string(local) == c.local && (c.ns == "" || string(ns) == c.ns)
}

// anyField reads an unclaimed child element into the ",any" field.
func (d *decoder) anyField(f *field, p unsafe.Pointer) error {
	fp := f.addr(p, true)
	seg := d.arena.string(d.r.Local())
	if f.repeated {
		item, i := appendItem(f.codec, fp)
		if err := d.value(f.codec.elem, item, f); err != nil {
			return atItem(err, seg, i)
		}
		return nil
	}
	if err := d.value(f.codec, fp, f); err != nil {
		return at(err, seg)
	}
	return nil
}

// setRawText stores collected character data, comments or inner XML into a
// string or []byte field, or parses it for other simple types.
func (d *decoder) setRawText(f *field, p unsafe.Pointer, b []byte) error {
	switch {
	case f.typ.Kind() == reflect.String && f.codec.dec == kString:
		*(*string)(p) = d.arena.string(b)
		return nil
	case f.typ.Kind() == reflect.Slice && f.typ.Elem().Kind() == reflect.Uint8 && f.codec.dec == kBytes:
		*(*[]byte)(p) = append([]byte{}, b...)
		return nil
	}
	c := f.codec
	for c.dec == kPtr {
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			q = reflect.New(c.elem.typ).UnsafePointer()
			*(*unsafe.Pointer)(p) = q
		}
		c, p = c.elem, q
	}
	if f.mode == modeCharData || f.mode == modeCData {
		if len(trimSpace(b)) == 0 && c.dec != kString && c.dec != kTextMarshaler {
			return nil // no text: leave numbers and the like at zero
		}
	}
	return d.setValue(c, c.dec, p, b)
}

// innerXML returns the raw bytes between the end of an element's start tag
// at offset start and its end tag, which ends at offset end.
func innerXML(data []byte, start, end int64) []byte {
	if start < 0 || end > int64(len(data)) || end <= start {
		return nil
	}
	inner := data[start:end]
	for i := len(inner) - 1; i >= 0; i-- {
		if inner[i] == '<' {
			return inner[:i]
		}
	}
	return nil
}

// attr stores one attribute into the field that maps it, or into the
// ",any,attr" field. Attributes in the xsi namespace match only fields that
// name that namespace; other unknown attributes are ignored.
func (d *decoder) attr(sp *structPlan, p unsafe.Pointer, a xmlio.Attr) error {
	isXsi := string(a.Namespace) == xsiNS
	for _, f := range sp.attrs {
		if string(a.Local) != f.name {
			continue
		}
		if f.ns == "" && isXsi || f.ns != "" && string(a.Namespace) != f.ns {
			continue
		}
		if err := d.setAttr(f.codec, f.addr(p, true), a); err != nil {
			return at(withLine(err, d.r.Line()), "@"+f.name)
		}
		return nil
	}
	f := sp.anyAttr
	if f == nil || isXsi && (string(a.Local) == "type" || string(a.Local) == "nil") {
		return nil
	}
	d.addAnyAttr(f, p, xml.Attr{Name: xml.Name{Space: d.arena.string(a.Namespace), Local: d.arena.string(a.Local)}, Value: d.arena.string(a.Value)})
	return nil
}

// anyNSDecls adds the namespace declarations of the current start tag to an
// ",any,attr" field, as encoding/xml does (xmlns:p as {xmlns p}, xmlns as
// {"" xmlns}).
func (d *decoder) anyNSDecls(f *field, p unsafe.Pointer) {
	for i := range d.r.NSDeclCount() {
		ns := d.r.NSDecl(i)
		name := xml.Name{Space: "xmlns", Local: d.arena.string(ns.Prefix)}
		if len(ns.Prefix) == 0 {
			name = xml.Name{Local: "xmlns"}
		}
		d.addAnyAttr(f, p, xml.Attr{Name: name, Value: d.arena.string(ns.URI)})
	}
}

func (d *decoder) addAnyAttr(f *field, p unsafe.Pointer, a xml.Attr) {
	fp := f.addr(p, true)
	if f.typ == xmlAttrType {
		if (*xml.Attr)(fp).Name.Local == "" {
			*(*xml.Attr)(fp) = a
		}
		return
	}
	s := (*[]xml.Attr)(fp)
	*s = append(*s, a)
}

// setAttr parses an attribute value into the value of type c at p.
func (d *decoder) setAttr(c *codec, p unsafe.Pointer, a xmlio.Attr) error {
	switch c.adec {
	case kPtr:
		q := *(*unsafe.Pointer)(p)
		if q == nil {
			q = reflect.New(c.elem.typ).UnsafePointer()
			*(*unsafe.Pointer)(p) = q
		}
		return d.setAttr(c.elem, q, a)
	case kMarshaler:
		xa := xml.Attr{Name: xml.Name{Space: string(a.Namespace), Local: string(a.Local)}, Value: string(a.Value)}
		if err := reflect.NewAt(c.typ, p).Interface().(xml.UnmarshalerAttr).UnmarshalXMLAttr(xa); err != nil {
			return errors.Errorf(errors.InvalidFormat, "value %s: %s.UnmarshalXMLAttr: %w", quoteText(a.Value), c.typ, err)
		}
		return nil
	case kXMLAttr:
		*(*xml.Attr)(p) = xml.Attr{Name: xml.Name{Space: d.arena.string(a.Namespace), Local: d.arena.string(a.Local)}, Value: d.arena.string(a.Value)}
		return nil
	case kUnsupported:
		return unsupported(c.typ)
	}
	return d.setValue(c, c.adec, p, a.Value)
}

// iface reads an interface field: the Go type comes from xsi:type, else
// from the element name (Registry.RegisterElement), else from a non-nil
// pointer the field already holds.
func (d *decoder) iface(c *codec, p unsafe.Pointer, f *field) error {
	r := d.r
	var e regEntry
	found := false
	if r.AttrCount() > 0 {
		if tv, ok := r.AttrValue("type", xsiNS); ok {
			ns, local, err := parseQName(r, tv)
			if err != nil {
				return withLine(err, r.Line())
			}
			e, found = d.reg.lookupType(ns, local)
		}
	}
	if !found {
		e, found = d.reg.lookupElement(r.Namespace(), r.Local())
	}
	iv := reflect.NewAt(c.typ, p).Elem()
	if !found {
		if !iv.IsNil() && iv.Elem().Kind() == reflect.Pointer && !iv.Elem().IsNil() {
			dc, err := codecFor(iv.Elem().Type())
			if err != nil {
				return err
			}
			return d.content(dc.elem, iv.Elem().UnsafePointer(), f)
		}
		if d.opts.IgnoreUnknown {
			if err := r.Skip(); err != nil {
				return withLine(err, r.Line())
			}
			return nil
		}
		xsiType, _ := r.AttrValue("type", xsiNS)
		return failAt(r.Line(), errors.InvalidFormat,
			"cannot tell which Go type implementing %s to read element %s (xsi:type %q) into; register it with Registry.RegisterType or RegisterElement",
			c.typ, nameString(r.Namespace(), r.Local()), xsiType)
	}
	nv := reflect.New(e.typ)
	val := nv
	if !e.ptr {
		val = nv.Elem()
	}
	if !val.Type().AssignableTo(c.typ) {
		return failAt(r.Line(), errors.InvalidFormat, "element %s maps to Go type %s, which does not implement %s",
			nameString(r.Namespace(), r.Local()), val.Type(), c.typ)
	}
	if val.Type() == etreeType {
		el, err := d.readEtree()
		if err != nil {
			return err
		}
		iv.Set(reflect.ValueOf(el))
		return nil
	}
	dc, err := codecFor(e.typ)
	if err != nil {
		return err
	}
	if err := d.content(dc, nv.UnsafePointer(), f); err != nil {
		return err
	}
	iv.Set(val)
	return nil
}
