package channel_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// tunnelProxy is a CONNECT proxy on a raw TCP listener that records the
// bytes of every request it reads.
type tunnelProxy struct {
	ln net.Listener
	// verdict decides a CONNECT: 0 opens the tunnel, otherwise the status
	// to answer with (and the header to send).
	verdict func(r *http.Request, conn int) (status int, header string)
	// closeAfter407 closes the connection after each 407, as an HTTP/1.0
	// proxy would.
	closeAfter407 bool

	mu    sync.Mutex
	raw   []string // each request as read
	conns int
	wg    sync.WaitGroup
}

func newTunnelProxy(t *testing.T, verdict func(r *http.Request, conn int) (int, string)) *tunnelProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &tunnelProxy{ln: ln, verdict: verdict}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *tunnelProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *tunnelProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns++
		n := p.conns
		p.mu.Unlock()
		p.wg.Add(1)
		go p.handle(c, n)
	}
}

func (p *tunnelProxy) handle(c net.Conn, n int) {
	defer p.wg.Done()
	defer c.Close()
	var rec bytes.Buffer
	br := bufio.NewReader(io.TeeReader(c, &rec))
	for {
		rec.Reset()
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		p.mu.Lock()
		p.raw = append(p.raw, rec.String())
		p.mu.Unlock()
		if r.Method != http.MethodConnect {
			fmt.Fprintf(c, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
			continue
		}
		status, header := p.verdict(r, n)
		if status == http.StatusProxyAuthRequired {
			fmt.Fprintf(c, "HTTP/1.1 407 Proxy Authentication Required\r\n%s\r\nContent-Length: 5\r\n\r\ndeny\n", header)
			if p.closeAfter407 {
				return
			}
			continue
		}
		if status != 0 {
			fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", status, http.StatusText(status))
			continue
		}
		target, err := net.Dial("tcp", r.RequestURI)
		if err != nil {
			fmt.Fprintf(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
			return
		}
		fmt.Fprintf(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		done := make(chan struct{})
		go func() {
			io.Copy(target, br)
			target.(*net.TCPConn).CloseWrite()
			close(done)
		}()
		io.Copy(c, target)
		c.Close()
		target.Close()
		<-done
		return
	}
}

// requests returns the raw requests read so far.
func (p *tunnelProxy) requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.raw...)
}

func (p *tunnelProxy) connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conns
}

// basicProxyVerdict requires Basic proxy credentials.
func basicProxyVerdict(user, pass string) func(r *http.Request, conn int) (int, string) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	return func(r *http.Request, _ int) (int, string) {
		if r.Header.Get("Proxy-Authorization") != want {
			return http.StatusProxyAuthRequired, `Proxy-Authenticate: Basic realm="px"`
		}
		return 0, ""
	}
}

var pxCred = security.Credentials{Username: "pxuser", Password: "pxpass"}

// checkNoServiceCredentials fails when a CONNECT carried Authorization.
func checkNoServiceCredentials(t *testing.T, p *tunnelProxy) {
	t.Helper()
	for _, r := range p.requests() {
		if strings.Contains(strings.ToLower(r), "\r\nauthorization:") || strings.Contains(r, base64.StdEncoding.EncodeToString([]byte(authUser+":"+authPass))) {
			t.Fatalf("a CONNECT request carried the service's credentials:\n%s", r)
		}
	}
}

func TestConnectProxyBasicThenServiceBasic(t *testing.T) {
	var slog wireLog
	srv, trust := authTLSServer(t, basicGuard(&slog, authUser, authPass, addHandler()))
	p := newTunnelProxy(t, basicProxyVerdict("pxuser", "pxpass"))
	_, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()),
		channel.WithProxyAuth(security.Basic|security.Digest, pxCred),
		channel.WithServiceAuth(security.Basic, aliceCred))
	if err != nil {
		t.Fatal(err)
	}
	reqs := p.requests()
	if len(reqs) != 2 || strings.Contains(reqs[0], "Proxy-Authorization") || !strings.Contains(reqs[1], "Proxy-Authorization: Basic") {
		t.Fatalf("CONNECT requests: want a probe then Basic, got %q", reqs)
	}
	if !strings.HasPrefix(reqs[0], "CONNECT "+strings.TrimPrefix(srv.URL, "https://")+" HTTP/1.1\r\n") {
		t.Errorf("request line: %q", reqs[0])
	}
	checkNoServiceCredentials(t, p)
	if slog.requests() != 1 || slog.authz[0] == "" {
		t.Errorf("service saw %q", slog.authz)
	}
}

func TestConnectProxyURLUserinfo(t *testing.T) {
	srv, trust := authTLSServer(t, addHandler())
	p := newTunnelProxy(t, basicProxyVerdict("pxuser", "pxpass"))
	u := strings.Replace(p.url(), "http://", "http://pxuser:pxpass@", 1)
	if _, err := call(t, srv.URL, trust, channel.WithCustomProxy(u)); err != nil {
		t.Fatal(err)
	}
	if reqs := p.requests(); len(reqs) != 1 {
		t.Fatalf("%d CONNECT requests, want 1 (Basic up front)", len(reqs))
	}
}

