package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"encoding/xml"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/service"
)

// TestMain fails the tests if a goroutine (a progress line, the demo's
// server, a connection) outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	addAction  = calcNS + "/Add"
	echoAction = calcNS + "/Echo"
	addBody    = `<Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add>`
	bigAddBody = `<Add xmlns="http://example.com/calc"><a>2147483647</a><b>1</b></Add>`
	slowAction = calcNS + "/Slow"
	traceNS    = "urn:test:trace"
)

// recorded is what the test service received.
type recorded struct {
	mu     sync.Mutex
	header http.Header
	body   []byte
}

func (r *recorded) get() (http.Header, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.header, r.body
}

// newService starts the demo's calc host (plus a slow operation and an
// understood header) at /calc on a loopback test server, recording each
// request.
func newService(t *testing.T) (string, *recorded) {
	t.Helper()
	wsa2004 := "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	h := newDemoHost(service.WithLogger(slog.New(slog.DiscardHandler)),
		// The host reads WS-Addressing 1.0; it is told it may ignore the
		// 2004/08 headers so that -addressing 2004 can be checked too.
		service.WithUnderstoodHeaders(xml.Name{Space: wsa2004, Local: "Action"}, xml.Name{Space: wsa2004, Local: "To"}, xml.Name{Space: wsa2004, Local: "MessageID"}))
	service.Handle(h, slowAction, func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Second): // watchdog: the client gives up long before
			return &calc.EchoResponse{}, nil
		}
	})
	rec := &recorded{}
	mux := http.NewServeMux()
	mux.Handle("/calc", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.header, rec.body = r.Header.Clone(), body
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/calc", rec
}

// result is one in-process run of wssend.
type result struct {
	status         int
	stdout, stderr string
}

func runWith(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	status := run(args, strings.NewReader(stdin), &out, &errb)
	return result{status, out.String(), errb.String()}
}

func (r result) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("exit status %d, want %d\nstdout: %s\nstderr: %s", r.status, status, r.stdout, r.stderr)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSuccessPrintsReplyEnvelope(t *testing.T) {
	url, rec := newService(t)
	r := runWith(t, addBody, "-action", addAction, url)
	r.want(t, exitOK)
	for _, s := range []string{`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">`, `<result>5</result>`} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	h, body := rec.get()
	if got := h.Get("Content-Type"); !strings.HasPrefix(got, "text/xml") {
		t.Errorf("Content-Type %q, want text/xml (SOAP 1.1 is the default)", got)
	}
	if got := h.Get("SOAPAction"); got != `"`+addAction+`"` {
		t.Errorf("SOAPAction %q", got)
	}
	if !bytes.Contains(body, []byte(addBody)) {
		t.Errorf("the body element was not sent as it is:\n%s", body)
	}
	if bytes.Contains(body, []byte("addressing")) {
		t.Errorf("SOAP 1.1 defaults to no WS-Addressing, but the request has it:\n%s", body)
	}
}

func TestBodyFromFileAndFlagsAfterURL(t *testing.T) {
	url, _ := newService(t)
	file := writeFile(t, "add.xml", "<?xml version=\"1.0\"?>\n<c:Add xmlns:c=\"http://example.com/calc\">\n <a>40</a><b>2</b></c:Add>\n")
	r := runWith(t, "", url, file, "-action", addAction, "-body-only")
	r.want(t, exitOK)
	if want := `<AddResponse xmlns="http://example.com/calc"><result>42</result></AddResponse>` + "\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
}

