package message

import (
	"encoding/xml"
	"reflect"
	"sync"

	"github.com/wsgo/wsgo/serialize"
)

// elementNames caches serialize.ElementName per Go type (reflect.Type →
// elementName): the name depends on the type alone, and working it out
// walks the struct's fields and splits a tag, which ReadBody would
// otherwise repeat for every message it reads.
var elementNames sync.Map

// elementName is one cached answer of serialize.ElementName.
type elementName struct {
	name xml.Name
	ok   bool
}

// elementNameOf returns serialize.ElementName(v), cached per type of v.
func elementNameOf(v any) (xml.Name, bool) {
	t := reflect.TypeOf(v)
	if t == nil {
		return xml.Name{}, false
	}
	if e, ok := elementNames.Load(t); ok {
		en := e.(elementName)
		return en.name, en.ok
	}
	name, ok := serialize.ElementName(v)
	elementNames.Store(t, elementName{name: name, ok: ok})
	return name, ok
}
