package xmlio

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// wrBinaryChunk is how much binary input Base64 and Hex encode before the
// flush threshold is checked again (a multiple of 3, so base64 chunks join
// without padding).
const wrBinaryChunk = 3 << 10

// Text writes escaped character data.
func (w *Writer) Text(s string) {
	if w.beginContent("text") {
		wrText(w, s)
	}
}

// TextBytes writes escaped character data.
func (w *Writer) TextBytes(b []byte) {
	if w.beginContent("text") {
		wrText(w, b)
	}
}

// wrText escapes s into the output piece by piece, so that a streaming
// writer flushes between pieces of a long value; it stops once the
// destination has failed.
func wrText[S ~string | ~[]byte](w *Writer, s S) {
	done := 0
	for done < len(s) && w.err == nil {
		rest := s[done:]
		cut := escSplit(rest, wrChunk)
		mark := len(w.buf)
		var bad int
		w.buf, bad = escAppend(w.buf, rest[:cut], &escTextTable)
		if bad >= 0 {
			w.buf = w.buf[:mark]
			w.failf(errors.InvalidFormat, "text %s contains %s at byte %d; XML 1.0 cannot carry it (send binary data as base64)", w.where(), escDescribe(rest, bad), done+bad)
			return
		}
		done += cut
		w.maybeFlush()
	}
}

// Base64 writes b as base64 character data, encoding in chunks without
// materializing the whole encoded form.
//
// The encoding is the standard one with padding (xsd:base64Binary). A
// streaming writer flushes between chunks, so its memory stays bounded
// however long b is.
func (w *Writer) Base64(b []byte) {
	if !w.beginContent("base64 data") {
		return
	}
	if w.dst == nil {
		w.buf = slices.Grow(w.buf, base64.StdEncoding.EncodedLen(len(b)))
	}
	for len(b) > 0 && w.err == nil {
		n := min(len(b), wrBinaryChunk)
		w.buf = base64.StdEncoding.AppendEncode(w.buf, b[:n])
		b = b[n:]
		w.maybeFlush()
	}
}

// Hex writes b as hexadecimal character data in upper case, the canonical
// form of xsd:hexBinary. Like Base64 it encodes in chunks.
func (w *Writer) Hex(b []byte) {
	if !w.beginContent("hex data") {
		return
	}
	const digits = "0123456789ABCDEF"
	if w.dst == nil {
		w.buf = slices.Grow(w.buf, 2*len(b))
	}
	for len(b) > 0 && w.err == nil {
		n := min(len(b), wrBinaryChunk)
		for _, c := range b[:n] {
			w.buf = append(w.buf, digits[c>>4], digits[c&0xF])
		}
		b = b[n:]
		w.maybeFlush()
	}
}

// Int writes a decimal integer as character data.
func (w *Writer) Int(v int64) {
	if w.beginContent("integer") {
		w.buf = strconv.AppendInt(w.buf, v, 10)
		w.maybeFlush()
	}
}

// Uint writes a decimal unsigned integer as character data.
func (w *Writer) Uint(v uint64) {
	if w.beginContent("integer") {
		w.buf = strconv.AppendUint(w.buf, v, 10)
		w.maybeFlush()
	}
}

// CData writes a CDATA section (split where the text contains "]]>").
//
// The text is not escaped, but it must still be characters XML can carry
// (InvalidFormat otherwise). A CR in a CDATA section reaches a reader as LF
// (end-of-line normalization); use Text to keep CRs.
func (w *Writer) CData(s string) {
	if !w.beginContent("CDATA section") {
		return
	}
	if bad, _ := escScan(s, &escTextTable); bad >= 0 {
		w.failf(errors.InvalidFormat, "CDATA section %s contains %s at byte %d; XML 1.0 cannot carry it", w.where(), escDescribe(s, bad), bad)
		return
	}
	w.buf = append(w.buf, "<![CDATA["...)
	for {
		i := strings.Index(s, "]]>")
		if i < 0 {
			break
		}
		// End the section between "]]" and ">" and open a new one.
		w.buf = append(w.buf, s[:i+2]...)
		w.buf = append(w.buf, "]]><![CDATA["...)
		s = s[i+2:]
	}
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, "]]>"...)
	w.maybeFlush()
}

// Comment writes a comment ("--" in s is an error).
//
// A comment may come before, inside or after the root element. Text that
// contains "--" or ends with "-", or holds characters XML cannot carry, is an
// InvalidFormat error.
func (w *Writer) Comment(s string) {
	if !w.allow(wrCallMarkup, "Comment", "", "") {
		return
	}
	if i := strings.Index(s, "--"); i >= 0 || strings.HasSuffix(s, "-") {
		if i < 0 {
			i = len(s) - 1
		}
		w.failf(errors.InvalidFormat, "comment %s contains \"--\" or ends with \"-\" (at byte %d); XML forbids both in comments", w.where(), i)
		return
	}
	if bad, _ := escScan(s, &escTextTable); bad >= 0 {
		w.failf(errors.InvalidFormat, "comment %s contains %s at byte %d; XML 1.0 cannot carry it", w.where(), escDescribe(s, bad), bad)
		return
	}
	w.closeStartTag()
	w.wroteAny = true
	w.buf = append(w.buf, "<!--"...)
	w.buf = append(w.buf, s...)
	w.buf = append(w.buf, "-->"...)
	w.maybeFlush()
}

// Raw writes b as is: pre-serialized, well-formed markup the caller vouches
// for.
//
// Raw closes an open start tag first. The writer does not parse b: elements
// and namespace declarations in it are not tracked, so b must be balanced
// and must not rely on bindings it does not declare itself (other than
// those in scope where it is written).
func (w *Writer) Raw(b []byte) {
	if !w.allow(wrCallMarkup, "Raw", "", "") {
		return
	}
	w.closeStartTag()
	w.wroteAny = true
	w.buf = append(w.buf, b...)
	w.maybeFlush()
}

// AppendText returns a buffer to which the caller may append the decimal or
// other lexical form of a value without escaping concerns, to be committed
// with CommitText; it avoids an intermediate string for numbers, dates and
// the like. Text appended must not need escaping.
//
// The returned slice is the writer's output buffer: append to it (do not
// modify its existing bytes) and pass the result to CommitText, with no
// other call to the writer in between. Appended text that does need
// escaping after all is escaped by CommitText (with a copy), and characters
// XML cannot carry are an InvalidFormat error, so a mistake cannot produce
// malformed output. After an error the slice is still valid to append to;
// CommitText ignores it.
func (w *Writer) AppendText() []byte {
	if w.beginContent("AppendText") {
		w.pending = wrPendingText
		w.mark = len(w.buf)
	}
	return w.buf
}

// CommitText writes b, obtained from AppendText and extended, as character
// data.
func (w *Writer) CommitText(b []byte) {
	if !w.allow(wrCallCommitText, "CommitText", "", "") {
		return
	}
	w.pending = wrPendingNone
	if w.commitValue(b, &escTextTable, "CommitText", "text") {
		w.maybeFlush()
	}
}
