package xmlio

import (
	"io"

	"github.com/wsgo/wsgo/errors"
)

// Kind is the kind of node the Reader is positioned on.
type Kind uint8

// The node kinds.
const (
	None         Kind = iota // before the first call to Next
	StartElement             // an element's start tag (also for <e/>, followed by EndElement)
	EndElement               // an element's end tag
	Text                     // character data, CDATA content, or whitespace
	Comment                  // a comment; reported only with Options.ReportComments
	EOF                      // the end of the document
)

// String returns the kind's name, for messages and test output.
func (k Kind) String() string {
	switch k {
	case None:
		return "None"
	case StartElement:
		return "StartElement"
	case EndElement:
		return "EndElement"
	case Text:
		return "Text"
	case Comment:
		return "Comment"
	case EOF:
		return "EOF"
	}
	return "Kind(?)"
}

// Options are the reader's limits and switches. A zero field takes the
// default given in its comment (WWSAPI's conservative defaults where WWSAPI
// has one).
type Options struct {
	MaxDepth         int   // element nesting depth; default 32
	MaxAttributes    int   // attributes on one element, xmlns declarations included; default 128
	MaxNamespaces    int   // namespace declarations in scope at once; default 32
	MaxTokenBytes    int   // bytes of one token: a start tag with its attributes, one text run, a comment; default 4 MiB
	MaxBytes         int64 // bytes of the whole document; default 64 MiB
	StreamBufferSize int   // initial window in streamed mode; default 4096
	ReportComments   bool  // report comments as Comment nodes instead of skipping them
}

// The defaults of Options.
const (
	defaultMaxDepth         = 32
	defaultMaxAttributes    = 128
	defaultMaxNamespaces    = 32
	defaultMaxTokenBytes    = 4 << 20
	defaultMaxBytes         = 64 << 20
	defaultStreamBufferSize = 4096
)

// resolved returns o with every zero (or negative) limit replaced by its
// default. A nil o is all defaults.
func (o *Options) resolved() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxDepth <= 0 {
		v.MaxDepth = defaultMaxDepth
	}
	if v.MaxAttributes <= 0 {
		v.MaxAttributes = defaultMaxAttributes
	}
	if v.MaxNamespaces <= 0 {
		v.MaxNamespaces = defaultMaxNamespaces
	}
	if v.MaxTokenBytes <= 0 {
		v.MaxTokenBytes = defaultMaxTokenBytes
	}
	if v.MaxBytes <= 0 {
		v.MaxBytes = defaultMaxBytes
	}
	if v.StreamBufferSize <= 0 {
		v.StreamBufferSize = defaultStreamBufferSize
	}
	if v.StreamBufferSize > v.MaxTokenBytes+1 {
		v.StreamBufferSize = v.MaxTokenBytes + 1
	}
	return v
}

// Attr is one attribute of the current start element. Its slices alias the
// reader's buffers and are valid until the next call to Next.
type Attr struct {
	Prefix    []byte
	Local     []byte
	Namespace []byte // resolved; empty for unprefixed attributes
	Value     []byte // references expanded, whitespace normalized as XML requires
}

// NSDecl is one namespace declaration (xmlns or xmlns:p) on the current
// start element. Prefix is empty for a default namespace declaration.
type NSDecl struct {
	Prefix []byte
	URI    []byte
}

