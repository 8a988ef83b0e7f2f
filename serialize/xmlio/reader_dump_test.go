package xmlio

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// dump walks r to its end and renders every node on one line, so that token
// streams can be compared as string slices. The last line is "EOF" or the
// error as "ERR <code> <quota>".
func dump(r *Reader) []string {
	var out []string
	for n := 0; ; n++ {
		k, err := r.Next()
		if err != nil {
			return append(out, errLine(err))
		}
		if n > 1_000_000 {
			return append(out, "ERR runaway reader")
		}
		switch k {
		case StartElement:
			var b strings.Builder
			fmt.Fprintf(&b, "S %d {%s}%s", r.Depth(), r.Namespace(), r.Local())
			if len(r.Prefix()) > 0 {
				fmt.Fprintf(&b, " p=%s", r.Prefix())
			}
			for i := range r.NSDeclCount() {
				d := r.NSDecl(i)
				fmt.Fprintf(&b, " xmlns:%s=%q", d.Prefix, d.URI)
			}
			for i := range r.AttrCount() {
				a := r.Attr(i)
				fmt.Fprintf(&b, " @{%s}%s", a.Namespace, a.Local)
				if len(a.Prefix) > 0 {
					fmt.Fprintf(&b, "(p=%s)", a.Prefix)
				}
				fmt.Fprintf(&b, "=%q", a.Value)
			}
			out = append(out, b.String())
		case EndElement:
			out = append(out, fmt.Sprintf("E %d {%s}%s", r.Depth(), r.Namespace(), r.Local()))
		case Text:
			s := fmt.Sprintf("T %d %q", r.Depth(), r.Text())
			if r.IsCDATA() {
				s += " cdata"
			}
			if r.IsWhitespace() {
				s += " ws"
			}
			out = append(out, s)
		case Comment:
			out = append(out, fmt.Sprintf("C %d %q", r.Depth(), r.Text()))
		case EOF:
			return append(out, "EOF")
		default:
			return append(out, fmt.Sprintf("ERR Next returned %v without error", k))
		}
	}
}

// errLine renders an error for dump: its code and quota, or a note that it
// is not an *errors.Error.
func errLine(err error) string {
	var e *errors.Error
	if !errors.As(err, &e) {
		return fmt.Sprintf("ERR not an *errors.Error: %T %v", err, err)
	}
	if e.Quota != "" {
		return fmt.Sprintf("ERR %s %s", e.Code.String(), e.Quota)
	}
	return fmt.Sprintf("ERR %s", e.Code.String())
}

// dumpBuffered dumps doc read in buffered mode.
func dumpBuffered(doc []byte, opts *Options) []string {
	return dump(NewReader(doc, opts))
}

// dumpStreamed dumps doc read through a streamed reader from src.
func dumpStreamed(src io.Reader, opts *Options) []string {
	return dump(NewStreamReader(src, opts))
}

// lastLine returns the final line of a dump.
func lastLine(d []string) string { return d[len(d)-1] }

func diffLines(t *testing.T, name string, got, want []string) {
	t.Helper()
	n := max(len(got), len(want))
	for i := range n {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("%s: token %d:\n got %s\nwant %s\n(full got: %q)", name, i, g, w, got)
			return
		}
	}
}
