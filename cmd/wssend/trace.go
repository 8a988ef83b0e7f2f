package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// tracer prints the whole exchange for -v through channel.Trace, curl
// style: "> " before the request line and headers, "< " before the
// response's, each envelope after its headers. Credentials never reach
// the terminal: see maskHeader.
type tracer struct {
	w      io.Writer
	pretty bool
}

// request prints the HTTP request and the envelope it carries.
func (t *tracer) request(req *http.Request, envelope []byte) {
	u := *req.URL
	fmt.Fprintf(t.w, "> %s %s %s\n", req.Method, u.RequestURI(), "HTTP/1.1")
	fmt.Fprintf(t.w, "> Host: %s\n", u.Host)
	if u.User != nil {
		fmt.Fprintf(t.w, "> (credentials from the URL: %s)\n", u.Redacted())
	}
	if req.ContentLength >= 0 {
		fmt.Fprintf(t.w, "> Content-Length: %d\n", req.ContentLength)
	}
	t.headers("> ", req.Header)
	fmt.Fprintln(t.w, ">")
	if envelope != nil {
		_ = writeXML(t.w, maskPasswords(envelope), t.pretty)
	}
	fmt.Fprintln(t.w)
}

// passwordElement matches a WS-Security wsse:Password element (any
// prefix) and its text.
var passwordElement = regexp.MustCompile(`(<(?:[A-Za-z_][\w.-]*:)?Password(?:\s[^>]*)?>)([^<]*)(</)`)

// maskPasswords hides the text of UsernameToken passwords (PasswordText
// and PasswordDigest alike: a digest can be replayed within its window).
func maskPasswords(envelope []byte) []byte {
	return passwordElement.ReplaceAll(envelope, []byte("${1}(hidden)${3}"))
}

// response prints the status line and headers of the response.
func (t *tracer) response(resp *http.Response) {
	fmt.Fprintf(t.w, "< %s %s\n", resp.Proto, resp.Status)
	t.headers("< ", resp.Header)
	fmt.Fprintln(t.w, "<")
}

// responseBody prints the response body as received.
func (t *tracer) responseBody(body []byte) {
	_ = writeXML(t.w, body, t.pretty)
	fmt.Fprintln(t.w)
}

// headers prints h sorted by name, secrets masked.
func (t *tracer) headers(prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range h[name] {
			fmt.Fprintf(t.w, "%s%s: %s\n", prefix, name, maskHeader(name, v))
		}
	}
}

// maskHeader hides the secret in a header value: the credentials of
// Authorization and Proxy-Authorization (the scheme stays, it tells which
// kind of authentication was tried) and whole cookies.
func maskHeader(name, value string) string {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		if scheme, _, ok := strings.Cut(strings.TrimSpace(value), " "); ok {
			return scheme + " ***"
		}
		return "***"
	case "Cookie", "Set-Cookie":
		return "***"
	}
	return value
}