func TestConnectProxyErrors(t *testing.T) {
	srv, trust := authTLSServer(t, addHandler())
	addr := strings.TrimPrefix(srv.URL, "https://")

	t.Run("wrong password", func(t *testing.T) {
		p := newTunnelProxy(t, basicProxyVerdict("pxuser", "pxpass"))
		_, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()),
			channel.WithProxyAuth(security.Basic, security.Credentials{Username: "pxuser", Password: "wrong-password"}))
		wantAuthCode(t, err, errors.ProxyAccessDenied, "pxuser")
		if n := len(p.requests()); n != 1 {
			t.Errorf("%d CONNECT requests, want 1 (Basic up front, rejected)", n)
		}
	})
	t.Run("service credentials only", func(t *testing.T) {
		p := newTunnelProxy(t, basicProxyVerdict("pxuser", "pxpass"))
		_, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()), channel.WithServiceAuth(security.Basic, aliceCred))
		wantAuthCode(t, err, errors.ProxyRequiresBasicAuth, "credentials for the service only")
		for _, r := range p.requests() {
			if strings.Contains(r, "Authorization") {
				t.Fatalf("credentials went to the proxy:\n%s", r)
			}
		}
	})
	t.Run("scheme not allowed", func(t *testing.T) {
		p := newTunnelProxy(t, func(*http.Request, int) (int, string) {
			return http.StatusProxyAuthRequired, "Proxy-Authenticate: NTLM"
		})
		_, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()), channel.WithProxyAuth(security.Basic|security.Digest, pxCred))
		wantAuthCode(t, err, errors.ProxyRequiresNTLMAuth, "offered: NTLM")
	})
	t.Run("bad gateway", func(t *testing.T) {
		p := newTunnelProxy(t, func(*http.Request, int) (int, string) { return http.StatusBadGateway, "" })
		_, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()))
		wantAuthCode(t, err, errors.ProxyFailure, "could not reach "+addr)
	})
	t.Run("bypassed", func(t *testing.T) {
		p := newTunnelProxy(t, func(*http.Request, int) (int, string) { return http.StatusBadGateway, "" })
		if _, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url(), "127.0.0.1")); err != nil {
			t.Fatal(err)
		}
		if n := len(p.requests()); n != 0 {
			t.Errorf("a bypassed host went through the proxy (%d requests)", n)
		}
	})
}

func TestConnectProxyClosesAfter407(t *testing.T) {
	srv, trust := authTLSServer(t, addHandler())
	p := newTunnelProxy(t, basicProxyVerdict("pxuser", "pxpass"))
	p.closeAfter407 = true
	if _, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()), channel.WithProxyAuth(security.Basic|security.Digest, pxCred)); err != nil {
		t.Fatal(err)
	}
	if n := p.connections(); n != 2 {
		t.Errorf("%d proxy connections, want 2 (the answer on a new one)", n)
	}
}

func TestConnectProxyDigest(t *testing.T) {
	srv, trust := authTLSServer(t, addHandler())
	d := newDigestVerifier("pxuser", "pxpass", true)
	p := newTunnelProxy(t, func(r *http.Request, _ int) (int, string) {
		if ok, _ := d.check(r.Header.Get("Proxy-Authorization"), r.Method, r.RequestURI); ok {
			return 0, ""
		}
		rec := &headerRecorder{h: http.Header{}}
		d.challenge(rec, false)
		return http.StatusProxyAuthRequired, "Proxy-Authenticate: " + rec.h.Get("Proxy-Authenticate")
	})
	if _, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()), channel.WithProxyAuth(security.AnyScheme, pxCred)); err != nil {
		t.Fatal(err)
	}
}

// headerRecorder is an http.ResponseWriter that keeps the header only.
type headerRecorder struct{ h http.Header }

func (r *headerRecorder) Header() http.Header         { return r.h }
func (r *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (r *headerRecorder) WriteHeader(int)             {}

// ntlmTunnelProxy is a CONNECT proxy demanding NTLM that checks the
// handshake's legs: NEGOTIATE then AUTHENTICATE on the connection that got
// the CHALLENGE. probeHeaders are added to the 407 of a CONNECT without
// credentials (such as "\r\nConnection: close"). violations returns what
// broke the rules.
func ntlmTunnelProxy(t *testing.T, probeHeaders string) (p *tunnelProxy, violations func() []string) {
	var mu sync.Mutex
	negotiatedOn := map[int]bool{}
	var bad []string
	p = newTunnelProxy(t, func(r *http.Request, conn int) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		v := r.Header.Get("Proxy-Authorization")
		tok, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "NTLM "))
		switch {
		case v == "":
			return http.StatusProxyAuthRequired, "Proxy-Authenticate: NTLM" + probeHeaders
		case err != nil || len(tok) < 12:
			bad = append(bad, v)
			return http.StatusProxyAuthRequired, "Proxy-Authenticate: NTLM"
		case tok[8] == 1:
			negotiatedOn[conn] = true
			return http.StatusProxyAuthRequired, "Proxy-Authenticate: NTLM " + base64.StdEncoding.EncodeToString(ntlmChallengeMessage())
		case tok[8] == 3 && negotiatedOn[conn]:
			return 0, ""
		}
		bad = append(bad, "AUTHENTICATE on another connection")
		return http.StatusProxyAuthRequired, "Proxy-Authenticate: NTLM"
	})
	return p, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(bad)
	}
}

func TestConnectProxyNTLMOnOneConnection(t *testing.T) {
	srv, trust := authTLSServer(t, addHandler())
	p, violations := ntlmTunnelProxy(t, "")
	if _, err := call(t, srv.URL, trust, channel.WithCustomProxy(p.url()), channel.WithProxyAuth(security.NTLM|security.Basic, ntlmCred)); err != nil {
		t.Fatal(err)
	}
	if bad := violations(); len(bad) != 0 || p.connections() != 1 || len(p.requests()) != 3 {
		t.Fatalf("violations %q, %d connections (want 1), %d requests (want 3)", bad, p.connections(), len(p.requests()))
	}
}
