package xmlio

import (
	"strings"
	"testing"
)

// TestAppendEscapedMatchesWriter pins that the exported escapers produce
// exactly what the Writer writes, since the serializer assembles markup
// with them for Writer.Raw.
func TestAppendEscapedMatchesWriter(t *testing.T) {
	inputs := []string{"", "plain", `a<b>&"c'`, "tab\tnl\ncr\r", "]]>", "été 日本 😀", "x\x00y", "bad\xffutf8", "\uFFFE"}
	for _, in := range inputs {
		w := NewBufferWriter(nil)
		w.StartElement("", "e", "")
		w.Attr("", "a", "", in)
		w.Text(in)
		w.EndElement()
		wantOK := w.Err() == nil

		text, okText := AppendEscapedText([]byte("pre"), in)
		attr, okAttr := AppendEscapedAttr([]byte("pre"), in)
		if okText != wantOK || okAttr != wantOK {
			t.Errorf("%q: ok text=%v attr=%v, writer accepted=%v", in, okText, okAttr, wantOK)
			continue
		}
		if !wantOK {
			if string(text) != "pre" || string(attr) != "pre" {
				t.Errorf("%q: refused input changed dst: %q %q", in, text, attr)
			}
			continue
		}
		want := `<e a="` + strings.TrimPrefix(string(attr), "pre") + `">` + strings.TrimPrefix(string(text), "pre") + `</e>`
		if got := string(w.Bytes()); got != want {
			t.Errorf("%q: writer wrote %s, escapers give %s", in, got, want)
		}
	}
}
