package xmlio

import (
	"io"

	"github.com/wsgo/wsgo/errors"
)

// wrFlushThreshold is the buffered size past which a streaming Writer hands
// its buffer to the destination. Every write method checks it after
// appending, so a streaming Writer holds about this much plus one chunk.
const wrFlushThreshold = 32 << 10

// wrChunk is the largest piece of one text value escaped before the
// flush threshold is checked again, so a streaming writer stays bounded
// for very long strings.
const wrChunk = 16 << 10

// Writer produces XML 1.0 text. Create one with NewWriter (streams to an
// io.Writer through an internal buffer) or NewBufferWriter (accumulates in
// memory; read with Bytes). Errors are sticky, as with bufio.Writer: the
// writing methods record the first error and become no-ops, and Flush or Err
// return it. A Writer can be reused with Reset, keeping its buffers. It is
// not safe for concurrent use.
//
// Every error is an *errors.Error: InvalidOperation for calls made in the
// wrong state (an attribute after content, text outside the root element, a
// second root, EndElement with nothing open), InvalidFormat for names and
// values XML cannot carry (a name that is not an NCName, invalid UTF-8, a
// character XML forbids, "--" in a comment), InvalidArgument for namespace
// arguments that contradict each other or the reserved prefixes, and Other,
// wrapping the cause, when the destination fails. After an error the output
// is incomplete (it may end inside a start tag) and nothing more reaches a
// streaming writer's destination: the document must not be sent.
//
// The writer keeps the caller's name and namespace strings of open elements
// and in-scope bindings instead of copying them, which is what makes it
// allocation-free per element.
type Writer struct {
	buf []byte    // output not yet flushed (streaming) or all output (buffer)
	dst io.Writer // nil for a buffer writer
	err error     // first error, sticky

	ns    []wrBinding // namespace bindings in scope, innermost last
	open  []wrElement // open elements, innermost last
	attrs []wrAttr    // attributes on the open start tag

	scratch  []byte   // holds caller-appended values that need escaping
	prefixes []string // generated prefixes "p1", "p2", ..., kept across Reset

	state      wrDocState
	inStartTag bool      // the innermost start tag is not yet closed by '>'
	tagStart   int       // offset in buf of the open start tag's '<'; -1 once flushed
	chosen     bool      // the open start tag's element prefix was chosen by the writer
	pending    wrPending // an AppendText or StartAttr value is not yet committed
	mark       int       // len(buf) when the pending value started
	wroteAny   bool      // anything written since creation or Reset

	rootPrefix, rootLocal string // the root element, for messages after it ended
}

// wrBinding is one namespace binding in scope. Prefix "" is the default
// namespace; ns "" with prefix "" is an xmlns="" undeclaration.
type wrBinding struct {
	prefix, ns string
}

// wrElement is an open element: its name for the end tag, its namespace,
// and where its bindings start in Writer.ns.
type wrElement struct {
	prefix, local, ns string
	nsMark            int
}

// wrAttr is an attribute written on the open start tag, kept to detect
// duplicates and prefix conflicts.
type wrAttr struct {
	prefix, local, ns string
}

// wrDocState tracks where the writer is relative to the root element.
type wrDocState uint8

const (
	wrBeforeRoot wrDocState = iota
	wrInRoot
	wrAfterRoot
)

// wrPending says which caller-appended value is outstanding.
type wrPending uint8

const (
	wrPendingNone wrPending = iota
	wrPendingText
	wrPendingAttr
)

// NewWriter returns a Writer that streams to dst. Output is buffered; call
// Flush at the end.
func NewWriter(dst io.Writer) *Writer {
	w := &Writer{buf: make([]byte, 0, 8<<10)}
	w.Reset(dst)
	return w
}

// NewBufferWriter returns a Writer that accumulates output in memory,
// appending to buf (which may be nil). The writer owns buf from then on:
// Reset reuses it from the start.
func NewBufferWriter(buf []byte) *Writer {
	w := &Writer{}
	w.Reset(nil)
	w.buf = buf
	return w
}

// Reset discards state and output and makes w write to dst (nil: to its
// in-memory buffer), keeping allocated buffers.
func (w *Writer) Reset(dst io.Writer) {
	w.buf = w.buf[:0]
	w.dst = dst
	w.err = nil
	w.ns = w.ns[:0]
	w.open = w.open[:0]
	w.attrs = w.attrs[:0]
	w.scratch = w.scratch[:0]
	w.state = wrBeforeRoot
	w.inStartTag = false
	w.tagStart, w.chosen = -1, false
	w.pending = wrPendingNone
	w.mark = 0
	w.wroteAny = false
	w.rootPrefix, w.rootLocal = "", ""
}

// Bytes returns the output accumulated by a buffer writer (or not yet flushed
// by a streaming one). It aliases the writer's buffer.
func (w *Writer) Bytes() []byte { return w.buf }

// Err returns the first error recorded.
func (w *Writer) Err() error { return w.err }

// Flush writes buffered output to the destination of a streaming writer and
// returns the first error recorded. For a buffer writer it only returns the
// error. Flushing with elements still open is allowed: the document simply
// continues with the next call (Depth tells how many are open). Once an
// error is recorded Flush writes nothing and returns it.
func (w *Writer) Flush() error {
	if w.err != nil || w.dst == nil {
		return w.err
	}
	w.flush()
	return w.err
}

// Depth returns the number of open elements.
func (w *Writer) Depth() int { return len(w.open) }

// flush hands the buffer to the destination; a failure becomes the sticky
// error.
func (w *Writer) flush() {
	if len(w.buf) == 0 {
		return
	}
	n, err := w.dst.Write(w.buf)
	if err == nil && n < len(w.buf) {
		err = io.ErrShortWrite
	}
	if err != nil {
		w.failf(errors.Other, "write XML output (%d bytes buffered, %d written): %w; the document is incomplete", len(w.buf), n, err)
		return
	}
	w.buf = w.buf[:0]
	w.tagStart = -1
}

// maybeFlush flushes a streaming writer whose buffer passed the threshold.
func (w *Writer) maybeFlush() {
	if w.dst != nil && len(w.buf) >= wrFlushThreshold && w.err == nil {
		w.flush()
	}
}

// WriteDeclaration writes the XML declaration
// <?xml version="1.0" encoding="utf-8"?>. It must be the first thing
// written.
func (w *Writer) WriteDeclaration() {
	if !w.allow(wrCallDeclaration, "XML declaration", "", "") {
		return
	}
	if w.wroteAny {
		w.failf(errors.InvalidOperation, "XML declaration %s: %s", w.where(), wrDeclNotFirst)
		return
	}
	w.wroteAny = true
	w.buf = append(w.buf, `<?xml version="1.0" encoding="utf-8"?>`...)
}
