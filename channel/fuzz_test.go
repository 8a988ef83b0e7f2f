package channel

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// FuzzAuthChallenges: any WWW-Authenticate / Proxy-Authenticate value
// yields a list of scheme names (never empty, each without spaces or '=')
// and one of the documented codes, without panicking.
func FuzzAuthChallenges(f *testing.F) {
	for _, s := range []string{
		`Negotiate, NTLM`,
		`Digest realm="a, b", qop="auth,auth-int", nonce="x", Basic realm="r"`,
		`Basic realm="simple"`,
		`Bearer error="invalid_token", error_description="a \"quoted\" thing"`,
		``, `,,,`, `="x"`, `Digest realm="unterminated`, `NTLM TlRMTVNTUAACAAAA`,
	} {
		f.Add(s)
	}
	allowed := map[errors.Code]bool{
		errors.ServerRequiresNegotiateAuth: true, errors.ServerRequiresNTLMAuth: true,
		errors.ServerRequiresDigestAuth: true, errors.ServerRequiresBasicAuth: true,
		errors.EndpointAccessDenied: true,
	}
	f.Fuzz(func(t *testing.T, v string) {
		schemes := authSchemes([]string{v})
		if len(schemes) == 0 {
			t.Fatalf("no schemes for %q", v)
		}
		for _, s := range schemes {
			if s == "" || strings.ContainsAny(s, " \t=") {
				t.Fatalf("scheme %q from %q", s, v)
			}
		}
		code, msg := authRequired([]string{v}, false)
		if !allowed[code] || msg == "" {
			t.Fatalf("authRequired(%q) = %v %q", v, code, msg)
		}
	})
}

// FuzzResponseClassification: any status, content type, Retry-After and
// body turn into one coded error with a message, without panicking.
func FuzzResponseClassification(f *testing.F) {
	f.Add(503, "text/html; charset=utf-8", "120", []byte("<html><title>Down</title></html>"))
	f.Add(415, "text/plain", "", []byte("Unsupported"))
	f.Add(500, "application/soap+xml; action=\"x\"", "Wed, 21 Oct 2015 07:28:00 GMT", []byte("<x/>"))
	f.Add(999, "", "-5", []byte{})
	f.Add(401, "TEXT/XML", "99999999999999999999", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, status int, ct, retry string, body []byte) {
		if status < 100 || status > 999 {
			status = 100 + (status%900+900)%900
		}
		h := http.Header{}
		h.Set("Content-Type", ct)
		h.Set("Retry-After", retry)
		h.Set("WWW-Authenticate", ct)
		resp := &http.Response{StatusCode: status, Status: http.StatusText(status), Header: h}
		e := statusError(resp, body, message.SOAP12, "the service")
		if e == nil || e.Code == errors.OK || len(e.Strings) == 0 || e.Strings[0] == "" {
			t.Fatalf("statusError(%d, %q) = %v", status, ct, e)
		}
		if d := parseRetryAfter(retry, time.Now()); d < 0 {
			t.Fatalf("negative Retry-After %v from %q", d, retry)
		}
		kind, _ := classifyMedia(ct)
		if kind < mediaNone || kind > mediaMultipart {
			t.Fatalf("classifyMedia(%q) = %d", ct, kind)
		}
		_ = checkMedia(message.SOAP11, ct, "the service")
	})
}

// FuzzBypassList: any bypass list compiles, and matching any URL does not
// panic.
func FuzzBypassList(f *testing.F) {
	f.Add("<local>;*.corp;10.0.0.0/8;[::1]:80", "http://a.corp:8080/x")
	f.Add(",, ;", "https://[fe80::1%25eth0]/")
	f.Add("*.", "http://./")
	f.Fuzz(func(t *testing.T, list, raw string) {
		b := compileBypass([]string{list})
		if u, err := url.Parse(raw); err == nil {
			_ = b.match(u)
		}
	})
}
