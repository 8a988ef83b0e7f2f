package channel

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// StatusError is the cause inside the *errors.Error of an exchange that
// ended with an HTTP status other than success: what the server said, for
// programs that need more than the code.
//
//	var se *channel.StatusError
//	if errors.As(err, &se) && se.StatusCode == 503 { ... se.RetryAfter ... }
type StatusError struct {
	StatusCode int         // such as 503
	Status     string      // such as "503 Service Unavailable"
	Header     http.Header // the response headers
	Body       []byte      // the start of the response body (at most 64 KiB)
	RetryAfter time.Duration
}

// Error returns "HTTP " and the status, such as "HTTP 503 Service Unavailable".
func (e *StatusError) Error() string { return "HTTP " + e.Status }

// RetryAfter returns the delay a service asked for with Retry-After (HTTP
// 429 or 503), if err carries one.
func RetryAfter(err error) (time.Duration, bool) {
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return se.RetryAfter, true
	}
	return 0, false
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0
		}
		if n > 1<<31 {
			n = 1 << 31
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// errorStatus turns an unsuccessful HTTP status into an error. A body that
// is a SOAP fault wins over the status (SOAP 1.1 sends faults with 500,
// SOAP 1.2 with 400 or 500, some stacks with other codes).
func (x *exchange) errorStatus(resp *http.Response, body io.Reader, reply *message.Message) error {
	kind, _ := classifyMedia(resp.Header.Get("Content-Type"))
	xmlBody := kind != mediaHTML && kind != mediaOther
	var data []byte
	var err error
	if xmlBody {
		// A fault may be as large as any reply (WCF puts stack traces in
		// its detail): read it under the channel's own quota.
		data, err = readAllLimit(body, nil, x.c.cfg.replyQuota())
		if err != nil {
			return err
		}
	} else if data, err = readLimited(body, errorBodyLimit); err != nil {
		return err // an HTML or text body is only quoted
	}
	if t := x.c.cfg.trace; t != nil && t.ResponseBody != nil {
		t.ResponseBody(data)
	}
	if xmlBody && x.c.cfg.messageSecurity != nil && len(bytes.TrimSpace(data)) > 0 {
		// A client that verifies replies verifies faults too: an
		// unsigned fault could come from anyone on the path (WCF refuses
		// "an unsecured or incorrectly secured fault" likewise).
		if _, err := x.c.cfg.verifyReceived(x.ctx, data, "the fault"); err != nil {
			return errors.Errorf(errors.CodeOf(err),
				"the service answered HTTP %s with an XML body (a fault?) that failed message security verification; it is not trusted: %w", resp.Status, err)
		}
	}
	if xmlBody {
		if f := x.readFaultInto(reply, resp, data); f != nil {
			return faultError(f, resp)
		}
		if f := x.parseFault(data); f != nil {
			return faultError(f, resp)
		}
	}
	return statusError(resp, data, x.c.cfg.envelope, "the service")
}

// readFaultInto reads a fault envelope of the channel's version into the
// reply message, so that the caller sees its headers (RelatesTo, Action);
// nil when data is not one (reply is then left Empty).
func (x *exchange) readFaultInto(reply *message.Message, resp *http.Response, data []byte) *errors.Fault {
	if reply == nil || reply.State() != message.Empty || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if reply.ReadStart(xmlio.NewReader(data, x.c.cfg.readerFor(int64(len(data))))) != nil {
		reply.Reset()
		return nil
	}
	var f errors.Fault
	if !reply.IsFault() || reply.ReadBody(&f) != nil || reply.ReadEnd() != nil {
		reply.Reset()
		return nil
	}
	_ = mapHeadersIn(reply, resp.Header)
	return &f
}

// statusError maps an HTTP status to its code (DESIGN.md "Errors"; the
// codes' comments in package errors say the same).
func statusError(resp *http.Response, data []byte, env message.EnvelopeVersion, who string) *errors.Error {
	se := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header, Body: data}
	st := resp.StatusCode
	var code errors.Code
	var msg string
	switch {
	case st == http.StatusBadRequest:
		code, msg = errors.InvalidFormat, "refused the request as malformed; check the envelope version, the action and the body against the service's contract"
	case st == http.StatusUnauthorized:
		code, msg = authRequired(resp.Header.Values("WWW-Authenticate"), false)
	case st == http.StatusProxyAuthRequired:
		code, msg = authRequired(resp.Header.Values("Proxy-Authenticate"), true)
	case st == http.StatusForbidden:
		code, msg = errors.EndpointAccessDenied, "denied access; the credentials (or this client's address) are not allowed"
	case st == http.StatusNotFound:
		code, msg = errors.EndpointNotFound, "has no endpoint at this address; check the URL's path"
	case st == http.StatusMethodNotAllowed:
		code, msg = errors.EndpointActionNotSupported, "does not accept POST at this address; it may be a WSDL or help page rather than the endpoint"
	case st == http.StatusGone:
		code, msg = errors.EndpointNotAvailable, "says the endpoint is gone"
	case st == http.StatusRequestTimeout:
		code, msg = errors.OperationTimedOut, "timed out waiting for the request"
	case st == http.StatusRequestEntityTooLarge:
		code, msg = errors.QuotaExceeded, "refused the request as too large; send a smaller message"
	case st == http.StatusUnsupportedMediaType:
		code, msg = errors.InvalidFormat, unsupportedMedia(env)
	case st == http.StatusTooManyRequests:
		code, msg = errors.EndpointTooBusy, "is rate limiting this client"
	case st == http.StatusServiceUnavailable:
		se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		if resp.Header.Get("Retry-After") != "" {
			code, msg = errors.EndpointTooBusy, "is too busy"
		} else {
			code, msg = errors.EndpointNotAvailable, "is not available"
		}
	case st == http.StatusBadGateway || st == http.StatusGatewayTimeout:
		code, msg = errors.EndpointFailure, "(or a gateway in front of it) could not reach the service"
	case st >= 500:
		code, msg = errors.EndpointFailure, "failed to process the request and sent no SOAP fault"
	default:
		code, msg = errors.InvalidFormat, "answered with an unexpected status"
	}
	if st == http.StatusTooManyRequests {
		se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	text := fmt.Sprintf("%s %s (HTTP status %d (0x%X) %q)", who, msg, st, st, http.StatusText(st))
	if se.RetryAfter > 0 {
		text += fmt.Sprintf("; retry after %v", se.RetryAfter)
	}
	e := errors.Errorf(code, "%s", text)
	if code == errors.QuotaExceeded {
		e.Quota = "ServerMaxRequestSize"
	}
	e.Err = se
	return addBodyHint(e, resp, data)
}

// unsupportedMedia explains a 415: usually the other SOAP version.
func unsupportedMedia(env message.EnvelopeVersion) string {
	switch env {
	case message.SOAP12:
		return "does not accept SOAP 1.2 (application/soap+xml); it is probably a SOAP 1.1 service: use WithEnvelope(message.SOAP11)"
	case message.SOAP11:
		return "does not accept SOAP 1.1 (text/xml); it is probably a SOAP 1.2 service: use WithEnvelope(message.SOAP12)"
	}
	return "does not accept this content type"
}

// The *Requires*Auth codes by scheme, strongest first in authStrength.
var (
	authStrength    = []string{"Negotiate", "NTLM", "Digest", "Basic"}
	serverAuthCodes = map[string]errors.Code{
		"Negotiate": errors.ServerRequiresNegotiateAuth, "NTLM": errors.ServerRequiresNTLMAuth,
		"Digest": errors.ServerRequiresDigestAuth, "Basic": errors.ServerRequiresBasicAuth,
	}
	proxyAuthCodes = map[string]errors.Code{
		"Negotiate": errors.ProxyRequiresNegotiateAuth, "NTLM": errors.ProxyRequiresNTLMAuth,
		"Digest": errors.ProxyRequiresDigestAuth, "Basic": errors.ProxyRequiresBasicAuth,
	}
)

// authRequired names the code for a 401/407 from the schemes offered: the
// strongest one (Negotiate > NTLM > Digest > Basic), since none is enabled
// on a channel without security.
func authRequired(challenges []string, proxy bool) (errors.Code, string) {
	code, msg := authRequiredWhy(challenges, proxy, "which this channel does not have enabled")
	if proxy {
		msg = "(the proxy) " + msg
	}
	return code, msg
}

// authRequiredWhy is authRequired's code and message for a challenge a
// channel does not answer, why saying what keeps it from answering
// ("which this channel does not allow ..."): "requires authentication
// with NTLM (offered: NTLM, Negotiate), why".
func authRequiredWhy(challenges []string, proxy bool, why string) (errors.Code, string) {
	offered := authSchemes(challenges)
	who, codes := "requires authentication", serverAuthCodes
	if proxy {
		who, codes = "requires proxy authentication", proxyAuthCodes
	}
	for _, s := range authStrength {
		for _, o := range offered {
			if strings.EqualFold(o, s) {
				return codes[s], fmt.Sprintf("%s with %s (offered: %s), %s", who, s, strings.Join(offered, ", "), why)
			}
		}
	}
	if proxy {
		return errors.ProxyAccessDenied, fmt.Sprintf("%s with no scheme wsgo knows (offered: %s)", who, strings.Join(offered, ", "))
	}
	return errors.EndpointAccessDenied, fmt.Sprintf("%s with no scheme wsgo knows (offered: %s)", who, strings.Join(offered, ", "))
}

// authSchemes lists the scheme names of WWW-Authenticate or
// Proxy-Authenticate header values, in order, each once. A header value may
// hold several challenges separated by commas; a scheme is a token that is
// not followed by "=".
func authSchemes(values []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		for _, part := range splitChallenges(v) {
			name := part
			if i := strings.IndexAny(part, " \t"); i >= 0 {
				name = part[:i]
			}
			if name == "" || strings.Contains(name, "=") {
				continue
			}
			if k := strings.ToLower(name); !seen[k] {
				seen[k] = true
				out = append(out, name)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"none"}
	}
	return out
}

// splitChallenges splits a header value at the commas that start a new
// challenge (a comma followed by a token that is not a parameter name).
func splitChallenges(v string) []string {
	var parts []string
	inQuote := false
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			if inQuote {
				i++
			}
		case ',':
			if inQuote {
				continue
			}
			rest := strings.TrimLeft(v[i+1:], " \t")
			tok := rest
			if j := strings.IndexAny(rest, " \t=,"); j >= 0 {
				tok = rest[:j]
			}
			after := strings.TrimLeft(rest[len(tok):], " \t")
			if tok != "" && !strings.HasPrefix(after, "=") {
				parts = append(parts, strings.TrimSpace(v[start:i]))
				start = i + 1
			}
		}
	}
	return append(parts, strings.TrimSpace(v[start:]))
}

// redirectError is the error of a redirect the channel did not follow.
func redirectError(resp *http.Response) error {
	loc := resp.Header.Get("Location")
	se := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header}
	e := errors.Errorf(errors.EndpointNotFound,
		"the service redirected to %q (HTTP %s); redirects are not followed by default: use that address, or allow it with channel.WithRedirects", loc, resp.Status)
	e.Err = se
	return e
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>\s*(.*?)\s*</title>`)

// addBodyHint adds what the body says (an HTML page's title, the start of
// a text body) to an error's strings.
func addBodyHint(e *errors.Error, resp *http.Response, data []byte) *errors.Error {
	if len(data) == 0 {
		return e
	}
	if m := htmlTitle.FindSubmatch(data); m != nil {
		e.Strings = append(e.Strings, fmt.Sprintf("the page's title is %q", clip(string(m[1]), 200)))
		return e
	}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
	case trimmed[0] != '<':
		e.Strings = append(e.Strings, fmt.Sprintf("the body says %q", clip(string(trimmed), 200)))
	default:
		e.Strings = append(e.Strings, fmt.Sprintf("the body is XML but no SOAP fault wsgo can read: %q", clip(string(trimmed), 300)))
	}
	return e
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
