package message

import (
	"encoding/xml"
	"testing"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/serialize"
)

type namedWithSpace struct {
	XMLName xml.Name `xml:"urn:t Named"`
}

type namedLocal struct {
	XMLName xml.Name `xml:"Local"`
}

type namedNone struct {
	XMLName xml.Name
	A       int
}

type namedDash struct {
	XMLName xml.Name `xml:"-"`
}

type unnamed struct{ A int }

// TestElementNameOfMatchesSerialize checks the cached element names
// against serialize.ElementName, on the first call of each type (the
// miss) and on the later ones (the hits), for pointers, values and values
// that name no element.
func TestElementNameOfMatchesSerialize(t *testing.T) {
	var el *etree.Element
	values := []any{
		&namedWithSpace{}, namedWithSpace{}, &namedLocal{}, &namedNone{}, &namedDash{}, &unnamed{},
		new(*namedLocal), &el, new(int), "text", []byte("x"),
	}
	for round := 0; round < 3; round++ {
		for _, v := range values {
			gotName, gotOK := elementNameOf(v)
			wantName, wantOK := serialize.ElementName(v)
			if gotName != wantName || gotOK != wantOK {
				t.Errorf("round %d, %T: elementNameOf = %v, %v; serialize.ElementName = %v, %v", round, v, gotName, gotOK, wantName, wantOK)
			}
		}
	}
	if name, ok := elementNameOf(nil); ok || name != (xml.Name{}) {
		t.Errorf("elementNameOf(nil) = %v, %v, want no name", name, ok)
	}
	if name, _ := elementNameOf(&namedWithSpace{}); name != (xml.Name{Space: "urn:t", Local: "Named"}) {
		t.Errorf("elementNameOf(*namedWithSpace) = %v", name)
	}
}
