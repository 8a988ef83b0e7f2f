package xmlio

import (
	"bytes"
	"io"

	"github.com/wsgo/wsgo/errors"
)

// The window of a streamed reader.
//
// Every token is parsed from r.buf[r.pos:] by the same code in both modes.
// The parser never waits for input in the middle of a token, so all
// positions it records stay valid. In streamed mode a tag is first parsed
// optimistically from what the window holds; when that parse reaches the
// end of the window (errNeedMore), scan makes the window hold the whole
// token (or MaxTokenBytes+1 bytes of it, or everything up to the end of the
// stream) and the tag is parsed again: at most two parses per tag, and
// scanning is resumable, so the work stays linear even when the stream
// delivers one byte per Read. Text looks for its '<' in the window first
// and scans only when it is not there; rarer tokens (comments, CDATA, the
// XML declaration) are scanned before they are parsed. The window is
// compacted (the bytes before the current token discarded) when it is
// full, and grown, by doubling up to MaxTokenBytes+1, only when one token
// does not fit. Slices of the previous token die at that point, which is
// why the names of open elements and namespace URIs live in arenas.
//
// A token limit lim = min(end, pos+MaxTokenBytes) bounds every parse: running
// into it is a MaxTokenBytes quota error when it is the quota, and an
// unexpected end of the document otherwise (runOff). Because the streamed
// window always holds at least as much of the token as that limit reaches,
// both modes see the same bytes and fail or succeed alike.

// scanKind says how scan finds the end of a token.
type scanKind uint8

const (
	scanText    scanKind = iota // up to the next '<'
	scanTag                     // up to the first '>' outside quotes
	scanComment                 // up to "--" and one byte more
	scanCDATA                   // up to "]]>"
	scanPI                      // up to "?>"
)

// maxIdleReads is how many times in a row fill accepts a Read that returns
// neither data nor an error before it gives up (as bufio does).
const maxIdleReads = 100

// scan makes the window hold the token starting at r.pos: until its end as
// kind defines it is buffered, or MaxTokenBytes+1 bytes of it are, or the
// input ends. It is a no-op in buffered mode.
func (r *Reader) scan(kind scanKind) {
	if r.src == nil {
		return
	}
	from, quote := 0, byte(0)
	for {
		s := r.buf[r.pos:r.end]
		var done bool
		done, from, quote = tokenEnd(kind, s, from, quote)
		if done || len(s) > r.opts.MaxTokenBytes || !r.fill() {
			return
		}
	}
}

// ensure makes the window hold n bytes from r.pos, or everything up to the
// end of the input. It is a no-op in buffered mode.
func (r *Reader) ensure(n int) {
	if r.src == nil {
		return
	}
	for r.end-r.pos < n && r.fill() {
	}
}

// tokenEnd reports whether s holds the end of a token of the given kind. It
// resumes a search that stopped at from (inside quotes when quote is set) and
// returns where to resume when more input has arrived.
func tokenEnd(kind scanKind, s []byte, from int, quote byte) (bool, int, byte) {
	switch kind {
	case scanText:
		if bytes.IndexByte(s[from:], '<') >= 0 {
			return true, 0, 0
		}
		return false, len(s), 0
	case scanTag:
		i := max(from, 1)
		for i < len(s) {
			if quote != 0 {
				j := bytes.IndexByte(s[i:], quote)
				if j < 0 {
					return false, len(s), quote
				}
				i += j + 1
				quote = 0
				continue
			}
			switch s[i] {
			case '>':
				return true, 0, 0
			case '"', '\'':
				quote = s[i]
			}
			i++
		}
		return false, i, quote
	case scanComment:
		return findSeq(s, from, 4, "--", 1)
	case scanCDATA:
		return findSeq(s, from, 9, "]]>", 0)
	default:
		return findSeq(s, from, 2, "?>", 0)
	}
}

// findSeq looks for seq in s at or after max(from, min) and reports whether
// it was found with extra more bytes after it.
func findSeq(s []byte, from, min int, seq string, extra int) (bool, int, byte) {
	start := max(from, min)
	if start < len(s) {
		if j := bytes.Index(s[start:], []byte(seq)); j >= 0 && start+j+len(seq)+extra <= len(s) {
			return true, 0, 0
		}
	}
	return false, max(len(s)-len(seq)-extra, min), 0
}

