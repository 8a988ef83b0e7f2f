package xmlio

import (
	"bytes"

	"github.com/wsgo/wsgo/errors"
)

var declClose = []byte("?>")

// readDecl checks the XML declaration at the start of the document:
//
//	'<?xml' S 'version' Eq '1.0' (S 'encoding' Eq EncName)? (S 'standalone' Eq ('yes'|'no'))? S? '?>'
//
// Only UTF-8 is read; US-ASCII is accepted as its subset and then enforced.
func (r *Reader) readDecl() *errors.Error {
	r.scan(scanPI)
	b, lim := r.buf, r.limit()
	p := r.pos + len(xmlDeclOpen)
	j := -1
	if p < lim {
		j = bytes.Index(b[p:lim], declClose)
	}
	if j < 0 {
		return r.runOff(lim, "the XML declaration")
	}
	end := p + j
	r.next = end + len(declClose)
	step := 0 // 1 after version, 2 after encoding, 3 after standalone
	for {
		ws := p
		for p < end && isSpace(b[p]) {
			p++
		}
		if p == end {
			break
		}
		if p == ws {
			return r.errAt(p, "malformed XML declaration: expected whitespace, found %s", describeByte(b[p:end]))
		}
		ns := p
		for p < end && charClass[b[p]]&cName != 0 {
			p++
		}
		name := b[ns:p]
		for p < end && isSpace(b[p]) {
			p++
		}
		if p == end || b[p] != '=' {
			return r.errAt(p, "malformed XML declaration: expected '=' after \"%s\"", snippet(name))
		}
		p++
		for p < end && isSpace(b[p]) {
			p++
		}
		if p == end || (b[p] != '"' && b[p] != '\'') {
			return r.errAt(p, "malformed XML declaration: the value of \"%s\" must be quoted", snippet(name))
		}
		q := b[p]
		p++
		k := bytes.IndexByte(b[p:end], q)
		if k < 0 {
			return r.errAt(p, "malformed XML declaration: the value of \"%s\" is not closed", snippet(name))
		}
		val := b[p : p+k]
		p += k + 1
		switch string(name) {
		case "version":
			if step != 0 {
				return r.errAt(ns, "malformed XML declaration: version must come first")
			}
			if string(val) != "1.0" {
				return r.errAt(ns, "XML version \"%s\" is not supported; wsgo reads XML 1.0", snippet(val))
			}
			step = 1
		case "encoding":
			if step != 1 {
				return r.errAt(ns, "malformed XML declaration: encoding must follow version")
			}
			switch {
			case bytes.EqualFold(val, []byte("UTF-8")):
			case bytes.EqualFold(val, []byte("US-ASCII")):
				r.asciiOnly = true
			default:
				return r.errAt(ns, "the document declares encoding \"%s\", which is not supported; wsgo reads UTF-8 XML only (US-ASCII is accepted as a subset): send the message as UTF-8",
					snippet(val))
			}
			step = 2
		case "standalone":
			if step == 0 || step == 3 {
				return r.errAt(ns, "malformed XML declaration: standalone must follow version and encoding")
			}
			if string(val) != "yes" && string(val) != "no" {
				return r.errAt(ns, "malformed XML declaration: standalone must be \"yes\" or \"no\", not \"%s\"", snippet(val))
			}
			step = 3
		default:
			return r.errAt(ns, "malformed XML declaration: unknown pseudo-attribute \"%s\"", snippet(name))
		}
	}
	if step == 0 {
		return r.errAt(r.pos, "malformed XML declaration: it has no version")
	}
	return nil
}
