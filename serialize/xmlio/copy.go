package xmlio

import "github.com/wsgo/wsgo/errors"

// CopyOptions adjusts CopyElement. The zero value copies the element as it
// is, without comments.
type CopyOptions struct {
	// RootDecls are namespace declarations added to the copy's root, such as
	// the bindings in scope at the source element (Reader.InScopeNamespaces)
	// that a subtree lifted out of its document needs to stand alone.
	// Bindings already in scope in the Writer are not repeated; the "xml"
	// prefix and an empty default namespace are skipped.
	RootDecls []NSDecl

	// SkipRootAttr, when set, drops the root's attributes it returns true
	// for.
	SkipRootAttr func(Attr) bool

	// OnRoot, when set, is called with the root's start tag still open,
	// after its declarations and attributes, to add more.
	OnRoot func(w *Writer)

	// Comments copies comments (the reader reports them only with
	// Options.ReportComments); by default they are dropped.
	Comments bool
}

// CopyElement copies the element r is on (a StartElement) with all its
// content to w and leaves r on the element's end tag. It is WWSAPI's
// WsCopyNode for an element. Prefixes, namespace declarations, attribute
// values, text and CDATA sections are kept; the writer leaves out
// declarations already in scope. It returns the reader's error, an
// InvalidFormat error if the document ends inside the element, or the
// writer's sticky error.
func CopyElement(w *Writer, r *Reader, opts *CopyOptions) error {
	if r.Kind() != StartElement {
		return errors.Errorf(errors.InvalidOperation, "CopyElement needs the reader on a start tag, not on %v", r.Kind())
	}
	if opts == nil {
		opts = &CopyOptions{}
	}
	depth := r.Depth()
	for {
		switch r.Kind() {
		case StartElement:
			root := r.Depth() == depth
			w.StartElement(string(r.Prefix()), string(r.Local()), string(r.Namespace()))
			for i := range r.NSDeclCount() {
				d := r.NSDecl(i)
				w.DeclareNamespace(string(d.Prefix), string(d.URI))
			}
			if root {
				for _, d := range opts.RootDecls {
					if string(d.Prefix) != "xml" && (len(d.Prefix) > 0 || len(d.URI) > 0) {
						w.DeclareNamespace(string(d.Prefix), string(d.URI))
					}
				}
			}
			for i := range r.AttrCount() {
				a := r.Attr(i)
				if root && opts.SkipRootAttr != nil && opts.SkipRootAttr(a) {
					continue
				}
				w.AttrBytes(string(a.Prefix), string(a.Local), string(a.Namespace), a.Value)
			}
			if root && opts.OnRoot != nil {
				opts.OnRoot(w)
			}
		case Text:
			if r.IsCDATA() {
				w.CData(string(r.Text()))
			} else {
				w.TextBytes(r.Text())
			}
		case Comment:
			if opts.Comments {
				w.Comment(string(r.Text()))
			}
		case EndElement:
			w.EndElement()
			if r.Depth() == depth {
				return w.Err()
			}
		case EOF:
			// The reader reports unclosed elements itself; this guards a
			// reader that was positioned past its input.
			return errors.Errorf(errors.InvalidFormat, "line %d: the document ends inside the element being copied", r.Line())
		}
		if _, err := r.Next(); err != nil {
			return err
		}
	}
}
