package xmlio

import (
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestCopyElement(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		opts func(r *Reader) *CopyOptions
		want string
	}{
		{
			name: "as is",
			doc:  `<a:r xmlns:a="urn:a" x="1"><b xmlns="urn:b"><c xmlns=""><![CDATA[<t>]]>&amp;</c></b></a:r>`,
			want: `<a:r xmlns:a="urn:a" x="1"><b xmlns="urn:b"><c xmlns=""><![CDATA[<t>]]>&amp;</c></b></a:r>`,
		},
		{
			name: "lifted out with the bindings in scope",
			doc:  `<env xmlns:p="urn:p" xmlns="urn:d"><p:h v="p:q">p:text</p:h></env>`,
			opts: func(r *Reader) *CopyOptions {
				return &CopyOptions{RootDecls: r.InScopeNamespaces(nil)}
			},
			want: `<p:h xmlns:p="urn:p" xmlns="urn:d" v="p:q">p:text</p:h>`,
		},
		{
			name: "root attributes filtered and added",
			doc:  `<env xmlns:s="urn:s"><h s:mustUnderstand="1" keep="y"><s:mustUnderstand/></h></env>`,
			opts: func(*Reader) *CopyOptions {
				return &CopyOptions{
					SkipRootAttr: func(a Attr) bool { return string(a.Namespace) == "urn:s" },
					OnRoot:       func(w *Writer) { w.Attr("", "added", "", "z") },
				}
			},
			want: `<h keep="y" added="z"><s:mustUnderstand xmlns:s="urn:s"/></h>`,
		},
		{
			name: "comments only on request",
			doc:  `<env><h><!--c-->x</h></env>`,
			opts: func(*Reader) *CopyOptions { return &CopyOptions{Comments: true} },
			want: `<h><!--c-->x</h>`,
		},
		{
			name: "comments dropped by default",
			doc:  `<env><h><!--c-->x</h></env>`,
			want: `<h>x</h>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader([]byte(tt.doc), &Options{ReportComments: true})
			// Position on the element to copy: the root for "as is", else
			// the root's first child.
			target := 1
			if !strings.HasPrefix(tt.doc, "<env") {
				target = 0
			}
			for seen := -1; seen < target; {
				k, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				if k == StartElement {
					seen++
				}
			}
			var opts *CopyOptions
			if tt.opts != nil {
				opts = tt.opts(r)
			}
			w := NewBufferWriter(nil)
			if err := CopyElement(w, r, opts); err != nil {
				t.Fatal(err)
			}
			if got := string(w.Bytes()); got != tt.want {
				t.Errorf("copy = %s\nwant   %s", got, tt.want)
			}
			if r.Kind() != EndElement {
				t.Errorf("reader left on %v, want the copied element's end tag", r.Kind())
			}
		})
	}
}

func TestCopyElementErrors(t *testing.T) {
	r := NewReader([]byte(`<a/>`), nil)
	if err := CopyElement(NewBufferWriter(nil), r, nil); errors.CodeOf(err) != errors.InvalidOperation {
		t.Errorf("copy before the first start tag: %v, want InvalidOperation", err)
	}
	r = NewReader([]byte(`<a><b>text</a>`), nil)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if err := CopyElement(NewBufferWriter(nil), r, nil); errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("copy of a malformed element: %v, want InvalidFormat", err)
	}
}
