package serialize

import (
	"bytes"
	"strconv"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// QName is an xsd:QName value: a namespace and a local name. It is written
// as prefix:local with a prefix bound to Space in the writer's scope (one is
// declared on the element if none is bound), and read by resolving the
// prefix of the text against the namespaces in scope at the element, as
// XML Schema requires.
type QName struct {
	Space, Local string
}

// String returns the name in {Space}Local notation.
func (q QName) String() string { return clark(q.Space, q.Local) }

// qnamePrefix returns the prefix to write a name in namespace ns with,
// declaring a fresh one on the open start tag when ns is not bound in scope.
// A name in no namespace is written unprefixed, which is only possible
// where no default namespace is in scope.
func (e *encoder) qnamePrefix(q QName) (string, error) {
	if q.Space == "" {
		if _, ok := e.w.PrefixFor(""); !ok && q.Local != "" {
			return "", errors.Errorf(errors.InvalidArgument,
				"QName %q has no namespace, but a default namespace is in scope here, so the unprefixed name would be read as a name in that namespace; give the QName its namespace (QName.Space) or write it where no default namespace is in scope", q.Local)
		}
		return "", nil
	}
	if p, ok := e.w.PrefixFor(q.Space); ok {
		return p, nil
	}
	e.qnames++
	p := "q" + strconv.Itoa(e.qnames)
	e.w.DeclareNamespace(p, q.Space)
	return p, nil
}

// appendQName appends the lexical form of q to dst.
func (e *encoder) appendQName(dst []byte, q QName) ([]byte, error) {
	p, err := e.qnamePrefix(q)
	if err != nil {
		return dst, err
	}
	if p != "" {
		dst = append(dst, p...)
		dst = append(dst, ':')
	}
	return append(dst, q.Local...), nil
}

// parseQName resolves the lexical QName b against the reader's scope.
func parseQName(r *xmlio.Reader, b []byte) (ns, local []byte, err error) {
	b = trimSpace(b)
	if len(b) == 0 {
		return nil, nil, nil // the zero QName, as written for QName{}
	}
	prefix, local := []byte(nil), b
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		prefix, local = b[:i], b[i+1:]
	}
	if len(local) == 0 || bytes.IndexByte(local, ':') >= 0 || (prefix != nil && len(prefix) == 0) {
		return nil, nil, errors.Errorf(errors.InvalidFormat, "value %s is not a valid xsd:QName", quoteText(b))
	}
	ns, ok := r.LookupNamespace(prefix)
	if !ok {
		if len(prefix) == 0 {
			return nil, local, nil // no default namespace: no namespace
		}
		return nil, nil, errors.Errorf(errors.InvalidFormat,
			"value %s is not a valid xsd:QName: prefix %q is not declared", quoteText(b), prefix)
	}
	return ns, local, nil
}