// Reader is a pull parser. Create one with NewReader (a document in memory)
// or NewStreamReader (an io.Reader, read through a bounded window), call Next
// until it returns EOF or an error, and inspect the current node with the
// accessors. A Reader can be reused with Reset or ResetStream, keeping its
// buffers. It is not safe for concurrent use.
//
// Slices returned by the accessors alias the reader's window and scratch
// buffers: they are valid until the next call to Next (or to a method that
// calls it: ReadElementText, Skip) and must not be modified.
type Reader struct {
	opts Options

	// Input. In buffered mode buf is the caller's document and src is nil;
	// in streamed mode buf is own, a window over the stream that is
	// compacted and grown by fill (reader_input.go).
	src     io.Reader
	buf     []byte
	own     []byte
	pos     int   // start of the current token in buf
	next    int   // end of the current token in buf: where Next resumes
	end     int   // end of the valid data in buf
	base    int64 // document offset of buf[0]
	eof     bool  // nothing follows buf[:end]
	overMax bool  // the document is longer than MaxBytes; buf[:end] stops at the limit
	readErr *errors.Error

	lineOff int64 // document offset up to which newlines are counted in lines
	lines   int

	// Document state.
	started    bool // the BOM and XML declaration have been handled
	rootSeen   bool
	asciiOnly  bool // the declaration said US-ASCII
	pendingEnd bool // the current start tag was <e/>; its EndElement comes next
	pendingPop bool // the current node is an EndElement; pop it on the next call
	err        *errors.Error

	// The current node.
	kind      Kind
	text      []byte
	cdata     bool
	wsKnown   bool
	wsOnly    bool
	attrs     []Attr
	decls     []NSDecl
	scratch   []byte  // decoded text and attribute values of the current node
	dupOrder  []int32 // scratch for the duplicate-attribute check of large elements
	stack     []openElem
	bindings  []binding
	nameArena []byte // qualified names of the open elements
	nsArena   []byte // prefixes and URIs of the bindings in scope
}

// NewReader returns a Reader over a complete document held in data. The
// reader does not modify data; slices it returns may alias it.
func NewReader(data []byte, opts *Options) *Reader {
	r := &Reader{opts: opts.resolved()}
	r.Reset(data)
	return r
}

// NewStreamReader returns a Reader that reads the document from src through
// a window that grows only as far as one token needs (bounded by
// MaxTokenBytes).
func NewStreamReader(src io.Reader, opts *Options) *Reader {
	r := &Reader{opts: opts.resolved()}
	r.ResetStream(src)
	return r
}

// Reset makes r read data from the start, keeping its options and buffers.
func (r *Reader) Reset(data []byte) {
	r.resetState()
	r.src = nil
	r.buf = data
	r.end = len(data)
	if int64(len(data)) > r.opts.MaxBytes {
		r.end = int(r.opts.MaxBytes)
		r.overMax = true
	}
	r.eof = true
}

// ResetStream makes r read from src from the start, keeping options and buffers.
func (r *Reader) ResetStream(src io.Reader) {
	r.resetState()
	r.src = src
	if r.own == nil {
		r.own = make([]byte, r.opts.StreamBufferSize)
	}
	r.buf = r.own
	r.end = 0
	r.eof = false
}

func (r *Reader) resetState() {
	r.pos, r.next, r.end, r.base = 0, 0, 0, 0
	r.eof, r.overMax, r.readErr = false, false, nil
	r.lineOff, r.lines = 0, 0
	r.started, r.rootSeen, r.asciiOnly = false, false, false
	r.pendingEnd, r.pendingPop, r.err = false, false, nil
	r.kind, r.text, r.cdata, r.wsKnown, r.wsOnly = None, nil, false, false, false
	r.attrs = r.attrs[:0]
	r.decls = r.decls[:0]
	r.scratch = r.scratch[:0]
	r.stack = r.stack[:0]
	r.bindings = r.bindings[:0]
	r.nameArena = r.nameArena[:0]
	r.nsArena = r.nsArena[:0]
}

