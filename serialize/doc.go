// Package serialize is wsgo's body-element serializer: it writes a Go value
// as one XML element and reads one element into a Go value, as WWSAPI's
// WsWriteElement and WsReadElement do. The message layer uses it for the
// body of an envelope, for typed custom headers and for fault detail; in
// the flow of DESIGN.md it is the "write envelope" and "body -> out" steps.
//
// It runs on wsgo's streaming XML layer (package xmlio): no DOM and no
// encoding/xml on the hot path. The package also holds the XSD value types
// SOAP needs (Decimal, DateTime, Date, Time, Duration, GUID, HexBinary,
// AnyURI).
//
//	b, err := serialize.Marshal(&req)                  // a whole element
//	err = serialize.Unmarshal(b, &resp)                 // a whole document
//	err = serialize.MarshalElement(w, name, &req, opts) // into a writer
//	err = serialize.UnmarshalElement(r, name, &resp, opts)
//
// # Struct tags
//
// Types are described with encoding/xml's struct tags, with encoding/xml's
// rules (go doc encoding/xml Marshal), so types written for encoding/xml,
// such as those hooklift/gowsdl generates, work unchanged:
//
//   - an XMLName field names the element: `xml:"ns local"`; its value is
//     set on read and used on write when the tag names no element;
//   - `xml:"name"` and `xml:"ns name"` name a child element; without a tag
//     the field name is used (or the XMLName tag of the field's type);
//   - `xml:"-"` skips a field;
//   - ",attr" maps an attribute, ",chardata" and ",cdata" the element's
//     text, ",innerxml" its raw content, ",comment" its comments;
//   - ",omitempty" omits zero values (empty strings, zero numbers, nil
//     pointers, empty slices; structs are never empty);
//   - ",any" receives every child element no other field claims, and
//     ",any,attr" (an xml.Attr or []xml.Attr field) every unclaimed
//     attribute, namespace declarations included, as in encoding/xml
//     (",comment" fields see comments only when the reader reports them:
//     Unmarshal's reader does, UnmarshalElement uses the caller's);
//   - "a>b>c" nests a field in parent elements, shared by consecutive
//     fields with the same parents;
//   - embedded structs promote their fields (a shallower field shadows a
//     deeper one with the same name; an embedded pointer is allocated on
//     read when one of its fields is present);
//   - pointers are optional (nil is absent); slices other than []byte are
//     repeated elements; interfaces hold their dynamic value. Recursive
//     types are fine; a cyclic value is not: writing stops after 2048 levels
//     of nesting (each pointer, slice, interface and struct on the way is a
//     level) with InvalidArgument ("value nesting exceeds 2048 levels; is
//     the value cyclic?"). Reading stops at the reader's MaxDepth, and at
//     2048 nested structs whatever MaxDepth is (QuotaExceeded).
//
// Namespaces follow encoding/xml's observable behaviour. On write an element
// whose tag has no namespace takes that of its nearest ancestor with one (in
// encoding/xml's output it inherits the default namespace, which is what
// elementFormDefault="qualified" schemas, and so generated code, expect); a
// struct whose XMLName names no element inside one with a namespace is put
// in no namespace. Parent elements of a>b paths are written like fields
// without a namespace. On read a tag without a namespace matches the local
// name in any namespace, and one with a namespace only that namespace.
// Prefixes are chosen by the writer: a prefix bound to the namespace in
// scope, else a default namespace declaration.
//
// # Values
//
// Strings, booleans, all sized integers (a value out of range is
// NumericOverflow naming the element and the value) and floats (with XSD's
// INF, -INF and NaN) map to their XSD lexical forms. []byte is
// xsd:base64Binary (encoding/xml writes raw bytes instead; use HexBinary for
// xsd:hexBinary), except in chardata, cdata, innerxml and comment fields,
// where it is raw text. time.Time is xsd:dateTime with its zone offset. QName
// is an xsd:QName, written with a prefix bound in scope (declared on the
// element if none is) and read by resolving the prefix against the scope of
// the element. A QName in no namespace is written unprefixed, so the element
// carrying it (as its text or an attribute, or in xsi:type) is given a
// prefix and undeclares a default namespace in scope (xmlns=""); where that
// is not possible (a ",chardata" QName) writing it is InvalidArgument. Types with encoding/xml or encoding methods are honoured in
// encoding/xml's order: xml.Marshaler/xml.Unmarshaler (or
// MarshalerAttr/UnmarshalerAttr for attributes), then
// encoding.TextMarshaler/TextUnmarshaler (AppendText is used when the type
// also implements encoding.TextAppender). The xml.Marshaler path runs the
// type's method against encoding/xml on a scratch buffer and copies the
// output in; the xml.Unmarshaler path re-serializes the element with the
// namespace declarations in scope and decodes it with encoding/xml. It is
// there for compatibility (gowsdl's soap.XSDDateTime) and costs what
// encoding/xml costs. Methods with pointer receivers are used also for
// values passed by value (encoding/xml only uses them for addressable
// values).
//
// *etree.Element values (also held by an interface field) are any-element
// content: MarshalElement writes one verbatim under its own name, resolving its prefixes against its own and
// its ancestors' xmlns attributes (etree keeps prefixes unresolved), and
// reading into an *etree.Element (UnmarshalElement with a
// **etree.Element, or a struct field, ",any" or named) builds a standalone
// element that declares every namespace in scope at it, so that prefixes in
// content (xsi:type values, QNames in text) still resolve. A named field of
// type *etree.Element receives the named element itself, not its content.
//
// # SOAP extras
//
// Beyond encoding/xml, following WWSAPI's field options:
//
//   - nillable: the tag option ",nillable" (ignored by encoding/xml) writes
//     a nil pointer, interface or *etree.Element as <e xsi:nil="true"/>
//     instead of omitting it, also for nil items of a []*T. staticcheck
//     (SA5008) reports the unknown option; the separate tag `wsgo:"nillable"`
//     means the same and keeps linters quiet. On read
//     xsi:nil="true" or "1" is accepted on any element: it sets the field to
//     nil, or to its zero value when it is not a pointer.
//   - optional and required: pointers, interfaces, slices, xml.Marshaler
//     types and fields tagged omitempty are optional; every other element
//     field is required, and reading an element that lacks one is
//     InvalidFormat naming the element (unless Options.AllowMissing).
//     gowsdl tags minOccurs="0" elements omitempty, so its types read
//     documents that leave those out. Attributes are never required.
//   - derived types (xsi:type): a field whose static type is an interface
//     writes xsi:type="p:Name" when the dynamic value's type is registered
//     with Registry.RegisterType, and on read an xsi:type, resolved against
//     the namespaces in scope, picks the Go type from the Registry. An
//     xsi:type on a field of a concrete type is ignored; the value is read
//     as the field's type.
//   - choice and substitution groups: an interface field tagged ",any"
//     (one value or a slice) takes the element name to Go type mapping of
//     Registry.RegisterElement on read, and on write uses the value's
//     XMLName or its registered element name. This is how xs:choice is
//     expressed: one interface, one Go type per alternative.
//   - xs:any: ",any" fields of type *etree.Element or []*etree.Element, and
//     ",any,attr" into []xml.Attr.
//
// # Strictness
//
// Reading is strict by default, like WWSAPI: a child element no field maps
// is InvalidFormat ("Order/Items/Item[3] (line 12): unexpected element
// <{urn:x}Foo>"), as is non-whitespace text in an element without a
// chardata field; Options.IgnoreUnknown skips both instead. A struct with an
// innerxml field accepts any content. Unknown attributes are ignored, and
// attributes in the xsi namespace only match fields that name that
// namespace. Elements are matched by name, not by position, and a repeated
// element appends; a second occurrence of a single element overwrites the
// first, as in encoding/xml.
//
// Every error is an *errors.Error: InvalidFormat for input that does not
// fit the type, NumericOverflow for numbers out of range, QuotaExceeded for
// reader limits (Options.Reader), InvalidArgument for values and types that
// cannot be written (maps, channels, functions, bad tags: these are reported
// when first used, like encoding/xml), and the writer's own errors (text or
// names XML cannot carry) on write. The first of its Strings is the element
// path and line, such as "Order/Items/Item[3]/Qty (line 12)" (writing has
// no line; a path deeper than 32 elements is cut in the middle); the next
// says what was wrong.
//
// # Performance
//
// A plan is compiled once per Go type and cached (safe for concurrent use):
// fields with precomputed names and offsets, the mapping of each type, and
// the child-element lookup. Encoding and decoding then work on unsafe
// pointers without reflecting over tags. Writing allocates nothing in steady
// state: numbers, dates and decimals are appended straight into the
// writer's buffer, and runs of text-only child elements, and records made
// only of them, are written as blocks of pre-serialized markup (see leaf.go
// and flat.go). Reading allocates what the
// result needs: the strings of one call are cut from a few shared chunks
// (so one retained string keeps its chunk alive), slices grow
// geometrically, and pointers are allocated when their element appears.
// testdata/order.xml with bench_test.go measures both against encoding/xml.
package serialize
