package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// indentUnit is one level of pretty-printed XML.
const indentUnit = "  "

// writeXML writes an XML document to w, indented when pretty is set, and
// ends it with a newline. A document the reader refuses (an HTML page,
// a truncated reply) is written as it is: printing must never hide what
// arrived.
func writeXML(w io.Writer, data []byte, pretty bool) error {
	if pretty {
		if out, err := indentXML(data); err == nil {
			data = out
		}
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		_, err := w.Write([]byte{'\n'})
		return err
	}
	return nil
}

// indentXML re-writes a document with one element per line, indented by
// depth, through the project's reader and writer, so that prefixes,
// namespace declarations and escaping stay as XML requires. Whitespace-only
// text between elements is replaced; other text is kept, and an element
// holding text keeps its children on its line. The XML declaration is
// dropped (the output is UTF-8).
func indentXML(data []byte) ([]byte, error) {
	r := xmlio.NewReader(data, &xmlio.Options{MaxBytes: int64(len(data)) + 1, MaxDepth: 1024, MaxNamespaces: 1024, ReportComments: true})
	var out bytes.Buffer
	w := xmlio.NewWriter(&out)
	// hasText[d] is whether the open element at depth d has non-whitespace
	// text; hasChild[d] whether it has child elements or comments.
	var hasText, hasChild []bool
	newline := func(depth int) {
		w.Text("\n" + strings.Repeat(indentUnit, depth))
	}
	for {
		k, err := r.Next()
		if err != nil {
			return nil, err
		}
		depth := len(hasText)
		switch k {
		case xmlio.StartElement:
			if depth > 0 {
				hasChild[depth-1] = true
				if !hasText[depth-1] {
					newline(depth)
				}
			}
			w.StartElement(string(r.Prefix()), string(r.Local()), string(r.Namespace()))
			for i := range r.NSDeclCount() {
				d := r.NSDecl(i)
				w.DeclareNamespace(string(d.Prefix), string(d.URI))
			}
			for i := range r.AttrCount() {
				a := r.Attr(i)
				w.AttrBytes(string(a.Prefix), string(a.Local), string(a.Namespace), a.Value)
			}
			hasText = append(hasText, false)
			hasChild = append(hasChild, false)
		case xmlio.EndElement:
			if hasChild[depth-1] && !hasText[depth-1] {
				newline(depth - 1)
			}
			w.EndElement()
			hasText, hasChild = hasText[:depth-1], hasChild[:depth-1]
		case xmlio.Text:
			if r.IsWhitespace() && !r.IsCDATA() {
				continue
			}
			hasText[depth-1] = true
			if r.IsCDATA() {
				w.CData(string(r.Text()))
			} else {
				w.TextBytes(r.Text())
			}
		case xmlio.Comment:
			if depth == 0 {
				continue // the writer holds only the root element's content
			}
			hasChild[depth-1] = true
			if !hasText[depth-1] {
				newline(depth)
			}
			w.Comment(string(r.Text()))
		case xmlio.EOF:
			if err := w.Flush(); err != nil {
				return nil, err
			}
			out.WriteByte('\n')
			return out.Bytes(), nil
		}
	}
}

// printFault writes a received fault the way a person reads it: its code
// chain, reasons, actor and node, and its detail.
func printFault(w io.Writer, f *errors.Fault, pretty bool) {
	codes := f.Codes()
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = faultCodeName(c)
	}
	fmt.Fprintf(w, "  code:   %s\n", strings.Join(names, " / "))
	for _, r := range f.Reasons {
		if len(f.Reasons) > 1 && r.Lang != "" {
			fmt.Fprintf(w, "  reason: %s [%s]\n", r.Text, r.Lang)
		} else {
			fmt.Fprintf(w, "  reason: %s\n", r.Text)
		}
	}
	if f.Actor != "" {
		fmt.Fprintf(w, "  role:   %s\n", f.Actor)
	}
	if f.Node != "" {
		fmt.Fprintf(w, "  node:   %s\n", f.Node)
	}
	if f.Detail == nil {
		return
	}
	children := f.Detail.ChildElements()
	if len(children) == 0 {
		if t := strings.TrimSpace(f.Detail.Text()); t != "" {
			fmt.Fprintf(w, "  detail: %s\n", t)
		}
		return
	}
	fmt.Fprintf(w, "  detail:\n")
	for _, c := range children {
		doc := etree.NewDocument()
		doc.SetRoot(standalone(c))
		data, err := doc.WriteToBytes()
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		_ = writeXML(&buf, trimNamespaces(data), pretty)
		for _, line := range strings.SplitAfter(strings.TrimRight(buf.String(), "\n"), "\n") {
			fmt.Fprintf(w, "    %s", line)
		}
		fmt.Fprintln(w)
	}
}

