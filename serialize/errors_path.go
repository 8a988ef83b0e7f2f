package serialize

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// Errors carry the path of the element where they happened, such as
// "Order/Items/Item[3]/Qty (line 12): value "300" overflows xsd:unsignedByte".
// The path is built only when something fails: the innermost failure creates
// a pathError, and each level prepends its name while the error travels up,
// so the success path pays nothing for it.

// pathError is an error on its way up; segs are innermost first.
type pathError struct {
	segs []string
	line int // 0 when not known (writing)
	err  *errors.Error
}

func (p *pathError) Error() string { return p.err.Error() }

// at prepends seg to err's path, turning a plain error into a pathError.
func at(err error, seg string) error {
	if p, ok := err.(*pathError); ok {
		p.segs = append(p.segs, seg)
		return p
	}
	return &pathError{segs: []string{seg}, err: asError(err)}
}

// atItem is at with an index for repeated elements (1-based, as XPath).
func atItem(err error, name string, index int) error {
	return at(err, name+"["+strconv.Itoa(index)+"]")
}

// asError converts any error to an *errors.Error, keeping its code.
func asError(err error) *errors.Error {
	if e, ok := err.(*errors.Error); ok {
		return e
	}
	if p, ok := err.(*pathError); ok {
		return p.err
	}
	return errors.Errorf(errors.CodeOf(err), "%w", err)
}

// finish turns an error returned by the encoder or decoder into the
// *errors.Error the caller sees: a fresh copy of the underlying error (errors
// from the reader are sticky and shared) with "path (line n)" as its most
// recent string.
func finish(err error, op string) error {
	if err == nil {
		return nil
	}
	var segs []string
	line := 0
	inner := asError(err)
	if p, ok := err.(*pathError); ok {
		segs, line = p.segs, p.line
	}
	out := *inner
	out.Strings = append([]string(nil), inner.Strings...)
	if out.Op == "" {
		out.Op = op
	}
	if len(segs) > 0 {
		var b strings.Builder
		for i := len(segs) - 1; i >= 0; i-- {
			if i == len(segs)-1-maxPathHead && i >= maxPathTail {
				// A path thousands of levels deep (a cyclic value, a
				// hostile document) is cut in the middle.
				fmt.Fprintf(&b, ".../(%d more)/", i-maxPathTail+1)
				i = maxPathTail - 1
			}
			b.WriteString(segs[i])
			if i > 0 {
				b.WriteByte('/')
			}
		}
		// Reader errors already begin with their position ("line 3,
		// offset 120: ..."); the path does not repeat it.
		if line > 0 && (len(out.Strings) == 0 || !strings.HasPrefix(out.Strings[0], "line ")) {
			fmt.Fprintf(&b, " (line %d)", line)
		}
		out.Strings = append([]string{b.String()}, out.Strings...)
	}
	return &out
}

// maxPathHead and maxPathTail bound the segments an error path shows: the
// outermost and the innermost ones.
const (
	maxPathHead = 24
	maxPathTail = 8
)

// failAt creates the innermost error of a decode failure, with the line.
func failAt(line int, code errors.Code, format string, args ...any) error {
	return &pathError{line: line, err: errors.Errorf(code, format, args...)}
}

// withLine records the line of an error from a lexical parse or the reader.
func withLine(err error, line int) error {
	if p, ok := err.(*pathError); ok {
		if p.line == 0 {
			p.line = line
		}
		return p
	}
	return &pathError{line: line, err: asError(err)}
}

// nameString formats an element name for a message: <{ns}local>.
func nameString(ns, local []byte) string {
	return "<" + clark(string(ns), string(local)) + ">"
}

// xmlNameString formats an xml.Name for a message.
func xmlNameString(n xml.Name) string { return "<" + clark(n.Space, n.Local) + ">" }
