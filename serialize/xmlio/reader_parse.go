package xmlio

import (
	"bytes"

	"github.com/wsgo/wsgo/errors"
)

var (
	commentOpen = []byte("<!--")
	cdataOpen   = []byte("<![CDATA[")
	xmlDeclOpen = []byte("<?xml")
	utf8BOM     = []byte{0xEF, 0xBB, 0xBF}
)

// advance reads tokens until one is to be reported: it skips the XML
// declaration, whitespace outside the root and (unless reported) comments.
func (r *Reader) advance() (Kind, *errors.Error) {
	for {
		r.pos = r.next
		if !r.started {
			if err := r.start(); err != nil {
				return None, err
			}
			continue
		}
		if r.pos >= r.end {
			if r.src != nil && r.fill() {
				continue
			}
			return r.atEnd()
		}
		var (
			k   Kind
			err *errors.Error
		)
		if r.buf[r.pos] != '<' {
			k, err = r.readText()
		} else {
			r.ensure(2)
			if r.pos+1 >= r.end {
				return None, r.runOff(r.end, "a tag")
			}
			switch r.buf[r.pos+1] {
			case '/':
				k, err = r.readTag(false)
			case '!':
				k, err = r.readBang()
			case '?':
				err = r.readPI()
			default:
				k, err = r.readTag(true)
			}
		}
		if err != nil || k != None {
			return k, err
		}
	}
}

// readTag reads a start tag (start) or an end tag. In streamed mode, when
// the parse reports that the tag goes on past the window, it buffers the
// rest of the tag and parses it again.
func (r *Reader) readTag(start bool) (Kind, *errors.Error) {
	k, err := r.parseTag(start)
	for scanned := false; err == errNeedMore; scanned = true {
		r.attrs = r.attrs[:0]
		r.decls = r.decls[:0]
		r.scratch = r.scratch[:0]
		if !scanned {
			r.scan(scanTag)
		} else if !r.fill() {
			// The scan found the tag's end, yet the parse wanted more: let
			// it see the end of the input and report it.
			r.eof = true
		}
		k, err = r.parseTag(start)
	}
	return k, err
}

func (r *Reader) parseTag(start bool) (Kind, *errors.Error) {
	if start {
		return r.readStartTag()
	}
	return r.readEndTag()
}

// start handles the beginning of the document: a UTF-8 byte order mark and
// the XML declaration.
func (r *Reader) start() *errors.Error {
	r.started = true
	r.ensure(6)
	s := r.buf[r.pos:r.end]
	if bytes.HasPrefix(s, utf8BOM) {
		r.pos += 3
		r.next = r.pos
		r.ensure(6)
		s = r.buf[r.pos:r.end]
	} else if len(s) >= 2 && (s[0] == 0xFE && s[1] == 0xFF || s[0] == 0xFF && s[1] == 0xFE) {
		return r.errAt(r.pos, "the document starts with a UTF-16 byte order mark; wsgo reads UTF-8 XML only: send the message as UTF-8")
	}
	if bytes.HasPrefix(s, xmlDeclOpen) && len(s) > 5 && !isNameByte(s[5]) {
		return r.readDecl()
	}
	return nil
}

// atEnd is reached when the input is exhausted between tokens.
func (r *Reader) atEnd() (Kind, *errors.Error) {
	if r.readErr != nil {
		return None, r.readErr
	}
	if r.overMax {
		return None, r.maxBytesErr()
	}
	if n := len(r.stack); n > 0 {
		return None, r.errAt(r.end, "unexpected end of document: element <%s> is not closed (%s)",
			snippet(r.stack[n-1].name), openCount(n))
	}
	if !r.rootSeen {
		if r.base+int64(r.end) == 0 {
			return None, r.errAt(r.end, "the document is empty; expected a root element")
		}
		return None, r.errAt(r.end, "unexpected end of document: it has no root element")
	}
	return EOF, nil
}

// readBang reads a token starting with "<!": a comment or a CDATA section.
// Anything else is a DTD declaration, which SOAP forbids.
func (r *Reader) readBang() (Kind, *errors.Error) {
	r.ensure(len(cdataOpen))
	s := r.buf[r.pos:r.end]
	switch {
	case bytes.HasPrefix(s, commentOpen):
		return r.readComment()
	case bytes.HasPrefix(s, cdataOpen):
		return r.readCDATA()
	case len(s) < len(cdataOpen) && (bytes.HasPrefix(commentOpen, s) || bytes.HasPrefix(cdataOpen, s)):
		return None, r.runOff(r.end, "a comment or CDATA section")
	}
	n := 2
	for n < len(s) && n < 2+maxSnippet && (charClass[s[n]]&cName != 0 || s[n] == '[') {
		n++
	}
	return None, r.errAt(r.pos, "found <!%s: DTDs are not allowed in SOAP messages (no DOCTYPE, ENTITY or other <! declarations)",
		snippet(s[2:n]))
}

// readPI refuses a processing instruction: SOAP allows none but the XML
// declaration at the very start of the document.
func (r *Reader) readPI() *errors.Error {
	r.ensure(2 + maxSnippet)
	s := r.buf[r.pos:r.end]
	if bytes.HasPrefix(s, xmlDeclOpen) && (len(s) == 5 || !isNameByte(s[5])) {
		return r.errAt(r.pos, "an XML declaration is allowed only at the very start of the document")
	}
	n := 2
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	return r.errAt(r.pos, "processing instruction <?%s?> is not allowed in a SOAP message", snippet(s[2:n]))
}

// isNameByte reports whether c can be part of a name (ASCII name
// characters, ':', and any byte of a multi-byte sequence).
func isNameByte(c byte) bool {
	return charClass[c]&cName != 0 || c == ':' || c >= 0x80
}
