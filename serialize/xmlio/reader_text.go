package xmlio

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"

	"github.com/wsgo/wsgo/errors"
)

var (
	cdataClose = []byte("]]>")
	doubleDash = []byte("--")
)

// readText reads character data up to the next '<'. Outside the root
// element only whitespace is allowed, and it is skipped.
func (r *Reader) readText() (Kind, *errors.Error) {
	maxTok := r.opts.MaxTokenBytes
	i := bytes.IndexByte(r.buf[r.pos:min(r.end, r.pos+maxTok+1)], '<')
	if i < 0 && !r.eof && r.end-r.pos <= maxTok {
		r.scan(scanText)
		i = bytes.IndexByte(r.buf[r.pos:min(r.end, r.pos+maxTok+1)], '<')
	}
	b, end := r.buf, r.end
	switch {
	case i >= 0:
		end = r.pos + i
	case r.end-r.pos > maxTok:
		return None, r.runOff(r.pos+maxTok, "a text run")
	}
	r.next = end
	s := b[r.pos:end]
	if len(r.stack) == 0 {
		for j, c := range s {
			if !isSpace(c) {
				if r.rootSeen {
					return None, r.errAt(r.pos+j, "text after the root element; only whitespace and comments may follow it")
				}
				return None, r.errAt(r.pos+j, "text before the root element; only the XML declaration, whitespace and comments may precede it")
			}
		}
		return None, nil
	}
	if i < 0 {
		return None, r.runOff(end, "text")
	}
	t, err := r.decodeText(s, r.pos)
	if err != nil {
		return None, err
	}
	r.text = t
	return Text, nil
}

// decodeText validates the text run s (at buffer position at) and returns
// its value: s itself when it has no reference and no CR, otherwise a copy
// in r.scratch with references expanded and line ends normalized.
//
// swarSkip finds the bytes that may need attention eight at a time. Up to
// the first reference or CR nothing is copied; from there decodeCopy
// copies while it scans.
func (r *Reader) decodeText(s []byte, at int) ([]byte, *errors.Error) {
	for i := 0; ; {
		if i = swarSkip(s, i, &swarDecode); i >= len(s) {
			break
		}
		c := s[i]
		if charClass[c]&cTextStop == 0 {
			i++ // tab or LF
			continue
		}
		switch {
		case c == '&', c == '\r':
			return r.decodeCopy(s, i, at)
		case c == ']':
			if bytes.HasPrefix(s[i:], cdataClose) {
				return nil, r.errAt(at+i, "']]>' is not allowed in text; write it as ]]&gt;")
			}
			i++
		case c >= utf8.RuneSelf:
			n, err := r.checkRune(s[i:], at+i, -1, "text")
			if err != nil {
				return nil, err
			}
			i += n
		default:
			return nil, r.errAt(at+i, "character U+%04X is not allowed in XML", c)
		}
	}
	return s[:len(s):len(s)], nil
}

// decodeCopy is decodeText from s[i], the first reference or CR of s, on:
// it appends s[:i] to r.scratch and then the decoded rest, and returns the
// copy.
//
// It copies while it scans: each eight-byte word of s is tested and stored
// into the output at once, and the output position advances past the bytes
// before the first stop in it (the bytes after are overwritten by what
// follows). The decoded text is never longer than s (every reference is
// longer than what it stands for, and CR LF becomes LF), so the room made
// up front, len(s) and one word, holds every store.
func (r *Reader) decodeCopy(s []byte, i, at int) ([]byte, *errors.Error) {
	out := r.scratch
	mark := len(out)
	out = slices.Grow(out, len(s)+8)
	out = append(out, s[:i]...)
	o := len(out)
	buf := out[:cap(out)]
	for i < len(s) {
		if len(s)-i >= 8 {
			x := binary.LittleEndian.Uint64(s[i:])
			binary.LittleEndian.PutUint64(buf[o:], x)
			m := swarMatchDecode(x)
			if m == 0 {
				i += 8
				o += 8
				continue
			}
			k := bits.TrailingZeros64(m) >> 3
			i += k
			o += k
		}
		// s[i] is a stop, or one of the last seven bytes of s.
		c := s[i]
		if charClass[c]&cTextStop == 0 {
			buf[o] = c // tab, LF, or a byte of the tail that needs nothing
			o++
			i++
			continue
		}
		switch {
		case c == '&':
			if e, n := predefinedEntity(s[i+1:]); n > 0 {
				buf[o] = e
				o++
				i += n + 1
				continue
			}
			var err *errors.Error
			if out, i, err = r.appendRef(buf[:o], s, i, at, false); err != nil {
				return nil, err
			}
			o = len(out)
			buf = out[:cap(out)]
		case c == '\r':
			buf[o] = '\n'
			o++
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case c == ']':
			if bytes.HasPrefix(s[i:], cdataClose) {
				return nil, r.errAt(at+i, "']]>' is not allowed in text; write it as ]]&gt;")
			}
			buf[o] = c
			o++
			i++
		case c >= utf8.RuneSelf:
			n, err := r.checkRune(s[i:], at+i, -1, "text")
			if err != nil {
				return nil, err
			}
			o += copy(buf[o:], s[i:i+n])
			i += n
		default:
			return nil, r.errAt(at+i, "character U+%04X is not allowed in XML", c)
		}
	}
	r.scratch = buf[:o]
	return buf[mark:o:o], nil
}

