package channel

import (
	"mime"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// The HTTP binding of SOAP (SOAP 1.1 §6, SOAP 1.2 Part 2 §7): which content
// type carries which envelope version, where the action travels, and
// which transport headers map to and from a message's mapped headers.

// Content types of the three envelope versions.
const (
	contentTypeSOAP11 = "text/xml; charset=utf-8"
	contentTypeSOAP12 = "application/soap+xml; charset=utf-8"
	contentTypeRaw    = "application/xml; charset=utf-8"
)

// userAgent identifies wsgo to services (and their logs).
const userAgent = "wsgo/1"

// Header values shared by every request; the transport only reads them.
var (
	hdrSOAP11     = []string{contentTypeSOAP11}
	hdrSOAP12     = []string{contentTypeSOAP12}
	hdrRaw        = []string{contentTypeRaw}
	hdrNoAction   = []string{`""`}
	hdrUserAgent  = []string{userAgent}
	hdrAcceptEncd = []string{"gzip, deflate"}
)

// soapActionKey is the SOAPAction header spelled as SOAP 1.1 §6.1.1 spells
// it (net/http would canonicalize it to "Soapaction"): header names are
// case-insensitive, but not every SOAP server has read that part of the
// HTTP specification.
const soapActionKey = "SOAPAction"

// actionHeaders caches the header value of the last action used, since a
// channel usually sends the same few actions over and over, and the whole
// request header of the last action sent with a shared header.
type actionHeaders struct {
	last   atomic.Pointer[actionHeader]
	shared atomic.Pointer[sharedHeader]
}

// sharedHeader is the complete HTTP header of requests with one action
// and no mapped headers (see Channel.sharesRequest).
type sharedHeader struct {
	action string
	header http.Header
}

type actionHeader struct {
	env    message.EnvelopeVersion
	action string
	value  []string
}

// setEnvelopeHeaders sets the content type and action headers of a message
// of version env with the given action.
func (a *actionHeaders) set(h http.Header, env message.EnvelopeVersion, action string) {
	switch env {
	case message.SOAP11:
		h["Content-Type"] = hdrSOAP11
		if action == "" {
			h[soapActionKey] = hdrNoAction
			return
		}
		h[soapActionKey] = a.value(env, action)
	case message.SOAP12:
		if action == "" {
			h["Content-Type"] = hdrSOAP12
			return
		}
		h["Content-Type"] = a.value(env, action)
	default:
		h["Content-Type"] = hdrRaw
	}
}

func (a *actionHeaders) value(env message.EnvelopeVersion, action string) []string {
	if p := a.last.Load(); p != nil && p.env == env && p.action == action {
		return p.value
	}
	v := `"` + escapeQuoted(action) + `"`
	if env == message.SOAP12 {
		v = contentTypeSOAP12 + `; action="` + escapeQuoted(action) + `"`
	}
	p := &actionHeader{env: env, action: action, value: []string{v}}
	a.last.Store(p)
	return p.value
}

// requestHeader fills h with the HTTP header of a request with action:
// the channel's own headers (WithHeader), then the binding's content type
// and action, user agent and accepted codings (which replace any of the
// channel's of the same name). Mapped headers come later.
func (c *Channel) requestHeader(h http.Header, action string) {
	for k, v := range c.cfg.header {
		h[k] = append([]string(nil), v...)
	}
	c.actions.set(h, c.cfg.envelope, action)
	h["User-Agent"] = hdrUserAgent
	h["Accept-Encoding"] = hdrAcceptEncd
}

// sharedRequestHeader returns the header of requests with action, built
// once and shared by all of them: only for requests no code of the
// channel's or the caller's changes after it is built (sharesRequest),
// since net/http's transport only reads it.
func (c *Channel) sharedRequestHeader(action string) http.Header {
	if p := c.actions.shared.Load(); p != nil && p.action == action {
		return p.header
	}
	h := make(http.Header, 4+len(c.cfg.header))
	c.requestHeader(h, action)
	c.actions.shared.Store(&sharedHeader{action: action, header: h})
	return h
}

// escapeQuoted escapes a value for a quoted-string (RFC 9110 §5.6.4).
func escapeQuoted(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// applyMappedHeaders copies a message's mapped headers (names, from
// MappedHeaderNames) into h; they replace headers of the same name that
// the binding set (so a conformance test can send any SOAPAction or
// Content-Type it likes).
func applyMappedHeaders(h http.Header, m *message.Message, names []string) {
	for _, name := range names {
		key := http.CanonicalHeaderKey(name)
		if key == "Soapaction" {
			key = soapActionKey // replace the binding's own, not add a second
		}
		h[key] = append([]string(nil), m.MappedHeaders(name)...)
	}
}

// mapHeadersIn adds HTTP headers to a received message's mapped headers.
func mapHeadersIn(m *message.Message, h http.Header) error {
	for name, values := range h {
		for _, v := range values {
			if err := m.AddMappedHeader(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// actionFromHeaders returns the action an HTTP request carries: the
// SOAPAction header (SOAP 1.1) or the content type's action parameter
// (SOAP 1.2).
func actionFromHeaders(env message.EnvelopeVersion, h http.Header) string {
	switch env {
	case message.SOAP11:
		a := strings.TrimSpace(h.Get("SOAPAction"))
		if len(a) >= 2 && a[0] == '"' && a[len(a)-1] == '"' {
			a = a[1 : len(a)-1]
		}
		return a
	case message.SOAP12:
		_, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err == nil {
			return params["action"]
		}
	}
	return ""
}

// mediaKind classifies a content type for reading an envelope.
type mediaKind int

const (
	mediaNone      mediaKind = iota // no content type
	mediaSOAP11                     // text/xml
	mediaSOAP12                     // application/soap+xml
	mediaXML                        // application/xml or another +xml type
	mediaHTML                       // text/html, application/xhtml+xml
	mediaOther                      // anything else (text/plain, application/json, ...)
	mediaMultipart                  // multipart/related (MTOM)
)

// classifyMedia classifies a Content-Type header value by its media type
// (the part before any parameter), without allocating for the common
// types.
func classifyMedia(ct string) (mediaKind, string) {
	mt := ct
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.TrimSpace(mt)
	switch {
	case mt == "":
		return mediaNone, ""
	case strings.EqualFold(mt, "text/xml"):
		return mediaSOAP11, "text/xml"
	case strings.EqualFold(mt, "application/soap+xml"):
		return mediaSOAP12, "application/soap+xml"
	}
	mt = strings.ToLower(mt)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return mediaHTML, mt
	case mt == "application/xml" || strings.HasSuffix(mt, "+xml"):
		return mediaXML, mt
	case mt == "multipart/related":
		return mediaMultipart, mt
	}
	return mediaOther, mt
}

// expectedMedia returns the content type an envelope version travels in.
func expectedMedia(env message.EnvelopeVersion) string {
	switch env {
	case message.SOAP11:
		return "text/xml"
	case message.SOAP12:
		return "application/soap+xml"
	}
	return "application/xml"
}

// checkMedia accepts any XML content type for an envelope: the envelope's
// namespace, checked when it is read, is what tells the SOAP version, and
// many services label SOAP 1.2 as text/xml or SOAP 1.1 as application/xml.
// HTML pages, plain text and other types are refused with a message that
// says what arrived. A missing content type is accepted when the body
// starts like XML (the reader judges the rest).
func checkMedia(env message.EnvelopeVersion, ct string, who string) *errors.Error {
	kind, mt := classifyMedia(ct)
	switch kind {
	case mediaNone, mediaSOAP11, mediaSOAP12, mediaXML:
		return nil
	case mediaHTML:
		return errors.Errorf(errors.InvalidFormat,
			"%s sent an HTML page (content type %s) where a SOAP envelope (%s) was expected; the address may point at a web page, a login page or an error page",
			who, mt, expectedMedia(env))
	case mediaMultipart:
		return errors.Errorf(errors.InvalidFormat,
			"%s sent a multipart (MTOM) message, which this channel's text encoding does not read", who)
	}
	return errors.Errorf(errors.InvalidFormat,
		"%s sent content type %q where a SOAP envelope (%s) was expected", who, ct, expectedMedia(env))
}
