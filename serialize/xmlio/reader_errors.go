package xmlio

import (
	"strconv"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
)

// readOp is the Op of every error the reader returns.
const readOp = "read XML"

// maxSnippet bounds how much of the input an error message quotes.
const maxSnippet = 40

// errAt returns an InvalidFormat error for buffer position p, prefixed with
// its line and document offset.
func (r *Reader) errAt(p int, format string, args ...any) *errors.Error {
	all := make([]any, 0, len(args)+2)
	all = append(all, r.lineAt(p), r.base+int64(p))
	all = append(all, args...)
	return errors.Errorf(errors.InvalidFormat, "line %d, offset %d: "+format, all...).WithOp(readOp)
}

// quotaAt returns a QuotaExceeded error naming quota for buffer position p.
func (r *Reader) quotaAt(p int, quota string, format string, args ...any) *errors.Error {
	all := make([]any, 0, len(args)+2)
	all = append(all, r.lineAt(p), r.base+int64(p))
	all = append(all, args...)
	return errors.Quotaf(quota, "line %d, offset %d: "+format+"; raise the quota if the input is legitimate", all...).WithOp(readOp)
}

// snippet renders input bytes for a message: at most maxSnippet bytes,
// invalid UTF-8 and control characters escaped, so that hostile input can
// neither bloat nor garble the message.
func snippet(b []byte) string {
	cut := len(b) > maxSnippet
	if cut {
		b = b[:maxSnippet]
	}
	q := strconv.QuoteToGraphic(string(b))
	q = q[1 : len(q)-1]
	if cut {
		q += "..."
	}
	return q
}

// describeByte renders the character at b[0] for a message.
func describeByte(b []byte) string {
	if len(b) == 0 {
		return "end of input"
	}
	if b[0] < utf8.RuneSelf {
		return strconv.QuoteRune(rune(b[0]))
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 {
		return "invalid UTF-8 byte 0x" + strconv.FormatUint(uint64(b[0]), 16)
	}
	return strconv.QuoteRune(r)
}

// openCount says how many elements are still open, for end-of-document
// messages: "1 element still open", "3 elements still open".
func openCount(n int) string {
	if n == 1 {
		return "1 element still open"
	}
	return strconv.Itoa(n) + " elements still open"
}
