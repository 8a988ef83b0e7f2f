package wssec

import (
	"sort"

	"github.com/beevik/etree"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/wsgo/wsgo/errors"
)

// canonical returns the Exclusive XML Canonicalization (without comments)
// of el as it stands in its document: a copy of el receives the namespace
// declarations in scope from its ancestors (goxmldsig's canonicalizer
// would otherwise find their prefixes undeclared), goxmldsig's exc-c14n
// transform keeps those visibly used (and those of prefixList), and the
// result is written in canonical form.
func canonical(el *etree.Element, prefixList string) ([]byte, error) {
	cp := detach(el)
	if err := etreeutils.TransformExcC14n(cp, prefixList, false); err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "canonicalize <%s>: %v", el.FullTag(), err)
	}
	sortAttrs(cp, nil)
	doc := etree.NewDocument()
	doc.SetRoot(cp)
	doc.WriteSettings = etree.WriteSettings{CanonicalEndTags: true, CanonicalText: true, CanonicalAttrVal: true}
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, errors.Errorf(errors.InvalidFormat, "canonicalize <%s>: %v", el.FullTag(), err)
	}
	return b, nil
}

// detach copies el with the namespace declarations of its ancestors that
// el does not redeclare itself.
func detach(el *etree.Element) *etree.Element {
	cp := el.Copy()
	seen := make(map[string]bool)
	for _, a := range el.Attr {
		if k, ok := nsKey(a); ok {
			seen[k] = true
		}
	}
	for p := el.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if k, ok := nsKey(a); ok && !seen[k] {
				seen[k] = true
				cp.Attr = append(cp.Attr, a)
			}
		}
	}
	return cp
}

// nsKey names the prefix a namespace declaration binds ("" for the
// default namespace).
func nsKey(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}

// sortAttrs puts the attributes of el and its descendants in C14N order:
// namespace declarations first (the default one, then by prefix), then
// attributes by namespace URI and local name (unqualified ones, in no
// namespace, first). goxmldsig's order compares prefixes rather than
// namespace URIs for attributes of different namespaces.
func sortAttrs(el *etree.Element, scope *nsScope) {
	scope = scope.push(el)
	type keyed struct {
		a      etree.Attr
		isNS   bool
		ns, lk string
	}
	ks := make([]keyed, len(el.Attr))
	for i, a := range el.Attr {
		k := keyed{a: a, lk: a.Key}
		if p, ok := nsKey(a); ok {
			k.isNS, k.lk = true, p
		} else if a.Space != "" {
			k.ns = scope.lookup(a.Space)
		}
		ks[i] = k
	}
	sort.SliceStable(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.isNS != b.isNS {
			return a.isNS
		}
		if a.ns != b.ns {
			return a.ns < b.ns
		}
		return a.lk < b.lk
	})
	for i := range ks {
		el.Attr[i] = ks[i].a
	}
	for _, c := range el.ChildElements() {
		sortAttrs(c, scope)
	}
}
