package serialize

import (
	"encoding/xml"
	"fmt"
	"reflect"
	"sync"
)

// Registry maps XML names to Go types for fields whose static type is an
// interface: xsi:type names (derived types, RegisterType) and element names
// (xs:choice and substitution groups, RegisterElement). It is safe for
// concurrent use; register types at start-up, before the first message that
// needs them.
type Registry struct {
	mu         sync.RWMutex
	typeByName map[string]map[string]regEntry // namespace → local → type
	nameByType map[reflect.Type]xml.Name
	elemByName map[string]map[string]regEntry
	nameByElem map[reflect.Type]xml.Name
}

// regEntry is a registered Go type: the struct (or other) type and whether
// the sample was a pointer to it, which is how a decoded value is stored in
// the interface.
type regEntry struct {
	typ reflect.Type
	ptr bool
}

// DefaultRegistry is used when Options.Types is nil.
var DefaultRegistry = NewRegistry()

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry {
	return &Registry{
		typeByName: make(map[string]map[string]regEntry),
		nameByType: make(map[reflect.Type]xml.Name),
		elemByName: make(map[string]map[string]regEntry),
		nameByElem: make(map[reflect.Type]xml.Name),
	}
}

// RegisterType binds the XML schema type name typeName (the value of
// xsi:type) to the Go type of sample, which is usually a pointer to a struct
// type implementing the interface of the fields it may appear in (a derived
// type). Writing such a value into an interface field adds
// xsi:type="p:Local"; reading an element with that xsi:type into an
// interface field creates a value of sample's type (a pointer if sample is
// one). RegisterType panics if sample is nil or if typeName or the type is
// already registered differently.
func (r *Registry) RegisterType(typeName xml.Name, sample any) {
	r.register("RegisterType", r.typeByName, r.nameByType, typeName, sample)
}

// RegisterElement binds the element name elem to the Go type of sample, for
// interface-typed fields tagged ",any" (xs:choice, substitution groups):
// reading such a field picks the Go type by the element's name, and writing
// it uses this name when the value's type has no XMLName tag.
// RegisterElement panics if sample is nil or if elem or the type is already
// registered differently.
func (r *Registry) RegisterElement(elem xml.Name, sample any) {
	r.register("RegisterElement", r.elemByName, r.nameByElem, elem, sample)
}

func (r *Registry) register(op string, byName map[string]map[string]regEntry, byType map[reflect.Type]xml.Name, name xml.Name, sample any) {
	if sample == nil {
		panic("serialize: " + op + " with a nil sample")
	}
	if name.Local == "" {
		panic("serialize: " + op + " with an empty name")
	}
	t := reflect.TypeOf(sample)
	e := regEntry{typ: t}
	if t.Kind() == reflect.Pointer {
		e = regEntry{typ: t.Elem(), ptr: true}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	locals := byName[name.Space]
	if old, ok := locals[name.Local]; ok && old != e {
		panic(fmt.Sprintf("serialize: %s: %s is already registered for %v", op, xmlNameString(name), old.typ))
	}
	if old, ok := byType[e.typ]; ok && old != name {
		panic(fmt.Sprintf("serialize: %s: %v is already registered as %s", op, e.typ, xmlNameString(old)))
	}
	if locals == nil {
		locals = make(map[string]regEntry)
		byName[name.Space] = locals
	}
	locals[name.Local] = e
	byType[e.typ] = name
}

// typeNameOf returns the xsi:type name registered for t (a non-pointer type).
func (r *Registry) typeNameOf(t reflect.Type) (xml.Name, bool) {
	r.mu.RLock()
	n, ok := r.nameByType[t]
	r.mu.RUnlock()
	return n, ok
}

// elementNameOf returns the element name registered for t.
func (r *Registry) elementNameOf(t reflect.Type) (xml.Name, bool) {
	r.mu.RLock()
	n, ok := r.nameByElem[t]
	r.mu.RUnlock()
	return n, ok
}

// lookupType finds the type registered for an xsi:type name; the byte
// slices are not retained and the lookup does not allocate.
func (r *Registry) lookupType(ns, local []byte) (regEntry, bool) {
	r.mu.RLock()
	e, ok := r.typeByName[string(ns)][string(local)]
	r.mu.RUnlock()
	return e, ok
}

// lookupElement finds the type registered for an element name.
func (r *Registry) lookupElement(ns, local []byte) (regEntry, bool) {
	r.mu.RLock()
	e, ok := r.elemByName[string(ns)][string(local)]
	r.mu.RUnlock()
	return e, ok
}
