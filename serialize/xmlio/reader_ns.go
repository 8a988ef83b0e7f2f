package xmlio

import "bytes"

// The namespace URIs Namespaces in XML 1.0 reserves.
const (
	xmlNamespace   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNamespace = "http://www.w3.org/2000/xmlns/"
)

var (
	xmlNamespaceBytes   = []byte(xmlNamespace)
	xmlnsNamespaceBytes = []byte(xmlnsNamespace)
)

// openElem is an element whose start tag has been read and whose end tag
// has not. Its slices point into the reader's arenas, so they survive
// window compaction; they stay valid until the element is popped.
type openElem struct {
	name   []byte // qualified name, in nameArena
	colon  int    // index of ':' in name, -1 when unprefixed
	ns     []byte // resolved namespace (a binding's URI), nil for none
	nbind  int    // len(bindings) before the element's declarations
	nsMark int    // len(nsArena) before the element's declarations
}

// binding is one namespace declaration in scope.
type binding struct {
	prefix []byte // in nsArena; empty for the default namespace
	uri    []byte // in nsArena; empty when xmlns="" undeclares the default
}

// bind records a declaration of the element being read. Validation of the
// prefix and URI against the reserved names is done by the caller.
func (r *Reader) bind(prefix, uri []byte) binding {
	mark := len(r.nsArena)
	r.nsArena = append(r.nsArena, prefix...)
	r.nsArena = append(r.nsArena, uri...)
	a := r.nsArena
	b := binding{
		prefix: a[mark : mark+len(prefix) : mark+len(prefix)],
		uri:    a[mark+len(prefix) : len(a) : len(a)],
	}
	r.bindings = append(r.bindings, b)
	return b
}

// lookup resolves a prefix against the bindings in scope.
func (r *Reader) lookup(prefix []byte) ([]byte, bool) {
	for i := len(r.bindings) - 1; i >= 0; i-- {
		b := &r.bindings[i]
		if len(b.prefix) == len(prefix) && bytes.Equal(b.prefix, prefix) {
			return b.uri, len(b.uri) > 0
		}
	}
	switch string(prefix) {
	case "xml":
		return xmlNamespaceBytes, true
	case "xmlns":
		return xmlnsNamespaceBytes, true
	}
	return nil, false
}

// shadowed reports whether binding i is hidden by a later binding of the
// same prefix.
func (r *Reader) shadowed(i int) bool {
	p := r.bindings[i].prefix
	for j := i + 1; j < len(r.bindings); j++ {
		if bytes.Equal(r.bindings[j].prefix, p) {
			return true
		}
	}
	return false
}

// pop ends the scope of the innermost open element.
func (r *Reader) pop() {
	r.pendingPop = false
	e := &r.stack[len(r.stack)-1]
	r.bindings = r.bindings[:e.nbind]
	r.nsArena = r.nsArena[:e.nsMark]
	r.nameArena = r.nameArena[:len(r.nameArena)-len(e.name)] // names are stacked in the arena
	r.stack = r.stack[:len(r.stack)-1]
}