func TestFaultPrintsCodeReasonDetail(t *testing.T) {
	url, _ := newService(t)
	for _, soap := range []string{"1.1", "1.2"} {
		t.Run(soap, func(t *testing.T) {
			r := runWith(t, bigAddBody, "-soap", soap, "-action", addAction, url)
			r.want(t, exitFault)
			for _, s := range []string{
				"SOAP fault received",
				"code:", "{http://example.com/calc}Overflow",
				"reason: a + b does not fit in a 32-bit integer",
				"detail:", "<CalcFault", "<message>2147483647 + 1 = 2147483648</message>",
			} {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if !strings.Contains(r.stdout, "Fault>") {
				t.Errorf("stdout lacks the fault envelope:\n%s", r.stdout)
			}
			if soap == "1.2" && !strings.Contains(r.stderr, "code:   Sender / {http://example.com/calc}Overflow") {
				t.Errorf("the SOAP 1.2 code chain is not shown:\n%s", r.stderr)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := runWith(t, addBody, "http://"+addr+"/calc")
	r.want(t, exitUnreachable)
	if !strings.Contains(r.stderr, "[EndpointUnreachable]") {
		t.Errorf("stderr: %s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout: %s", r.stdout)
	}
}

func TestNotFound(t *testing.T) {
	url, _ := newService(t)
	r := runWith(t, addBody, strings.TrimSuffix(url, "/calc")+"/nothing-here")
	r.want(t, exitUnreachable)
	if !strings.Contains(r.stderr, "[EndpointNotFound]") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestTimeout(t *testing.T) {
	url, _ := newService(t)
	r := runWith(t, `<Echo xmlns="http://example.com/calc"/>`, "-timeout", "200ms", "-action", slowAction, url)
	r.want(t, exitTimeout)
	if !strings.Contains(r.stderr, "[OperationTimedOut]") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	hdr := writeFile(t, "h.xml", `<t:T xmlns:t="urn:t"/>`)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"flags without URL", []string{"-v"}, "missing the service URL"},
		{"not a URL", []string{"example.com/calc"}, "not an http:// or https:// URL"},
		{"ftp URL", []string{"ftp://example.com/calc"}, "not an http:// or https:// URL"},
		{"bad soap", []string{"-soap", "1.3", "http://x/"}, "want 1.1 or 1.2"},
		{"bad addressing", []string{"-addressing", "2006", "http://x/"}, "want none, 1.0 or 2004"},
		{"bad -H", []string{"-H", "NoColon", "http://x/"}, "want 'Name: value'"},
		{"cert without key", []string{"-cert", "c.pem", "http://x/"}, "-cert and -key go together"},
		{"too many args", []string{"http://x/", "a.xml", "b.xml"}, "too many arguments"},
		{"unknown flag", []string{"-nope", "http://x/"}, "flag provided but not defined"},
		{"envelope with header", []string{"-envelope", "-header", hdr, "http://x/", "-"}, "do not apply with -envelope"},
		{"missing body file", []string{"http://x/", filepath.Join(t.TempDir(), "absent.xml")}, "cannot read"},
		{"demo with flags", []string{"-v", "demo"}, "takes no flags"},
		{"bad proxy", []string{"-proxy", "proxy:3128", "http://x/"}, "want a proxy URL"},
		{"bad max-size", []string{"-max-size", "lots", "http://x/"}, "want a positive size"},
		{"header without namespace", []string{"-header", writeFile(t, "u.xml", "<T/>"), "http://127.0.0.1:1/"}, "must be namespace-qualified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWith(t, "", tc.args...)
			r.want(t, exitUsage)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
		})
	}
}

func TestMalformedBodyIsFormatError(t *testing.T) {
	file := writeFile(t, "bad.xml", "<Add xmlns=\"http://example.com/calc\">\n<a>1</b></Add>")
	r := runWith(t, "", "http://127.0.0.1:1/calc", file)
	r.want(t, exitFormat)
	if !strings.Contains(r.stderr, "bad.xml is not well-formed XML") || !strings.Contains(r.stderr, "line 2") {
		t.Errorf("stderr: %s", r.stderr)
	}
}

func TestHelpPrintsExitTable(t *testing.T) {
	r := runWith(t, "", "-h")
	r.want(t, exitOK)
	for _, s := range []string{"Usage:", "-body-only", "Exit status:", "fault", "EndpointFaultReceived", "OperationTimedOut"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("-h lacks %q", s)
		}
	}
}

func TestVerboseMasksSecrets(t *testing.T) {
	url, rec := newService(t)
	r := runWith(t, addBody, "-v", "-action", addAction,
		"-H", "Authorization: Basic xyzsecret", "-H", "Cookie: session=cookiesecret", url)
	r.want(t, exitOK)
	for _, s := range []string{
		"> POST /calc HTTP/1.1", "> Authorization: Basic ***", "> Cookie: ***",
		"> SOAPAction: \"" + addAction + "\"", addBody,
		"< HTTP/1.1 200 OK", "< Content-Type: text/xml", "<result>5</result>",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("-v output lacks %q:\n%s", s, r.stderr)
		}
	}
	for _, secret := range []string{"xyzsecret", "cookiesecret"} {
		if strings.Contains(r.stderr, secret) {
			t.Errorf("-v output shows the secret %q:\n%s", secret, r.stderr)
		}
	}
	if h, _ := rec.get(); h.Get("Authorization") != "Basic xyzsecret" {
		t.Errorf("the service got Authorization %q; the mask must only apply to the printout", h.Get("Authorization"))
	}
}

func TestHTTPHeaderReplacesBindingHeader(t *testing.T) {
	url, rec := newService(t)
	r := runWith(t, addBody, "-H", "SOAPAction: \""+addAction+"\"", "-H", "X-Trace: 7", url)
	r.want(t, exitOK)
	h, _ := rec.get()
	if got := h.Values("Soapaction"); len(got) != 1 || got[0] != `"`+addAction+`"` {
		t.Errorf("SOAPAction %q", got)
	}
	if h.Get("X-Trace") != "7" {
		t.Errorf("X-Trace %q", h.Get("X-Trace"))
	}
}

func TestOutputFile(t *testing.T) {
	url, _ := newService(t)
	out := filepath.Join(t.TempDir(), "reply.xml")
	r := runWith(t, addBody, "-action", addAction, "-o", out, "-pretty", url)
	r.want(t, exitOK)
	if r.stdout != "" {
		t.Errorf("stdout with -o: %s", r.stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <AddResponse xmlns="http://example.com/calc">
      <result>5</result>
    </AddResponse>
  </s:Body>
</s:Envelope>
`
	if string(data) != want {
		t.Errorf("-o -pretty wrote:\n%s\nwant:\n%s", data, want)
	}
}

func TestCustomHeaderFile(t *testing.T) {
	url, rec := newService(t)
	hdr := writeFile(t, "trace.xml", `<t:Trace xmlns:t="urn:test:trace" xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:mustUnderstand="1">abc</t:Trace>`)
	// The demo host does not understand the header: a MustUnderstand fault
	// proves it arrived with its attribute.
	r := runWith(t, addBody, "-action", addAction, "-header", hdr, url)
	r.want(t, exitFault)
	if !strings.Contains(r.stderr, "MustUnderstand") {
		t.Errorf("stderr: %s", r.stderr)
	}
	_, body := rec.get()
	for _, s := range []string{`<t:Trace xmlns:t="urn:test:trace"`, `mustUnderstand="1"`, `>abc</t:Trace>`} {
		if !bytes.Contains(body, []byte(s)) {
			t.Errorf("request lacks %q:\n%s", s, body)
		}
	}

	// Without mustUnderstand the service ignores it and answers.
	plain := writeFile(t, "plain.xml", `<t:Trace xmlns:t="urn:test:trace">abc</t:Trace>`)
	runWith(t, addBody, "-action", addAction, "-header", plain, "-header", plain, url).want(t, exitOK)
	if _, body := rec.get(); bytes.Count(body, []byte("<t:Trace")) != 2 {
		t.Errorf("-header twice should send two headers:\n%s", body)
	}
}

func TestSOAPVersions(t *testing.T) {
	url, rec := newService(t)
	for _, tc := range []struct {
		soap, contentType, envNS string
		wsa                      bool
	}{
		{"1.1", "text/xml; charset=utf-8", "http://schemas.xmlsoap.org/soap/envelope/", false},
		{"1.2", `application/soap+xml; charset=utf-8; action="` + echoAction + `"`, "http://www.w3.org/2003/05/soap-envelope", true},
	} {
		t.Run(tc.soap, func(t *testing.T) {
			r := runWith(t, `<Echo xmlns="http://example.com/calc"><text>hi</text></Echo>`, "-soap", tc.soap, "-action", echoAction, url)
			r.want(t, exitOK)
			h, body := rec.get()
			if got := h.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if !bytes.Contains(body, []byte(tc.envNS)) || !strings.Contains(r.stdout, tc.envNS) {
				t.Errorf("request or reply not in %s:\n%s\n%s", tc.envNS, body, r.stdout)
			}
			if got := bytes.Contains(body, []byte("http://www.w3.org/2005/08/addressing")); got != tc.wsa {
				t.Errorf("WS-Addressing in the request: %v, want %v (default for SOAP %s)", got, tc.wsa, tc.soap)
			}
		})
	}
}

func TestAddressing(t *testing.T) {
	url, rec := newService(t)
	for _, tc := range []struct{ flag, ns string }{
		{"1.0", "http://www.w3.org/2005/08/addressing"},
		{"2004", "http://schemas.xmlsoap.org/ws/2004/08/addressing"},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			r := runWith(t, addBody, "-addressing", tc.flag, "-action", addAction, url)
			r.want(t, exitOK)
			_, body := rec.get()
			if !bytes.Contains(body, []byte(tc.ns)) || !bytes.Contains(body, []byte(addAction+"</a:Action>")) {
				t.Errorf("request lacks the %s Action header:\n%s", tc.ns, body)
			}
		})
	}
	r := runWith(t, addBody, "-soap", "1.2", "-addressing", "none", "-action", addAction, url)
	r.want(t, exitOK)
	if _, body := rec.get(); bytes.Contains(body, []byte("addressing")) {
		t.Errorf("-addressing none sent WS-Addressing headers:\n%s", body)
	}
}

func TestEnvelopeSentAsIs(t *testing.T) {
	url, rec := newService(t)
	env := `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">
  <soap:Header><wsa:Action>` + addAction + `</wsa:Action><wsa:MessageID>urn:uuid:1</wsa:MessageID></soap:Header>
  <soap:Body>  <Add xmlns="http://example.com/calc"><a>20</a><b>22</b></Add></soap:Body>
</soap:Envelope>
`
	file := writeFile(t, "env.xml", env)
	r := runWith(t, "", "-envelope", "-body-only", url, file)
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "<result>42</result>") {
		t.Errorf("stdout: %s", r.stdout)
	}
	h, body := rec.get()
	if string(body) != env {
		t.Errorf("the envelope was not sent byte for byte:\n%s", body)
	}
	if got, want := h.Get("Content-Type"), `application/soap+xml; charset=utf-8; action="`+addAction+`"`; got != want {
		t.Errorf("Content-Type %q, want %q", got, want)
	}

	// A fault in reply to an envelope is recognised as one.
	fault := strings.Replace(env, "<a>20</a>", "<a>2147483647</a>", 1)
	r = runWith(t, fault, "-envelope", url, "-")
	r.want(t, exitFault)
	if !strings.Contains(r.stderr, "{http://example.com/calc}Overflow") || !strings.Contains(r.stderr, "HTTP 400") {
		t.Errorf("stderr: %s", r.stderr)
	}

	r = runWith(t, addBody, "-envelope", url, "-")
	r.want(t, exitFormat)
	if !strings.Contains(r.stderr, "not a SOAP 1.1 or 1.2 Envelope") {
		t.Errorf("stderr: %s", r.stderr)
	}
	runWith(t, env, "-envelope", "-soap", "1.1", url, "-").want(t, exitUsage)
}

func TestEmptyBody(t *testing.T) {
	url, rec := newService(t)
	// No body and no action: the host has nothing to dispatch on.
	r := runWith(t, "", url)
	r.want(t, exitFault)
	if _, body := rec.get(); !bytes.Contains(body, []byte("<s:Body></s:Body>")) && !bytes.Contains(body, []byte("<s:Body/>")) {
		t.Errorf("request: %s", body)
	}
}

func TestDemo(t *testing.T) {
	for _, args := range [][]string{{"demo"}, nil} {
		r := runWith(t, "", args...)
		r.want(t, exitOK)
		for _, s := range []string{"<result>5</result>", "<text>hello, SOAP</text>", "{http://example.com/calc}Overflow", "(exit status 3)"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("demo output lacks %q:\n%s", s, r.stdout)
			}
		}
	}
}

func TestExitTable(t *testing.T) {
	seen := map[errors.Code]int{}
	statuses := map[int]bool{}
	for _, c := range exitClasses {
		if statuses[c.status] {
			t.Errorf("status %d is in the table twice", c.status)
		}
		statuses[c.status] = true
		for _, k := range c.codes {
			if prev, ok := seen[k]; ok {
				t.Errorf("%v is in classes %d and %d", k, prev, c.status)
			}
			seen[k] = c.status
			if got := exitStatus(errors.Errorf(k, "x")); got != c.status {
				t.Errorf("exitStatus(%v) = %d, want %d", k, got, c.status)
			}
		}
	}
	if got := exitStatus(nil); got != exitOK {
		t.Errorf("exitStatus(nil) = %d", got)
	}
	if got := exitStatus(errors.Errorf(errors.Other, "x")); got != exitOther {
		t.Errorf("exitStatus(Other) = %d", got)
	}
	withFault := errors.Errorf(errors.EndpointActionNotSupported, "x")
	withFault.Fault = &errors.Fault{}
	if got := exitStatus(withFault); got != exitFault {
		t.Errorf("an error carrying a fault exits %d, want %d", got, exitFault)
	}
}

func TestIndentXML(t *testing.T) {
	in := `<?xml version="1.0"?><a:r xmlns:a="urn:a" x="1">  <a:b>t &amp; u</a:b><c><!--n--><d/></c><e>mixed<f>in</f>line</e></a:r>`
	want := `<a:r xmlns:a="urn:a" x="1">
  <a:b>t &amp; u</a:b>
  <c>
    <!--n-->
    <d/>
  </c>
  <e>mixed<f>in</f>line</e>
</a:r>
`
	got, err := indentXML([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	var buf bytes.Buffer
	if err := writeXML(&buf, []byte("<html><p>not closed</html>"), true); err != nil || buf.String() != "<html><p>not closed</html>\n" {
		t.Errorf("malformed input must be written as it is, got %q (%v)", buf.String(), err)
	}
}

func TestTrimNamespaces(t *testing.T) {
	in := `<r xmlns="urn:r" xmlns:s="urn:s" xmlns:q="urn:q" xmlns:x="urn:x" a="q:name"><c x:attr="1"/></r>`
	want := `<r xmlns="urn:r" xmlns:q="urn:q" xmlns:x="urn:x" a="q:name"><c x:attr="1"/></r>`
	if got := string(trimNamespaces([]byte(in))); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMaskHeader(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Authorization", "Basic dXNlcg==", "Basic ***"},
		{"proxy-authorization", "Negotiate abc", "Negotiate ***"},
		{"Authorization", "token", "***"},
		{"Cookie", "a=b", "***"},
		{"Set-Cookie", "a=b; Path=/", "***"},
		{"Content-Type", "text/xml", "text/xml"},
	} {
		if got := maskHeader(tc.name, tc.in); got != tc.want {
			t.Errorf("maskHeader(%s, %q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf}
	p.set("sending", true, true, 5<<20)
	p.bytes(1<<20, 0)
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
	p.finish()
	got := buf.String()
	if !strings.HasPrefix(got, "\r\033[Ksending 1.0 MiB of 5.0 MiB (20%)… ") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("progress wrote %q", got)
	}
	p.set("receiving", true, false, -1) // after finish: nothing more
	if buf.String() != got {
		t.Errorf("progress wrote after finish: %q", buf.String())
	}
	var nilProgress *progress
	nilProgress.set("x", true, false, -1)
	nilProgress.bytes(1, 2)
	nilProgress.finish()
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"65536": 65536, "512K": 512 << 10, "16M": 16 << 20, "1GiB": 1 << 30, "2mb": 2 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "12X", "K"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}

func TestMaxSizeQuota(t *testing.T) {
	url, _ := newService(t)
	r := runWith(t, addBody, "-max-size", "100", "-action", addAction, url)
	r.want(t, exitQuota)
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(newDemoHost())
	t.Cleanup(srv.Close)
	// Without the test CA the certificate is untrusted.
	r := runWith(t, addBody, "-action", addAction, srv.URL)
	r.want(t, exitTLS)
	if !strings.Contains(r.stderr, "[CertUntrustedRoot]") {
		t.Errorf("stderr: %s", r.stderr)
	}
	ca := writeFile(t, "ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	r = runWith(t, addBody, "-cacert", ca, "-action", addAction, srv.URL)
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "<result>5</result>") {
		t.Errorf("stdout: %s", r.stdout)
	}
	runWith(t, addBody, "-cacert", writeFile(t, "empty.pem", "no PEM here"), srv.URL).want(t, exitUsage)
}
