package xmlio

import "io"

// Writer produces XML 1.0 text. Create one with NewWriter (streams to an
// io.Writer through an internal buffer) or NewBufferWriter (accumulates in
// memory; read with Bytes). Errors are sticky, as with bufio.Writer: the
// writing methods record the first error and become no-ops, and Flush or Err
// return it. A Writer can be reused with Reset, keeping its buffers. It is
// not safe for concurrent use.
type Writer struct {
	_ int
}

// NewWriter returns a Writer that streams to dst. Output is buffered; call
// Flush at the end.
func NewWriter(dst io.Writer) *Writer { panic("xmlio: Writer not yet implemented") }

// NewBufferWriter returns a Writer that accumulates output in memory,
// appending to buf (which may be nil).
func NewBufferWriter(buf []byte) *Writer { panic("xmlio: Writer not yet implemented") }

// Reset discards state and output and makes w write to dst (nil: to its
// in-memory buffer), keeping allocated buffers.
func (w *Writer) Reset(dst io.Writer) {}

// Bytes returns the output accumulated by a buffer writer (or not yet flushed
// by a streaming one). It aliases the writer's buffer.
func (w *Writer) Bytes() []byte { return nil }

// Err returns the first error recorded.
func (w *Writer) Err() error { return nil }

// Flush writes buffered output to the destination of a streaming writer.
func (w *Writer) Flush() error { return nil }

// Depth returns the number of open elements.
func (w *Writer) Depth() int { return 0 }

// StartElement opens an element. When ns is not empty the element is put in
// that namespace: with the given prefix if one is given (declared on this
// element unless already bound to ns in scope), else with a prefix already
// bound to ns in scope, else by declaring ns as the default namespace. When ns
// is empty the element has no namespace (an xmlns="" undeclaration is written
// if a default namespace is in scope). Attributes and declarations may be
// added until the first content or child is written.
func (w *Writer) StartElement(prefix, local, ns string) {}

// DeclareNamespace adds xmlns:prefix="ns" (xmlns="ns" for an empty prefix) to
// the open start tag, unless that exact binding is already in scope.
func (w *Writer) DeclareNamespace(prefix, ns string) {}

// Attr adds an attribute to the open start tag. An attribute in a namespace
// gets the given prefix, or one bound to ns in scope, or a generated one
// (declared on this element). The value is escaped.
func (w *Writer) Attr(prefix, local, ns, value string) {}

// AttrBytes is Attr with a byte-slice value.
func (w *Writer) AttrBytes(prefix, local, ns string, value []byte) {}

// PrefixFor returns a prefix bound to ns in scope (for QName values).
func (w *Writer) PrefixFor(ns string) (string, bool) { return "", false }

// EndElement closes the innermost open element (as <e/> if it has no
// content).
func (w *Writer) EndElement() {}

// Text writes escaped character data.
func (w *Writer) Text(s string) {}

// TextBytes writes escaped character data.
func (w *Writer) TextBytes(b []byte) {}

// Base64 writes b as base64 character data, encoding in chunks without
// materializing the whole encoded form.
func (w *Writer) Base64(b []byte) {}

// Int writes a decimal integer as character data.
func (w *Writer) Int(v int64) {}

// Uint writes a decimal unsigned integer as character data.
func (w *Writer) Uint(v uint64) {}

// CData writes a CDATA section (split where the text contains "]]>").
func (w *Writer) CData(s string) {}

// Comment writes a comment ("--" in s is an error).
func (w *Writer) Comment(s string) {}

// Raw writes b as is: pre-serialized, well-formed markup the caller vouches
// for.
func (w *Writer) Raw(b []byte) {}

// AppendText returns a buffer to which the caller may append the decimal or
// other lexical form of a value without escaping concerns, to be committed
// with CommitText; it avoids an intermediate string for numbers, dates and
// the like. Text appended must not need escaping.
func (w *Writer) AppendText() []byte { return nil }

// CommitText writes b, obtained from AppendText and extended, as character
// data.
func (w *Writer) CommitText(b []byte) {}
