package serialize

import (
	"encoding/xml"
	"reflect"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// fieldMode says what a struct field maps to, as encoding/xml's tag options
// do.
type fieldMode uint8

const (
	modeElement  fieldMode = iota // a child element (the default)
	modeAttr                      // ,attr
	modeCharData                  // ,chardata
	modeCData                     // ,cdata
	modeInnerXML                  // ,innerxml
	modeComment                   // ,comment
	modeAny                       // ,any: every child element no other field claims
	modeAnyAttr                   // ,any,attr: every attribute no other field claims
	modeXMLName                   // the XMLName field
)

// tag is one parsed `xml:"..."` struct tag.
type tag struct {
	ns, name  string   // namespace and local name; name may be empty
	parents   []string // a>b>c: "a", "b"
	mode      fieldMode
	omitEmpty bool
	nillable  bool // wsgo extension (",nillable" or `wsgo:"nillable"`): write nil as xsi:nil="true"
}

// parseTag splits an xml struct tag into its parts, following the rules of
// encoding/xml (see go doc encoding/xml Marshal). It reports an
// InvalidArgument error for combinations encoding/xml rejects too.
func parseTag(owner reflect.Type, f reflect.StructField) (tag, error) {
	var t tag
	raw := f.Tag.Get("xml")
	opts := strings.Split(raw, ",")
	name := opts[0]
	anyOpt, attrOpt := false, false
	for _, o := range opts[1:] {
		switch o {
		case "attr":
			attrOpt = true
		case "chardata":
			t.mode = modeCharData
		case "cdata":
			t.mode = modeCData
		case "innerxml":
			t.mode = modeInnerXML
		case "comment":
			t.mode = modeComment
		case "any":
			anyOpt = true
		case "omitempty":
			t.omitEmpty = true
		case "nillable":
			t.nillable = true
		}
	}
	for _, o := range strings.Split(f.Tag.Get("wsgo"), ",") {
		if o == "nillable" {
			t.nillable = true
		}
	}
	switch {
	case attrOpt && anyOpt:
		t.mode = modeAnyAttr
	case attrOpt:
		if t.mode != modeElement {
			return t, badTag(owner, f, "attr cannot be combined with chardata, cdata, innerxml or comment")
		}
		t.mode = modeAttr
	case anyOpt:
		if t.mode != modeElement {
			return t, badTag(owner, f, "any cannot be combined with chardata, cdata, innerxml or comment")
		}
		t.mode = modeAny
	}
	if i := strings.Index(name, " "); i >= 0 {
		t.ns, name = name[:i], name[i+1:]
	}
	if f.Name == "XMLName" {
		t.mode = modeXMLName
		t.name = name
		return t, nil
	}
	switch t.mode {
	case modeCharData, modeCData, modeInnerXML, modeComment:
		if name != "" || t.ns != "" {
			return t, badTag(owner, f, "a chardata, cdata, innerxml or comment field takes no name")
		}
		return t, nil
	}
	if name == "" {
		// encoding/xml: the name comes from the XMLName tag of the field's
		// type when it has one, else from the Go field name.
		if xn, ok := typeElementName(f.Type); ok && t.mode != modeAttr && t.mode != modeAnyAttr {
			t.ns, t.name = xn.Space, xn.Local
		} else {
			t.name = f.Name
		}
		return t, nil
	}
	parts := strings.Split(name, ">")
	if parts[0] == "" {
		parts[0] = f.Name
	}
	if parts[len(parts)-1] == "" {
		return t, badTag(owner, f, "trailing '>' in the element path")
	}
	t.name = parts[len(parts)-1]
	if len(parts) > 1 {
		if t.mode != modeElement && t.mode != modeAny {
			return t, badTag(owner, f, "an a>b path is only valid on element fields")
		}
		t.parents = parts[:len(parts)-1]
	}
	return t, nil
}

func badTag(owner reflect.Type, f reflect.StructField, why string) error {
	return errors.Errorf(errors.InvalidArgument, "serialize: field %s.%s has tag `xml:%q`: %s",
		owner, f.Name, f.Tag.Get("xml"), why)
}

// typeElementName returns the name in the XMLName field tag of t (following
// pointers), as encoding/xml's lookupXMLName.
func typeElementName(t reflect.Type) (xml.Name, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return xml.Name{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name != "XMLName" {
			continue
		}
		raw := strings.Split(f.Tag.Get("xml"), ",")[0]
		if raw == "" || raw == "-" {
			return xml.Name{}, false
		}
		if i := strings.Index(raw, " "); i >= 0 {
			return xml.Name{Space: raw[:i], Local: raw[i+1:]}, raw[i+1:] != ""
		}
		return xml.Name{Local: raw}, true
	}
	return xml.Name{}, false
}
