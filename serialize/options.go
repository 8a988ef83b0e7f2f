package serialize

import "github.com/wsgo/wsgo/serialize/xmlio"

// Options adjust how strictly values are read and which types interface
// fields may take. A nil *Options means the zero value: strict reading and
// DefaultRegistry.
type Options struct {
	// IgnoreUnknown skips child elements no field maps (and stray text)
	// instead of failing with InvalidFormat.
	IgnoreUnknown bool

	// AllowMissing does not fail when a required child element is absent
	// (required: an element field that is not a pointer, slice or interface
	// and not tagged omitempty); the field keeps its zero value.
	AllowMissing bool

	// Types resolves xsi:type names and element names of interface-typed
	// fields to Go types. Nil means DefaultRegistry.
	Types *Registry

	// Reader holds the limits Unmarshal reads its input with (nil: the
	// xmlio defaults). UnmarshalElement uses the reader it is given.
	Reader *xmlio.Options
}

var defaultOptions Options

func (o *Options) orDefault() *Options {
	if o == nil {
		return &defaultOptions
	}
	return o
}

func (o *Options) registry() *Registry {
	if o.Types != nil {
		return o.Types
	}
	return DefaultRegistry
}

// Marshal is the package-level Marshal with these options (xsi:type names
// come from o.Types). o may be nil.
func (o *Options) Marshal(v any) ([]byte, error) {
	return marshalDocument(v, o)
}

// Unmarshal is the package-level Unmarshal with these options: the input
// is read with o.Reader's limits and o's strictness and registry. o may be
// nil.
func (o *Options) Unmarshal(data []byte, v any) error {
	return unmarshalDocument(data, v, o)
}
