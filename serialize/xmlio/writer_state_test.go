package xmlio_test

import (
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// TestWriterStateTable checks, state by state, which calls the writer
// allows: every method is tried in every state; an allowed call records no
// error, a refused one records InvalidOperation and changes nothing.
func TestWriterStateTable(t *testing.T) {
	states := []struct {
		name    string
		setup   func(w *xmlio.Writer)
		allowed []string
	}{
		{"before root", func(w *xmlio.Writer) {},
			[]string{"WriteDeclaration", "StartElement", "Comment", "Raw"}},
		{"in start tag", func(w *xmlio.Writer) { wrtRoot(w) },
			[]string{"StartElement", "EndElement", "Attr", "AttrBytes", "StartAttr", "DeclareNamespace",
				"Text", "TextBytes", "Base64", "Hex", "Int", "Uint", "CData", "AppendText", "Comment", "Raw"}},
		{"in content", func(w *xmlio.Writer) { wrtRoot(w); w.Text("x") },
			[]string{"StartElement", "EndElement",
				"Text", "TextBytes", "Base64", "Hex", "Int", "Uint", "CData", "AppendText", "Comment", "Raw"}},
		{"after root", func(w *xmlio.Writer) { wrtRoot(w); w.EndElement() },
			[]string{"Comment", "Raw"}},
		{"AppendText pending", func(w *xmlio.Writer) { wrtRoot(w); _ = w.AppendText() },
			[]string{"CommitText"}},
		{"StartAttr pending", func(w *xmlio.Writer) { wrtRoot(w); _ = w.StartAttr("", "n", "") },
			[]string{"EndAttr"}},
	}
	calls := []struct {
		name string
		call func(w *xmlio.Writer)
	}{
		{"WriteDeclaration", func(w *xmlio.Writer) { w.WriteDeclaration() }},
		{"StartElement", func(w *xmlio.Writer) { w.StartElement("", "c", "") }},
		{"EndElement", func(w *xmlio.Writer) { w.EndElement() }},
		{"Attr", func(w *xmlio.Writer) { w.Attr("", "a", "", "v") }},
		{"AttrBytes", func(w *xmlio.Writer) { w.AttrBytes("", "a", "", []byte("v")) }},
		{"StartAttr", func(w *xmlio.Writer) { _ = w.StartAttr("", "a", "") }},
		{"DeclareNamespace", func(w *xmlio.Writer) { w.DeclareNamespace("q", "urn:q") }},
		{"Text", func(w *xmlio.Writer) { w.Text("t") }},
		{"TextBytes", func(w *xmlio.Writer) { w.TextBytes([]byte("t")) }},
		{"Base64", func(w *xmlio.Writer) { w.Base64([]byte{1}) }},
		{"Hex", func(w *xmlio.Writer) { w.Hex([]byte{1}) }},
		{"Int", func(w *xmlio.Writer) { w.Int(1) }},
		{"Uint", func(w *xmlio.Writer) { w.Uint(1) }},
		{"CData", func(w *xmlio.Writer) { w.CData("c") }},
		{"AppendText", func(w *xmlio.Writer) { _ = w.AppendText() }},
		{"Comment", func(w *xmlio.Writer) { w.Comment("c") }},
		{"Raw", func(w *xmlio.Writer) { w.Raw([]byte("<x/>")) }},
		{"CommitText", func(w *xmlio.Writer) { w.CommitText(w.Bytes()) }},
		{"EndAttr", func(w *xmlio.Writer) { w.EndAttr(w.Bytes()) }},
	}
	for _, st := range states {
		allowed := make(map[string]bool)
		for _, c := range st.allowed {
			allowed[c] = true
		}
		for _, c := range calls {
			t.Run(st.name+"/"+c.name, func(t *testing.T) {
				w := xmlio.NewBufferWriter(nil)
				st.setup(w)
				if err := w.Err(); err != nil {
					t.Fatalf("setup: %v", err)
				}
				before, depth := string(w.Bytes()), w.Depth()
				c.call(w)
				err := w.Err()
				switch {
				case allowed[c.name] && err != nil:
					t.Errorf("refused, want allowed: %v", err)
				case !allowed[c.name] && errors.CodeOf(err) != errors.InvalidOperation:
					t.Errorf("Err() = %v, want InvalidOperation", err)
				case !allowed[c.name] && (string(w.Bytes()) != before || w.Depth() != depth):
					t.Errorf("refused call changed the writer: output %q -> %q, depth %d -> %d", before, w.Bytes(), depth, w.Depth())
				}
			})
		}
	}
}