// swarMatchDecode is swarMatch for the stops of swarDecode (& and ], C0
// controls, bytes from 0x80 on), with the comparands as constants.
func swarMatchDecode(x uint64) uint64 {
	const amp, rsqb = swarOnes * '&', swarOnes * ']'
	return (x | swarZeros(x^amp) | swarZeros(x^rsqb) | (x-swarOnes*0x20)&^x) & swarHighs
}

// predefinedEntity matches one of the five predefined entity references
// (lt, gt, amp, apos, quot and the ';') at the start of s, the bytes after
// an '&'. It returns the character and the length matched, or 0, 0 when s
// starts with anything else, which appendRef then parses or reports.
func predefinedEntity(s []byte) (byte, int) {
	if len(s) < 4 {
		if len(s) == 3 && s[2] == ';' && s[1] == 't' {
			switch s[0] {
			case 'l':
				return '<', 3
			case 'g':
				return '>', 3
			}
		}
		return 0, 0
	}
	// The first four bytes as one little-endian word: "lt;" and "gt;" are
	// its low three bytes, "amp;" all four, "apos" and "quot" all four
	// before a ';'.
	const (
		lt   = 'l' | 't'<<8 | ';'<<16
		gt   = 'g' | 't'<<8 | ';'<<16
		amp  = 'a' | 'm'<<8 | 'p'<<16 | ';'<<24
		apos = 'a' | 'p'<<8 | 'o'<<16 | 's'<<24
		quot = 'q' | 'u'<<8 | 'o'<<16 | 't'<<24
	)
	w := binary.LittleEndian.Uint32(s)
	switch {
	case w&0xFFFFFF == lt:
		return '<', 3
	case w&0xFFFFFF == gt:
		return '>', 3
	case w == amp:
		return '&', 4
	case len(s) >= 5 && s[4] == ';':
		switch w {
		case apos:
			return '\'', 5
		case quot:
			return '"', 5
		}
	}
	return 0, 0
}

// checkChars validates the content of a comment or CDATA section (s, at
// buffer position at) and returns it with line ends normalized.
func (r *Reader) checkChars(s []byte, at int, what string) ([]byte, *errors.Error) {
	out := r.scratch
	mark := len(out)
	run := 0
	copied := false
	for i := 0; i < len(s); {
		c := s[i]
		if charClass[c]&cCharStop == 0 {
			i++
			continue
		}
		switch {
		case c == '\r':
			out = append(out, s[run:i]...)
			out = append(out, '\n')
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
			run, copied = i, true
		case c >= utf8.RuneSelf:
			n, err := r.checkRune(s[i:], at+i, -1, what)
			if err != nil {
				return nil, err
			}
			i += n
		default:
			return nil, r.errAt(at+i, "character U+%04X is not allowed in XML", c)
		}
	}
	if !copied {
		return s[:len(s):len(s)], nil
	}
	out = append(out, s[run:]...)
	r.scratch = out
	return out[mark:len(out):len(out)], nil
}

// checkRune validates the multi-byte UTF-8 sequence at the start of s (at
// buffer position at) and returns its length. When s ends in the middle of
// the sequence and runOffAt is not negative, that is a run-off at runOffAt
// rather than invalid UTF-8.
func (r *Reader) checkRune(s []byte, at, runOffAt int, what string) (int, *errors.Error) {
	c, n := utf8.DecodeRune(s)
	if c == utf8.RuneError && n <= 1 {
		if runOffAt >= 0 && !utf8.FullRune(s) {
			return 0, r.runOff(runOffAt, "a start tag")
		}
		return 0, r.errAt(at, "invalid UTF-8 in %s (byte 0x%02X)", what, s[0])
	}
	if c == 0xFFFE || c == 0xFFFF {
		return 0, r.errAt(at, "character U+%04X is not allowed in XML", c)
	}
	if r.asciiOnly {
		return 0, r.errAt(at, "non-ASCII character in %s, but the document declares encoding US-ASCII", what)
	}
	return n, nil
}

