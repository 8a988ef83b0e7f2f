package xmlio

import "io"

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
type Reader struct {
	_ int
}

// NewReader returns a Reader over a complete document held in data. The
// reader does not modify data; slices it returns may alias it.
func NewReader(data []byte, opts *Options) *Reader { panic("xmlio: Reader not yet implemented") }

// NewStreamReader returns a Reader that reads the document from src through
// a window that grows only as far as one token needs (bounded by
// MaxTokenBytes).
func NewStreamReader(src io.Reader, opts *Options) *Reader {
	panic("xmlio: Reader not yet implemented")
}

// Reset makes r read data from the start, keeping its options and buffers.
func (r *Reader) Reset(data []byte) {}

// ResetStream makes r read from src from the start, keeping options and buffers.
func (r *Reader) ResetStream(src io.Reader) {}

// Next advances to the next node and returns its kind. At the end of the
// document it returns EOF with a nil error; every failure is an
// *errors.Error (InvalidFormat or QuotaExceeded, or the stream's read error
// wrapped as EndpointDisconnected/Other) and leaves the reader failed: later
// calls return the same error.
func (r *Reader) Next() (Kind, error) { return EOF, nil }

// Kind returns the kind of the current node.
func (r *Reader) Kind() Kind { return None }

// Depth returns the nesting depth of the current node: 1 on the root
// element's start and end tags, 2 for its children and its text, 0 before
// the root and after it.
func (r *Reader) Depth() int { return 0 }

// Local returns the local name of the current start or end element.
func (r *Reader) Local() []byte { return nil }

// Prefix returns the prefix of the current start or end element (empty when
// unprefixed).
func (r *Reader) Prefix() []byte { return nil }

// Namespace returns the resolved namespace URI of the current start or end
// element (empty for no namespace).
func (r *Reader) Namespace() []byte { return nil }

// Is reports whether the current start or end element has the given local
// name and namespace. It does not allocate.
func (r *Reader) Is(local, ns string) bool { return false }

// AttrCount returns the number of attributes of the current start element,
// not counting namespace declarations.
func (r *Reader) AttrCount() int { return 0 }

// Attr returns the i'th attribute of the current start element.
func (r *Reader) Attr(i int) Attr { return Attr{} }

// AttrValue returns the value of the attribute with the given local name and
// namespace on the current start element.
func (r *Reader) AttrValue(local, ns string) ([]byte, bool) { return nil, false }

// NSDeclCount returns the number of namespace declarations on the current
// start element.
func (r *Reader) NSDeclCount() int { return 0 }

// NSDecl returns the i'th namespace declaration of the current start element.
func (r *Reader) NSDecl(i int) NSDecl { return NSDecl{} }

// LookupNamespace resolves prefix against the declarations in scope at the
// current node ("" is the default namespace; "xml" is predefined). It is what
// QName-valued text and attributes (xsi:type="p:T") are resolved with.
func (r *Reader) LookupNamespace(prefix []byte) ([]byte, bool) { return nil, false }

// InScopeNamespaces appends every namespace binding in scope at the current
// node to dst (innermost binding per prefix only) and returns it. It is used
// to lift a subtree out of its document with its context intact.
func (r *Reader) InScopeNamespaces(dst []NSDecl) []NSDecl { return dst }

// Text returns the content of the current Text or Comment node, with
// references expanded. It aliases the reader's buffers.
func (r *Reader) Text() []byte { return nil }

// IsCDATA reports whether the current Text node came from a CDATA section.
func (r *Reader) IsCDATA() bool { return false }

// IsWhitespace reports whether the current Text node is only XML whitespace.
func (r *Reader) IsWhitespace() bool { return false }

// ReadElementText must be called on a StartElement. It reads the element's
// character content (text and CDATA, comments skipped) up to its end tag,
// appends it to dst and returns the result; the reader is left on the
// element's EndElement. A child element is an InvalidFormat error. The
// accumulated text is bounded by MaxTokenBytes.
func (r *Reader) ReadElementText(dst []byte) ([]byte, error) { return dst, nil }

// Skip must be called on a StartElement; it skips the element's content and
// leaves the reader on the element's EndElement.
func (r *Reader) Skip() error { return nil }

// Offset returns the number of input bytes consumed so far.
func (r *Reader) Offset() int64 { return 0 }

// Line returns the 1-based line number of the current position, for error
// messages.
func (r *Reader) Line() int { return 1 }