// fill reads more of the stream into the window, compacting or growing it
// first when it is full. It reports whether any byte was added; once it
// returns false the input has ended (r.eof), possibly with r.readErr or
// r.overMax set.
func (r *Reader) fill() bool {
	if r.eof {
		return false
	}
	if r.end == len(r.buf) {
		switch {
		case r.pos > 0:
			r.compact()
		case len(r.buf) < r.windowMax():
			r.grow()
		default:
			return false
		}
	}
	// Never ask for more than one byte past MaxBytes: that byte is what
	// tells a document of exactly MaxBytes from a longer one, and nothing
	// beyond it is consumed from the source.
	limit := len(r.buf)
	if left := r.opts.MaxBytes - (r.base + int64(r.end)) + 1; left < int64(limit-r.end) {
		limit = r.end + int(left)
	}
	for range maxIdleReads {
		n, err := r.src.Read(r.buf[r.end:limit])
		if n < 0 || n > limit-r.end {
			r.eof = true
			r.readErr = errors.Errorf(errors.Other,
				"reading XML: the stream's Read returned an impossible count %d", n).WithOp(readOp)
			return false
		}
		before := r.end
		r.end += n
		if total := r.base + int64(r.end); total > r.opts.MaxBytes {
			r.end -= int(total - r.opts.MaxBytes)
			r.overMax = true
			r.eof = true
			return r.end > before
		}
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.readErr = r.wrapReadErr(err)
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	r.eof = true
	r.readErr = r.wrapReadErr(io.ErrNoProgress)
	return false
}

// compact moves the current token to the start of the window.
func (r *Reader) compact() {
	r.countLines(r.pos)
	n := copy(r.buf, r.buf[r.pos:r.end])
	r.base += int64(r.pos)
	r.next -= r.pos
	r.pos = 0
	r.end = n
}

// minWindow is the smallest window a streamed reader grows to: enough to
// tell "<![CDATA[" from a DTD and to quote a name in a message, whatever
// MaxTokenBytes is.
const minWindow = 64

// windowMax is the largest the window grows: one token of MaxTokenBytes and
// the byte after it, which tells whether the token goes on.
func (r *Reader) windowMax() int {
	return max(r.opts.MaxTokenBytes+1, minWindow)
}

// grow doubles the window, up to windowMax; when doubling again would pass
// windowMax it goes there directly, so that a token of MaxTokenBytes costs
// one final allocation rather than two.
func (r *Reader) grow() {
	size := max(2*len(r.buf), 16)
	if 2*size > r.windowMax() {
		size = r.windowMax()
	}
	buf := make([]byte, size)
	copy(buf, r.buf[:r.end])
	r.buf = buf
	r.own = buf
}

// wrapReadErr turns the stream's read error into the reader's error: an
// *errors.Error (a timeout set by the channel) unchanged, a stream cut short
// as InvalidFormat, anything else as EndpointDisconnected.
func (r *Reader) wrapReadErr(err error) *errors.Error {
	var e *errors.Error
	if errors.As(err, &e) {
		return e
	}
	at := r.base + int64(r.end)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.Errorf(errors.InvalidFormat,
			"unexpected end of document: the stream ended early after %d bytes: %w", at, err).WithOp(readOp)
	}
	return errors.Errorf(errors.EndpointDisconnected,
		"reading the XML stream failed after %d bytes: %w", at, err).WithOp(readOp)
}

// countLines advances the line count to buffer position p.
func (r *Reader) countLines(p int) {
	from := int(r.lineOff - r.base)
	if from < 0 || p <= from || p > r.end {
		return
	}
	r.lines += countNewlines(r.buf[from:p])
	r.lineOff = r.base + int64(p)
}

// lineAt returns the 1-based line of buffer position p. Lines are counted
// lazily, only when an error message or the caller asks for one.
func (r *Reader) lineAt(p int) int {
	r.countLines(p)
	return r.lines + 1
}

// countNewlines counts line ends in b: LF, CR LF, and lone CR.
func countNewlines(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if bytes.IndexByte(b, '\r') < 0 {
		return n
	}
	for i, c := range b {
		if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			n++
		}
	}
	return n
}

// limit returns the token limit of the current token.
func (r *Reader) limit() int {
	return min(r.end, r.pos+r.opts.MaxTokenBytes)
}

// runOff is the error for a parse of the current token (what names it)
// that reached position p without finding the token's end: the token is
// longer than MaxTokenBytes, or the stream failed, or the document is longer
// than MaxBytes, or it ends in the middle of the token.
//
// In streamed mode, reaching the end of a window that the stream can still
// extend is not an error yet: runOff returns errNeedMore, and the token is
// parsed again once more input is buffered.
func (r *Reader) runOff(p int, what string) *errors.Error {
	if p-r.pos >= r.opts.MaxTokenBytes {
		return r.quotaAt(r.pos, "MaxTokenBytes", "%s is longer than MaxTokenBytes (%d bytes)", what, r.opts.MaxTokenBytes)
	}
	if !r.eof {
		return errNeedMore
	}
	if r.readErr != nil {
		return r.readErr
	}
	if r.overMax {
		return r.maxBytesErr()
	}
	return r.errAt(p, "unexpected end of document inside %s (%s)", what, openCount(len(r.stack)))
}

// errNeedMore is runOff's signal that a streamed token continues past the
// window. It never reaches a caller of Next.
var errNeedMore = &errors.Error{Code: errors.InvalidOperation, Strings: []string{"xmlio: internal: token continues past the window"}}

func (r *Reader) maxBytesErr() *errors.Error {
	return errors.Quotaf("MaxBytes",
		"the document is longer than MaxBytes (%d bytes); raise the quota if the input is legitimate",
		r.opts.MaxBytes).WithOp(readOp)
}