// Next advances to the next node and returns its kind. At the end of the
// document it returns EOF with a nil error; every failure is an
// *errors.Error (InvalidFormat or QuotaExceeded, or the stream's read error
// wrapped as EndpointDisconnected/Other) and leaves the reader failed: later
// calls return the same error.
//
// Whitespace and comments outside the root element are skipped (comments
// are reported with ReportComments); the XML declaration is checked and not
// reported.
func (r *Reader) Next() (Kind, error) {
	if r.err != nil {
		return None, r.err
	}
	if r.pendingEnd {
		r.pendingEnd = false
		r.pendingPop = true
		r.kind = EndElement
		return EndElement, nil
	}
	if r.pendingPop {
		r.pop()
	}
	r.text, r.cdata, r.wsKnown = nil, false, false
	r.attrs = r.attrs[:0]
	r.decls = r.decls[:0]
	r.scratch = r.scratch[:0]
	k, err := r.advance()
	if err != nil {
		r.err = err
		r.kind = None
		return None, err
	}
	r.kind = k
	return k, nil
}

// Kind returns the kind of the current node.
func (r *Reader) Kind() Kind { return r.kind }

// Depth returns the nesting depth of the current node: 1 on the root
// element's start and end tags, 2 for its children and its text, 0 before
// the root and after it. An element's children and character content are
// one level deeper than the element itself.
func (r *Reader) Depth() int {
	d := len(r.stack)
	if d > 0 && (r.kind == Text || r.kind == Comment) {
		d++
	}
	return d
}

// current returns the element the reader is on, or nil when it is not on a
// start or end tag.
func (r *Reader) current() *openElem {
	if (r.kind == StartElement || r.kind == EndElement) && len(r.stack) > 0 {
		return &r.stack[len(r.stack)-1]
	}
	return nil
}

// Local returns the local name of the current start or end element.
func (r *Reader) Local() []byte {
	if e := r.current(); e != nil {
		return e.name[e.colon+1:]
	}
	return nil
}

// Prefix returns the prefix of the current start or end element (empty when
// unprefixed).
func (r *Reader) Prefix() []byte {
	if e := r.current(); e != nil && e.colon >= 0 {
		return e.name[:e.colon:e.colon]
	}
	return nil
}

// Namespace returns the resolved namespace URI of the current start or end
// element (empty for no namespace).
func (r *Reader) Namespace() []byte {
	if e := r.current(); e != nil {
		return e.ns
	}
	return nil
}

// Is reports whether the current start or end element has the given local
// name and namespace. It does not allocate.
func (r *Reader) Is(local, ns string) bool {
	e := r.current()
	return e != nil && string(e.name[e.colon+1:]) == local && string(e.ns) == ns
}

// AttrCount returns the number of attributes of the current start element,
// not counting namespace declarations.
func (r *Reader) AttrCount() int { return len(r.attrs) }

// Attr returns the i'th attribute of the current start element. It panics
// if i is out of range, as indexing a slice does.
func (r *Reader) Attr(i int) Attr { return r.attrs[i] }

// AttrValue returns the value of the attribute with the given local name and
// namespace on the current start element.
func (r *Reader) AttrValue(local, ns string) ([]byte, bool) {
	for i := range r.attrs {
		a := &r.attrs[i]
		if string(a.Local) == local && string(a.Namespace) == ns {
			return a.Value, true
		}
	}
	return nil, false
}

// NSDeclCount returns the number of namespace declarations on the current
// start element.
func (r *Reader) NSDeclCount() int { return len(r.decls) }

// NSDecl returns the i'th namespace declaration of the current start
// element. It panics if i is out of range.
func (r *Reader) NSDecl(i int) NSDecl { return r.decls[i] }

// LookupNamespace resolves prefix against the declarations in scope at the
// current node ("" is the default namespace; "xml" is predefined). It is what
// QName-valued text and attributes (xsi:type="p:T") are resolved with.
//
// The result is false when the prefix is not bound; for the empty prefix
// that means no default namespace is in scope (none was declared, or
// xmlns="" undeclared it), so unprefixed names are in no namespace. On an
// EndElement the element's own declarations are still in scope.
func (r *Reader) LookupNamespace(prefix []byte) ([]byte, bool) {
	return r.lookup(prefix)
}

