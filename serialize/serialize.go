package serialize

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"sync"
	"unsafe"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Marshal returns the XML element for v. The element's name comes from v's
// XMLName field (tag, then value), else from its Go type name without a
// namespace.
func Marshal(v any) ([]byte, error) {
	return marshalDocument(v, nil)
}

func marshalDocument(v any, opts *Options) ([]byte, error) {
	w := writerPool.Get().(*xmlio.Writer)
	w.Reset(nil)
	err := MarshalElement(w, xml.Name{}, v, opts)
	var out []byte
	if err == nil {
		out = bytes.Clone(w.Bytes())
	}
	if cap(w.Bytes()) <= 1<<20 {
		writerPool.Put(w)
	}
	return out, err
}

var writerPool = sync.Pool{New: func() any { return xmlio.NewBufferWriter(nil) }}

// MarshalElement writes v to w as one element. A zero name takes the name
// from v's XMLName field (tag, then value), else from its Go type name (no
// namespace); a non-zero name overrides both. An *etree.Element is written
// verbatim under its own name. v may be a value or a non-nil pointer. opts
// may be nil.
func MarshalElement(w *xmlio.Writer, name xml.Name, v any, opts *Options) error {
	if v == nil {
		return errors.Errorf(errors.InvalidArgument, "marshal: cannot marshal a nil interface value")
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	var p unsafe.Pointer
	if t.Kind() == reflect.Pointer && rv.IsNil() {
		return errors.Errorf(errors.InvalidArgument, "marshal: cannot marshal a nil %s", t)
	}
	if t.Kind() == reflect.Pointer && t != etreeType {
		t, p = t.Elem(), rv.UnsafePointer()
	} else {
		cp := reflect.New(t)
		cp.Elem().Set(rv)
		p = cp.UnsafePointer()
	}
	c, err := codecFor(t)
	if err != nil {
		return finish(err, "marshal")
	}
	e := getEncoder(w, opts)
	err = e.element(c, p, name, name.Local != "", nil)
	e.flushLeaves()
	putEncoder(e)
	if err == nil {
		err = w.Err()
	} else {
		err = at(err, rootName(c, name))
	}
	return finish(err, "marshal")
}

// rootName is the name of the top element for error paths when it is
// known without looking at the document.
func rootName(c *codec, name xml.Name) string {
	for c.enc == kPtr {
		c = c.elem
	}
	switch {
	case name.Local != "":
		return name.Local
	case c.hasName:
		return c.name.Local
	}
	return typeName(c.typ)
}

// Unmarshal reads the XML document data, whose root element is v's
// element, into v, which must be a non-nil pointer. It reads with the
// default (strict) rules, the xmlio default limits and DefaultRegistry; see
// Options.Unmarshal for others.
func Unmarshal(data []byte, v any) error {
	return unmarshalDocument(data, v, nil)
}

// readerOptions are the limits Unmarshal uses by default; comments are
// reported so that ",comment" fields can collect them.
var readerOptions = xmlio.Options{ReportComments: true}

var readerPool = sync.Pool{New: func() any { return xmlio.NewReader(nil, &readerOptions) }}

func unmarshalDocument(data []byte, v any, opts *Options) error {
	var r *xmlio.Reader
	if o := opts.orDefault(); o.Reader != nil {
		ro := *o.Reader
		ro.ReportComments = true
		r = xmlio.NewReader(data, &ro)
	} else {
		r = readerPool.Get().(*xmlio.Reader)
		r.Reset(data)
		defer func() {
			r.Reset(nil)
			readerPool.Put(r)
		}()
	}
	if err := unmarshalElement(r, xml.Name{}, v, opts, data); err != nil {
		return err
	}
	for {
		k, err := r.Next()
		if err != nil {
			return finish(withLine(err, r.Line()), "unmarshal")
		}
		switch k {
		case xmlio.EOF:
			return nil
		case xmlio.Text, xmlio.Comment:
			if k == xmlio.Text && !r.IsWhitespace() {
				return finish(failAt(r.Line(), errors.InvalidFormat, "text after the root element"), "unmarshal")
			}
		default:
			return finish(failAt(r.Line(), errors.InvalidFormat, "content after the root element"), "unmarshal")
		}
	}
}

// UnmarshalElement reads one element from r into v, which must be a
// non-nil pointer. r must be on the element's start tag, or before it with
// only whitespace and comments in between; on success r is on the
// element's end tag. A zero name accepts the name in the XMLName tag of v's
// type if it has one, else any name; a non-zero name must match the
// element (namespace included). opts may be nil.
func UnmarshalElement(r *xmlio.Reader, name xml.Name, v any, opts *Options) error {
	return unmarshalElement(r, name, v, opts, nil)
}

func unmarshalElement(r *xmlio.Reader, name xml.Name, v any, opts *Options, data []byte) error {
	rv := reflect.ValueOf(v)
	if v == nil || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.Errorf(errors.InvalidArgument, "unmarshal: want a non-nil pointer, got %T", v).WithOp("unmarshal")
	}
	c, err := codecFor(rv.Type().Elem())
	if err != nil {
		return finish(err, "unmarshal")
	}
	if err := toStart(r, name); err != nil {
		return finish(err, "unmarshal")
	}
	if name.Local != "" && (string(r.Local()) != name.Local || string(r.Namespace()) != name.Space) {
		return finish(failAt(r.Line(), errors.InvalidFormat, "expected %s, found %s",
			xmlNameString(name), nameString(r.Namespace(), r.Local())), "unmarshal")
	}
	root := rootName(c, name)
	d := getDecoder(r, opts, data)
	err = d.value(c, rv.UnsafePointer(), nil)
	putDecoder(d)
	if err != nil {
		return finish(at(err, root), "unmarshal")
	}
	return nil
}

// toStart moves r to the next start tag over whitespace and comments.
func toStart(r *xmlio.Reader, name xml.Name) error {
	for {
		switch r.Kind() {
		case xmlio.StartElement:
			return nil
		case xmlio.None, xmlio.Comment:
		case xmlio.Text:
			if !r.IsWhitespace() {
				return failAt(r.Line(), errors.InvalidFormat, "expected an element, found text %s", quoteText(r.Text()))
			}
		default:
			want := "an element"
			if name.Local != "" {
				want = xmlNameString(name)
			}
			return failAt(r.Line(), errors.InvalidFormat, "expected %s, found the end of the enclosing element or document", want)
		}
		if _, err := r.Next(); err != nil {
			return withLine(err, r.Line())
		}
	}
}

// ElementName returns the element name in the XMLName field tag of v's type
// (following pointers), and whether it has one.
func ElementName(v any) (xml.Name, bool) {
	if v == nil {
		return xml.Name{}, false
	}
	return typeElementName(reflect.TypeOf(v))
}