// standalone copies e with the namespace declarations of its ancestors
// that it does not repeat, so it prints as a document of its own.
func standalone(e *etree.Element) *etree.Element {
	c := e.Copy()
	declared := map[string]bool{}
	for _, a := range c.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		} else if a.Space == "" && a.Key == "xmlns" {
			declared[""] = true
		}
	}
	for p := e.Parent(); p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			prefix := ""
			switch {
			case a.Space == "xmlns":
				prefix = a.Key
			case a.Space == "" && a.Key == "xmlns":
			default:
				continue
			}
			if !declared[prefix] {
				declared[prefix] = true
				c.CreateAttr(a.FullKey(), a.Value)
			}
		}
	}
	return c
}

// faultCodeName writes a fault code: the local name for the SOAP
// envelope's own codes, {namespace}local for an application's.
func faultCodeName(n xml.Name) string {
	switch n.Space {
	case "", message.NamespaceSOAP11, message.NamespaceSOAP12:
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// isTerminal reports whether w is a character device (a terminal), the
// signal for pretty printing and progress.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// trimNamespaces drops the namespace declarations on a document's root that
// nothing in it uses: those a subtree lifted out of its envelope was given
// for safety (xmlio.CopyOptions.RootDecls) but does not need, which would
// only clutter what is printed. A prefix counts as used by an element or
// attribute name, or by a QName-looking text or attribute value
// ("c:Overflow", xsi:type="t:Item"). On any error data is returned as it
// is.
func trimNamespaces(data []byte) []byte {
	used := map[string]bool{}
	r := xmlio.NewReader(data, replyOptions(data))
	for {
		k, err := r.Next()
		if err != nil {
			return data
		}
		if k == xmlio.EOF {
			break
		}
		switch k {
		case xmlio.StartElement:
			used[string(r.Prefix())] = true
			for i := range r.AttrCount() {
				a := r.Attr(i)
				used[string(a.Prefix)] = true
				used[qnamePrefix(a.Value)] = true
			}
		case xmlio.Text:
			used[qnamePrefix(r.Text())] = true
		}
	}
	return pruneRoot(data, used)
}

// pruneRoot rewrites the root start tag of doc without the declarations of
// prefixes not in used; doc is returned as it is when that cannot be done.
func pruneRoot(doc []byte, used map[string]bool) []byte {
	orig := doc
	r := xmlio.NewReader(doc, replyOptions(doc))
	if _, err := nextElement(r); err != nil {
		return orig
	}
	w := xmlio.NewBufferWriter(nil)
	w.StartElement(string(r.Prefix()), string(r.Local()), string(r.Namespace()))
	for i := range r.NSDeclCount() {
		if d := r.NSDecl(i); used[string(d.Prefix)] {
			w.DeclareNamespace(string(d.Prefix), string(d.URI))
		}
	}
	for i := range r.AttrCount() {
		a := r.Attr(i)
		w.AttrBytes(string(a.Prefix), string(a.Local), string(a.Namespace), a.Value)
	}
	for {
		k, err := r.Next()
		if err != nil {
			return orig
		}
		switch k {
		case xmlio.StartElement:
			if err := xmlio.CopyElement(w, r, &xmlio.CopyOptions{Comments: true}); err != nil {
				return orig
			}
		case xmlio.Text:
			if r.IsCDATA() {
				w.CData(string(r.Text()))
			} else {
				w.TextBytes(r.Text())
			}
		case xmlio.Comment:
			w.Comment(string(r.Text()))
		case xmlio.EndElement:
			w.EndElement()
			if w.Err() != nil {
				return orig
			}
			return bytes.Clone(w.Bytes())
		}
	}
}

// qnamePrefix returns p when v (trimmed) has the form p:local with both
// parts NCNames, and "" otherwise.
func qnamePrefix(v []byte) string {
	s := strings.TrimSpace(string(v))
	p, local, ok := strings.Cut(s, ":")
	if !ok || !xmlio.IsNCName(p) || !xmlio.IsNCName(local) {
		return ""
	}
	return p
}