// appendRef expands the reference at s[i] (an '&') onto out and returns the
// position after it. s[0] is at buffer position at. When runOffAtEnd is
// set, reaching the end of s is a run-off (attribute values); otherwise s
// is a complete text run and a reference cut by its end is malformed.
func (r *Reader) appendRef(out, s []byte, i, at int, runOffAtEnd bool) ([]byte, int, *errors.Error) {
	if e, n := predefinedEntity(s[i+1:]); n > 0 {
		return append(out, e), i + n + 1, nil
	}
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
		base := 10
		if j < len(s) && s[j] == 'x' {
			base = 16
			j++
		}
		digits := j
		v := 0
		for j < len(s) {
			d := digitValue(s[j], base)
			if d < 0 {
				break
			}
			if v <= 0x10FFFF {
				v = v*base + d
			}
			j++
		}
		if j >= len(s) && runOffAtEnd {
			return out, j, r.runOff(at+j, "a start tag")
		}
		if j == digits || j >= len(s) || s[j] != ';' {
			return out, j, r.errAt(at+i, "malformed character reference %s; expected &#digits; or &#xhex;",
				snippet(s[i:min(j+1, len(s))]))
		}
		if !isXMLChar(v) {
			return out, j, r.errAt(at+i, "character reference %s names a character that XML does not allow", snippet(s[i:j+1]))
		}
		return utf8.AppendRune(out, rune(v)), j + 1, nil
	}
	name := j
	for j < len(s) && isNameByte(s[j]) {
		j++
	}
	if j >= len(s) && runOffAtEnd {
		return out, j, r.runOff(at+j, "a start tag")
	}
	if j == name || j >= len(s) || s[j] != ';' {
		return out, j, r.errAt(at+i, "'&' must start a reference such as &amp; (write a literal & as &amp;)")
	}
	switch string(s[name:j]) {
	case "lt":
		out = append(out, '<')
	case "gt":
		out = append(out, '>')
	case "amp":
		out = append(out, '&')
	case "apos":
		out = append(out, '\'')
	case "quot":
		out = append(out, '"')
	default:
		return out, j, r.errAt(at+i, "undefined entity reference &%s;: only &lt; &gt; &amp; &apos; &quot; and numeric character references are allowed (SOAP messages cannot declare entities)",
			snippet(s[name:j]))
	}
	return out, j + 1, nil
}

func digitValue(c byte, base int) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// readComment reads a comment; it is reported only with ReportComments.
func (r *Reader) readComment() (Kind, *errors.Error) {
	r.scan(scanComment)
	b, lim := r.buf, r.limit()
	start := r.pos + len(commentOpen)
	j := -1
	if start < lim {
		j = bytes.Index(b[start:lim], doubleDash)
	}
	if j < 0 {
		return None, r.runOff(lim, "a comment")
	}
	j += start
	if j+2 >= lim {
		return None, r.runOff(j+2, "a comment")
	}
	if b[j+2] != '>' {
		return None, r.errAt(j, "'--' is not allowed inside a comment")
	}
	r.next = j + 3
	content, err := r.checkChars(b[start:j], start, "a comment")
	if err != nil {
		return None, err
	}
	if !r.opts.ReportComments {
		return None, nil
	}
	r.text = content
	return Comment, nil
}

// readCDATA reads a CDATA section, reported as a Text node.
func (r *Reader) readCDATA() (Kind, *errors.Error) {
	if len(r.stack) == 0 {
		return None, r.errAt(r.pos, "a CDATA section is not allowed outside the root element")
	}
	r.scan(scanCDATA)
	b, lim := r.buf, r.limit()
	start := r.pos + len(cdataOpen)
	j := -1
	if start < lim {
		j = bytes.Index(b[start:lim], cdataClose)
	}
	if j < 0 {
		return None, r.runOff(lim, "a CDATA section")
	}
	j += start
	r.next = j + len(cdataClose)
	content, err := r.checkChars(b[start:j], start, "a CDATA section")
	if err != nil {
		return None, err
	}
	r.text = content
	r.cdata = true
	return Text, nil
}