// InScopeNamespaces appends every namespace binding in scope at the current
// node to dst (innermost binding per prefix only) and returns it. It is used
// to lift a subtree out of its document with its context intact.
//
// Bindings are appended outermost first. The predefined xml prefix is not
// included, nor is a default namespace undeclared with xmlns="".
func (r *Reader) InScopeNamespaces(dst []NSDecl) []NSDecl {
	for i := range r.bindings {
		b := &r.bindings[i]
		if len(b.uri) == 0 || r.shadowed(i) {
			continue
		}
		dst = append(dst, NSDecl{Prefix: b.prefix, URI: b.uri})
	}
	return dst
}

// Text returns the content of the current Text or Comment node, with
// references expanded. It aliases the reader's buffers.
func (r *Reader) Text() []byte {
	if r.kind == Text || r.kind == Comment {
		return r.text
	}
	return nil
}

// IsCDATA reports whether the current Text node came from a CDATA section.
func (r *Reader) IsCDATA() bool { return r.kind == Text && r.cdata }

// IsWhitespace reports whether the current Text node is only XML whitespace.
func (r *Reader) IsWhitespace() bool {
	if r.kind != Text {
		return false
	}
	if !r.wsKnown {
		r.wsOnly = isAllSpace(r.text)
		r.wsKnown = true
	}
	return r.wsOnly
}

// ReadElementText must be called on a StartElement. It reads the element's
// character content (text and CDATA, comments skipped) up to its end tag,
// appends it to dst and returns the result; the reader is left on the
// element's EndElement. A child element is an InvalidFormat error. The
// accumulated text is bounded by MaxTokenBytes.
//
// Calling it on another kind of node is an InvalidOperation error that
// leaves the reader unchanged; every other error leaves it failed.
func (r *Reader) ReadElementText(dst []byte) ([]byte, error) {
	if r.err != nil {
		return dst, r.err
	}
	if r.kind != StartElement {
		return dst, errors.Errorf(errors.InvalidOperation,
			"ReadElementText called on a %v node; it must be called on a StartElement", r.kind).WithOp(readOp)
	}
	name := r.current().name
	total := 0
	for {
		k, err := r.Next()
		if err != nil {
			return dst, err
		}
		switch k {
		case Text:
			total += len(r.text)
			if total > r.opts.MaxTokenBytes {
				r.err = r.quotaAt(r.pos, "MaxTokenBytes", "the text of element <%s> is longer than MaxTokenBytes (%d bytes)",
					snippet(name), r.opts.MaxTokenBytes)
				r.kind = None
				return dst, r.err
			}
			dst = append(dst, r.text...)
		case EndElement:
			return dst, nil
		case StartElement:
			e := r.current()
			parent := r.stack[len(r.stack)-2]
			r.err = r.errAt(r.pos, "element <%s> has a child element <%s> where only text is expected",
				snippet(parent.name), snippet(e.name))
			r.kind = None
			return dst, r.err
		}
	}
}

// Skip must be called on a StartElement; it skips the element's content and
// leaves the reader on the element's EndElement. Calling it on another kind
// of node is an InvalidOperation error that leaves the reader unchanged.
func (r *Reader) Skip() error {
	if r.err != nil {
		return r.err
	}
	if r.kind != StartElement {
		return errors.Errorf(errors.InvalidOperation,
			"Skip called on a %v node; it must be called on a StartElement", r.kind).WithOp(readOp)
	}
	depth := len(r.stack)
	for {
		k, err := r.Next()
		if err != nil {
			return err
		}
		if k == EndElement && len(r.stack) == depth {
			return nil
		}
	}
}

// Offset returns the number of input bytes consumed so far: the document
// offset just past the current node.
func (r *Reader) Offset() int64 { return r.base + int64(r.next) }

// Line returns the 1-based line number of the current position, for error
// messages: the line on which the current node starts.
func (r *Reader) Line() int { return r.lineAt(r.pos) }
