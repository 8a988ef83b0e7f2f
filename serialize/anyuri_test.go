package serialize

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestAnyURI(t *testing.T) {
	valid := map[string]string{
		"http://example.com/a?b=c#d": "http://example.com/a?b=c#d",
		"  urn:uuid:6b29fc40  ":      "urn:uuid:6b29fc40",
		"../rel/path":                "../rel/path",
		"":                           "",
		"http://exämple.com/a b":     "http://exämple.com/a b", // XLink escaping makes these legal
		"http://example.com/%20%2f":  "http://example.com/%20%2f",
		"http://www.w3.org/2005/08/addressing/anonymous": "http://www.w3.org/2005/08/addressing/anonymous",
	}
	for in, want := range valid {
		u, err := ParseAnyURI(in)
		if err != nil || string(u) != want {
			t.Errorf("ParseAnyURI(%q) = %q, %v; want %q", in, u, err, want)
		}
	}
	for _, in := range []string{"http://x/\x01", "http://x/%G1", "http://x/%2", ":nothing", "a\x7fb"} {
		u := AnyURI("keep")
		if err := u.UnmarshalText([]byte(in)); errors.CodeOf(err) != errors.InvalidFormat {
			t.Errorf("UnmarshalText(%q) = %v, want InvalidFormat", in, err)
		} else if u != "keep" {
			t.Errorf("UnmarshalText(%q) changed the value on error to %q", in, u)
		}
	}
}

func TestAnyURIField(t *testing.T) {
	type Ref struct {
		XMLName xml.Name `xml:"urn:t Ref"`
		Address AnyURI   `xml:"Address"`
		Kind    AnyURI   `xml:"kind,attr"`
	}
	in := Ref{Address: "http://example.com/svc", Kind: "urn:kind"}
	b, err := Marshal(&in)
	if err != nil {
		t.Fatal(err)
	}
	var out Ref
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Address != in.Address || out.Kind != in.Kind {
		t.Errorf("round trip: %+v, want %+v (xml %s)", out, in, b)
	}
	err = Unmarshal([]byte(`<Ref xmlns="urn:t"><Address>http://x/%zz</Address></Ref>`), &out)
	if errors.CodeOf(err) != errors.InvalidFormat {
		t.Fatalf("bad anyURI element: %v, want InvalidFormat", err)
	}
	if got := err.Error(); !strings.Contains(got, "Ref/Address") || !strings.Contains(got, "anyURI") {
		t.Errorf("error %q should name the path and the type", got)
	}
}
