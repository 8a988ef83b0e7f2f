package channel

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/httplex"
	"github.com/wsgo/wsgo/internal/loopback"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/security"
)

// Second review of the wire (wire.go, wire_conn.go) as the channel drives
// it: authentication legs, redirects, TLS reuse, the writer grace, proxy
// decisions, idle pool.

// ---------------------------------------------------------------------
// helpers (with those of review_wire_test.go)

// rv2Ctx is a context ending after d, cancelled at the test's end.
func rv2Ctx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// rv2Cred are the credentials the authentication tests expect.
var rv2Cred = security.Credentials{Username: "alice", Password: "pw-rv2"}

// rv2BasicValue is the Authorization header Basic sends for rv2Cred.
func rv2BasicValue() string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(rv2Cred.Username+":"+rv2Cred.Password))
}

// rv2Eventually polls cond for up to d.
func rv2Eventually(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ---------------------------------------------------------------------
// 1. Authentication over the wire

// Basic (offered after a probe: Basic|Digest allowed) against a service
// answering the first request of each connection set with a 401 in
// various shapes: the authenticated retry succeeds, and connections are
// reused where the 401 allowed it.
func TestRV2Auth401Shapes(t *testing.T) {
	big := strings.Repeat("z", 100<<10) // over authDrainLimit
	cases := []struct {
		name      string
		resp      string
		keep      bool // the server keeps the connection after the 401
		wantConns int32
	}{
		{"body keep-alive", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nunauthorized", true, 1},
		{"chunked body keep-alive", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true, 1},
		{"Connection close", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nConnection: close\r\nContent-Length: 3\r\n\r\nno!", false, 2},
		{"HTTP/1.0 close", "HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Length: 3\r\n\r\nno!", false, 2},
		{"large body keep-alive", "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Length: " + fmt.Sprint(len(big)) + "\r\n\r\n" + big, true, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rwLeakCheck(t)
			var reqs, authed atomic.Int32
			srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, conn, n int) bool {
				reqs.Add(1)
				if req.Header.Get("Authorization") != rv2BasicValue() {
					_ = c.SetWriteDeadline(time.Now().Add(3 * time.Second))
					_, _ = io.WriteString(c, tc.resp)
					return tc.keep
				}
				authed.Add(1)
				_, _ = io.WriteString(c, rwReply())
				return true
			}))
			ch := rwChannel(t, srv.URL("/svc"), WithServiceAuth(security.Basic|security.Digest, rv2Cred), WithBasicOverHTTP(true), WithMaxConnsPerHost(1))
			ctx := rv2Ctx(t, 5*time.Second)
			for i := 0; i < 3; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
					t.Fatalf("call %d: %v (%s)", i, err, rwCode(err))
				}
			}
			// The first call probes and is challenged; the session is kept
			// and the later calls answer up front.
			if r, a := reqs.Load(), authed.Load(); r != 4 || a != 3 {
				t.Errorf("%d requests, %d authenticated; want 4 and 3", r, a)
			}
			if n := srv.Accepts.Load(); n != tc.wantConns {
				t.Errorf("%d connections, want %d", n, tc.wantConns)
			}
		})
	}
}

// A 401 answered while a large request body (over wireSyncLimit, written
// by the writer goroutine) is still going out, the service draining the
// rest afterwards (as net/http's server does up to 256 KB): the retry
// succeeds, on the same connection, and without the 50 ms writer grace
// being needed more than once.
func TestRV2Auth401EarlyWithLargeBody(t *testing.T) {
	rwLeakCheck(t)
	var reqs atomic.Int32
	srv := loopback.Listen(t, func(c *net.TCPConn, br *bufio.Reader, idx int, _ <-chan struct{}) {
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			reqs.Add(1)
			if req.Header.Get("Authorization") != rv2BasicValue() {
				// Answer at once, then drain.
				_, _ = io.WriteString(c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nContent-Length: 2\r\n\r\nno")
				if _, err := io.Copy(io.Discard, req.Body); err != nil {
					return
				}
				continue
			}
			if _, err := io.Copy(io.Discard, req.Body); err != nil {
				return
			}
			_, _ = io.WriteString(c, rwReply())
		}
	})
	ch := rwChannel(t, srv.URL("/svc"), WithServiceAuth(security.Basic|security.Digest, rv2Cred), WithBasicOverHTTP(true), WithMaxBufferedMessageSize(1<<20))
	ctx := rv2Ctx(t, 5*time.Second)
	if err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("b", 200<<10)}); err != nil {
		t.Fatalf("%v (%s)", err, rwCode(err))
	}
	if r := reqs.Load(); r != 2 {
		t.Errorf("%d requests, want 2", r)
	}
	if n := srv.Accepts.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (the service drained the body after its 401)", n)
	}
}

// rv2Digest is a scripted Digest service that checks only the shape of
// the answer (nonce known, nc increasing) and records the nonces.
type rv2Digest struct {
	mu         sync.Mutex
	n          int
	nc         map[string]uint64
	challenges int
}

func (d *rv2Digest) serve(c *net.TCPConn, req *http.Request) {
	v := req.Header.Get("Authorization")
	ok := false
	if strings.HasPrefix(v, "Digest ") {
		chs := security.ParseChallenges([]string{v})
		if len(chs) == 1 {
			p := chs[0].Params
			var nc uint64
			_, _ = fmt.Sscanf(p["nc"], "%x", &nc)
			d.mu.Lock()
			last, known := d.nc[p["nonce"]]
			if known && nc > last && p["username"] == rv2Cred.Username && p["uri"] == req.URL.RequestURI() {
				d.nc[p["nonce"]] = nc
				ok = true
			}
			d.mu.Unlock()
		}
	}
	if ok {
		_, _ = io.WriteString(c, rwReply())
		return
	}
	d.mu.Lock()
	d.n++
	d.challenges++
	nonce := fmt.Sprintf("n%d", d.n)
	d.nc[nonce] = 0
	d.mu.Unlock()
	fmt.Fprintf(c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"rv2\", qop=\"auth\", nonce=%q, algorithm=MD5\r\nContent-Length: 9\r\n\r\ngo digest", nonce)
}

// Digest across calls on kept connections: one challenge, the nonce
// reused with increasing nc, one connection; with MaxConnsPerHost(1) and
// concurrent callers the limit holds and every call succeeds.
func TestRV2DigestKeptOnKeptConnection(t *testing.T) {
	rwLeakCheck(t)
	d := &rv2Digest{nc: map[string]uint64{}}
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		d.serve(c, req)
		return true
	}))
	ch := rwChannel(t, srv.URL("/svc?x=1"), WithServiceAuth(security.Digest, rv2Cred), WithMaxConnsPerHost(1))
	ctx := rv2Ctx(t, 8*time.Second)
	for i := 0; i < 5; i++ {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if d.challenges != 1 {
		t.Errorf("%d challenges for 5 sequential calls, want 1", d.challenges)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: "y"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v (%s)", err, rwCode(err))
	}
	if n := srv.MaxLive.Load(); n != 1 {
		t.Errorf("%d connections at once under MaxConnsPerHost(1)", n)
	}
	if n := srv.Accepts.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// ---------------------------------------------------------------------
// 2. Redirects

// 307 and 308 to another host and port: the body is sent again, the
// connections of both hosts are reused over calls.
func TestRV2RedirectOtherHostBodyAndReuse(t *testing.T) {
	for _, code := range []int{307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			rwLeakCheck(t)
			var bodies sync.Map
			var bN atomic.Int32
			b := loopback.Listen(t, func(c *net.TCPConn, br *bufio.Reader, _ int, _ <-chan struct{}) {
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					data, err := io.ReadAll(req.Body)
					if err != nil {
						return
					}
					bodies.Store(bN.Add(1), string(data))
					_, _ = io.WriteString(c, rwReply())
				}
			})
			a := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
				fmt.Fprintf(c, "HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 4\r\n\r\nmove", code, b.URL("/b"))
				return true
			}))
			ch := rwChannel(t, a.URL("/a"), WithRedirects(FollowRedirects))
			ctx := rv2Ctx(t, 5*time.Second)
			for i := 0; i < 4; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: fmt.Sprintf("payload-%d", i)}); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			for i := int32(1); i <= 4; i++ {
				v, _ := bodies.Load(i)
				if s, _ := v.(string); !strings.Contains(s, fmt.Sprintf("payload-%d", i-1)) {
					t.Errorf("redirected request %d body %q", i, s)
				}
			}
			if na, nb := a.Accepts.Load(), b.Accepts.Load(); na != 1 || nb != 1 {
				t.Errorf("connections: first host %d, second host %d; want 1 and 1", na, nb)
			}
		})
	}
}

// A redirect loop ends after 10 hops with an error, on one connection,
// and leaves the pool usable.
func TestRV2RedirectLoop(t *testing.T) {
	rwLeakCheck(t)
	var loop atomic.Bool
	loop.Store(true)
	var srv *loopback.Server
	srv = loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		if loop.Load() {
			fmt.Fprintf(c, "HTTP/1.1 307 Again\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n", srv.URL("/loop"))
			return true
		}
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	ch := rwChannel(t, srv.URL("/loop"), WithRedirects(FollowRedirects))
	ctx := rv2Ctx(t, 5*time.Second)
	err := rwCall(ctx, ch, &rwBig{Text: "x"})
	if err == nil {
		t.Fatal("a redirect loop succeeded")
	}
	t.Logf("loop: %v (%s)", err, rwCode(err))
	loop.Store(false)
	if st := ch.State(); st == Open {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatalf("after the loop: %v", err)
		}
	}
	if n := srv.Accepts.Load(); n != 1 {
		t.Errorf("%d connections for the loop's hops, want 1", n)
	}
}

// A cookie set on the 307 goes with the redirected request (same host)
// and with the next call.
func TestRV2RedirectCookie(t *testing.T) {
	rwLeakCheck(t)
	var mu sync.Mutex
	var cookies []string
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		mu.Lock()
		cookies = append(cookies, req.URL.Path+"|"+req.Header.Get("Cookie"))
		mu.Unlock()
		if req.URL.Path == "/a" {
			_, _ = io.WriteString(c, "HTTP/1.1 307 Go\r\nLocation: /b\r\nSet-Cookie: k=v; Path=/\r\nContent-Length: 0\r\n\r\n")
			return true
		}
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	ch := rwChannel(t, srv.URL("/a"), WithRedirects(FollowRedirects))
	ctx := rv2Ctx(t, 5*time.Second)
	for i := 0; i < 2; i++ {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"/a|", "/b|k=v", "/a|k=v", "/b|k=v"}
	if fmt.Sprint(cookies) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q", cookies, want)
	}
}

// ---------------------------------------------------------------------
// 3. TLS

// rv2TLSLoop is a scripted TLS server: each connection's requests get
// rwReply; after is called after each response (may close etc.) and
// says whether to go on.
func rv2TLSLoop(t *testing.T, cfg *tls.Config, after func(tc *tls.Conn, idx, n int) bool) *loopback.Server {
	return loopback.Listen(t, loopback.TLSRequests(cfg, func(tc *tls.Conn, _ *http.Request, idx, n int) bool {
		if p := tc.ConnectionState().NegotiatedProtocol; p != "" && p != "http/1.1" {
			return false
		}
		if _, err := io.WriteString(tc, rwReply()); err != nil {
			return false
		}
		return after == nil || after(tc, idx, n)
	}))
}

func rv2TLSSetup(t *testing.T) (*tls.Config, *testcert.Authority) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "rv2 root"})
	leaf := root.Leaf(t, testcert.Options{})
	return &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}}, root
}

// Reuse over TLS 1.2 and 1.3 (the 1.3 server sends session tickets after
// the handshake), with WithTLSConfig and with WithTransportSecurity.
func TestRV2TLSReuseVersions(t *testing.T) {
	cfg, root := rv2TLSSetup(t)
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		for _, sec := range []bool{false, true} {
			t.Run(fmt.Sprintf("%x/transportSecurity=%v", v, sec), func(t *testing.T) {
				rwLeakCheck(t)
				c := cfg.Clone()
				c.MinVersion, c.MaxVersion = v, v
				var hs atomic.Int32
				c.VerifyConnection = func(tls.ConnectionState) error { hs.Add(1); return nil }
				srv := rv2TLSLoop(t, c, nil)
				opt := WithTLSConfig(&tls.Config{RootCAs: root.Pool()})
				if sec {
					opt = WithTransportSecurity(security.TLS{RootCAs: root.Pool()})
				}
				ch := rwChannel(t, "https://"+srv.Addr()+"/svc", opt)
				ctx := rv2Ctx(t, 5*time.Second)
				for i := 0; i < 6; i++ {
					if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
						t.Fatalf("call %d: %v", i, err)
					}
					time.Sleep(2 * time.Millisecond)
				}
				if n, h := srv.Accepts.Load(), hs.Load(); n != 1 || h != 1 {
					t.Errorf("%d connections, %d handshakes for 6 calls; want 1 and 1", n, h)
				}
			})
		}
	}
}

// A TLS service that sends close_notify on an idle connection (keeping
// or closing the socket): the next call goes on a new connection and
// succeeds.
func TestRV2TLSCloseNotifyOnIdle(t *testing.T) {
	cfg, root := rv2TLSSetup(t)
	for _, mode := range []string{"closewrite", "close"} {
		t.Run(mode, func(t *testing.T) {
			rwLeakCheck(t)
			srv := rv2TLSLoop(t, cfg, func(tc *tls.Conn, idx, n int) bool {
				if idx != 0 {
					return true
				}
				time.Sleep(20 * time.Millisecond)
				if mode == "close" {
					return false
				}
				_ = tc.CloseWrite()
				// Keep the socket: read until the client closes.
				_, _ = io.Copy(io.Discard, tc)
				return false
			})
			ch := rwChannel(t, "https://"+srv.Addr()+"/svc", WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
			ctx := rv2Ctx(t, 5*time.Second)
			if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond)
			if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
				t.Fatalf("after close_notify: %v (%s)", err, rwCode(err))
			}
			if n := srv.Accepts.Load(); n != 2 {
				t.Errorf("%d connections, want 2", n)
			}
		})
	}
}

// A server preferring h2 (and a tls.Config that offers it) is still
// spoken to in HTTP/1.1.
func TestRV2TLSALPNPrefersH2(t *testing.T) {
	rwLeakCheck(t)
	cfg, root := rv2TLSSetup(t)
	c := cfg.Clone()
	c.NextProtos = []string{"h2", "http/1.1"}
	srv := rv2TLSLoop(t, c, nil)
	for _, opt := range []Option{
		WithTLSConfig(&tls.Config{RootCAs: root.Pool(), NextProtos: []string{"h2", "http/1.1"}}),
		WithTransportSecurity(security.TLS{RootCAs: root.Pool()}),
	} {
		ch := rwChannel(t, "https://"+srv.Addr()+"/svc", opt)
		if err := rwCall(rv2Ctx(t, 5*time.Second), ch, &rwBig{Text: "x"}); err != nil {
			t.Errorf("%v (%s)", err, rwCode(err))
		}
	}
}

// Certificate classes through the wire (WithTransportSecurity): expired
// and wrong host keep their codes; a later call after a failure fails
// the same way (no half-open connection pooled).
func TestRV2TLSCertClassesThroughWire(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "rv2 root"})
	now := time.Now()
	for _, tc := range []struct {
		name string
		leaf *testcert.Leaf
		code errors.Code
	}{
		{"expired", root.Leaf(t, testcert.Options{NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-time.Hour)}), errors.CertExpired},
		{"wrong host", root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"}}), errors.CertCNNoMatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rwLeakCheck(t)
			srv := rv2TLSLoop(t, &tls.Config{Certificates: []tls.Certificate{tc.leaf.TLSCertificate()}}, nil)
			ch := rwChannel(t, "https://"+srv.Addr()+"/svc", WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
			for i := 0; i < 2; i++ {
				err := rwCall(rv2Ctx(t, 5*time.Second), ch, &rwBig{Text: "x"})
				if errors.CodeOf(err) != tc.code {
					t.Errorf("call %d: %v (%s), want %v", i, err, rwCode(err), tc.code)
				}
			}
		})
	}
}

// ---------------------------------------------------------------------
// 4. The writer grace

// A service that answers at once and stops reading a large body: the
// call ends within about the 50 ms grace after the answer.
func TestRV2EarlyAnswerLargeBodyPrompt(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			rwLeakCheck(t)
			var answered atomic.Int64
			srv := loopback.Listen(t, func(c *net.TCPConn, br *bufio.Reader, _ int, stop <-chan struct{}) {
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				answered.Store(time.Now().UnixNano())
				_, _ = io.WriteString(c, rwReply())
				select { // reads nothing more
				case <-stop:
				case <-time.After(8 * time.Second):
				}
			})
			opts := []Option{WithMaxBufferedMessageSize(64 << 20)}
			size := 16 << 20
			if streamed {
				// Within the default MaxStreamedMessageSize.
				opts = append(opts, WithTransferMode(StreamedOutput))
				size = 3 << 20
			}
			ch := rwChannel(t, srv.URL("/svc"), opts...)
			err := rwCall(rv2Ctx(t, 8*time.Second), ch, &rwBig{Text: strings.Repeat("x", size)})
			end := time.Now()
			if a := answered.Load(); a != 0 {
				extra := end.Sub(time.Unix(0, a))
				t.Logf("ended %v after the answer: %v", extra.Round(time.Millisecond), err)
				if extra > 400*time.Millisecond {
					t.Errorf("the call ended %v after the service's answer", extra.Round(time.Millisecond))
				}
			} else {
				t.Fatalf("no answer: %v", err)
			}
		})
	}
}

// Many sequential calls, buffered over wireSyncLimit and streamed, to a
// service that reads each request whole before answering: one
// connection.
func TestRV2WriterGraceKeepsConnection(t *testing.T) {
	for _, streamed := range []bool{false, true} {
		t.Run(fmt.Sprintf("streamed=%v", streamed), func(t *testing.T) {
			rwLeakCheck(t)
			srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
				_, _ = io.WriteString(c, rwReply())
				return true
			}))
			opts := []Option{WithMaxBufferedMessageSize(1 << 20)}
			if streamed {
				opts = append(opts, WithTransferMode(StreamedOutput))
			}
			ch := rwChannel(t, srv.URL("/svc"), opts...)
			ctx := rv2Ctx(t, 20*time.Second)
			payload := strings.Repeat("p", 80<<10)
			const n = 40
			for i := 0; i < n; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: payload}); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			if c := srv.Accepts.Load(); c != 1 {
				t.Errorf("%d connections for %d sequential calls, want 1", c, n)
			}
		})
	}
}

// ---------------------------------------------------------------------
// 5. Proxy decisions

// rv2Proxy is a forwarding proxy that answers requests itself, counting
// them by target host.
func rv2Proxy(t *testing.T) (*loopback.Server, *sync.Map) {
	var seen sync.Map
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		v, _ := seen.LoadOrStore(req.URL.Host, new(atomic.Int32))
		v.(*atomic.Int32).Add(1)
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	return srv, &seen
}

// rv2ProxyCase is a service and a proxy on loopback, and a channel client
// whose custom proxy bypasses 127.0.0.1: bypassed reaches the service
// directly, proxied (the same port under another name) goes through the
// proxy.
type rv2ProxyCase struct {
	client            *http.Client
	direct            *atomic.Int32 // requests the service got
	seen              *sync.Map     // requests the proxy got, by target host
	bypassed, proxied string
	proxiedHost       string
}

func rv2ProxySetup(t *testing.T) *rv2ProxyCase {
	p := &rv2ProxyCase{direct: new(atomic.Int32)}
	svc := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		p.direct.Add(1)
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	var proxy *loopback.Server
	proxy, p.seen = rv2Proxy(t)
	s := newSettings([]Option{WithCustomProxy("http://"+proxy.Addr(), "127.0.0.1")})
	var w *wireTransport
	p.client, w = s.newHTTPClient()
	t.Cleanup(w.CloseIdleConnections)
	_, port, _ := net.SplitHostPort(svc.Addr())
	p.proxiedHost = "proxied.invalid:" + port
	p.bypassed, p.proxied = "http://127.0.0.1:"+port+"/svc", "http://"+p.proxiedHost+"/svc"
	return p
}

// throughProxy is how many requests the proxy got for the proxied host.
func (p *rv2ProxyCase) throughProxy() int32 { return rv2Count(p.seen, p.proxiedHost) }

// rv2Count reads a counter of rv2Proxy's map.
func rv2Count(m *sync.Map, key string) int32 {
	v, ok := m.Load(key)
	if !ok {
		return 0
	}
	return v.(*atomic.Int32).Load()
}

// Alternating requests to a bypassed host and a proxied one on one wire:
// each goes its own way.
func TestRV2ProxyBypassAlternating(t *testing.T) {
	rwLeakCheck(t)
	p := rv2ProxySetup(t)
	bypassed, proxied := p.bypassed, p.proxied
	ctx := rv2Ctx(t, 5*time.Second)
	for i := 0; i < 6; i++ {
		u := bypassed
		if i%2 == 1 {
			u = proxied
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader("x"))
		resp, err := p.client.Transport.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if d, n := p.direct.Load(), p.throughProxy(); d != 3 || n != 3 {
		t.Errorf("direct %d, through the proxy %d; want 3 and 3", d, n)
	}
}

// ---------------------------------------------------------------------
// 6. Other

// Connections left idle under the most recent one are never checked:
// the pool pops the newest (LIFO) and only the connection popped is
// compared with the idle timeout, so while one connection carries steady
// traffic the others of an earlier burst stay open past the idle timeout
// indefinitely (net/http closes each idle connection with a timer at
// IdleConnTimeout).
func TestRV2IdleConnectionsUnderTheTopExpire(t *testing.T) {
	rwLeakCheck(t)
	release := make(chan struct{})
	var first atomic.Int32
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		if first.Add(1) <= 4 {
			<-release // hold the burst so that it takes 4 connections
		}
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	w := rwNewWire(t)
	w.idleTimeout = 150 * time.Millisecond
	ctx := rv2Ctx(t, 8*time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rv2Get(ctx, t, w, srv.URL("/svc"))
		}()
	}
	if !rv2Eventually(3*time.Second, func() bool { return srv.Accepts.Load() == 4 }) {
		t.Fatal("burst did not open 4 connections")
	}
	close(release)
	wg.Wait()
	// Steady traffic for well over the idle timeout.
	end := time.Now().Add(600 * time.Millisecond)
	for time.Now().Before(end) {
		rv2Get(ctx, t, w, srv.URL("/svc"))
		time.Sleep(20 * time.Millisecond)
	}
	_, idle, _ := rwPoolState(w)
	if live := srv.Live.Load(); live > 1 || idle > 1 {
		t.Errorf("%d connections still open (%d idle in the pool) %v after they went idle, with an idle timeout of %v",
			live, idle, 600*time.Millisecond, w.idleTimeout)
	}
}

// rv2Get posts a small body to url on w and reads the reply whole.
func rv2Get(ctx context.Context, t *testing.T, w *wireTransport, url string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("x"))
	resp, err := w.RoundTrip(req)
	if err != nil {
		t.Error(err)
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// An IPv6 literal address: Host header "[::1]:port", connection reused.
func TestRV2IPv6Literal(t *testing.T) {
	rwLeakCheck(t)
	var mu sync.Mutex
	var hosts []string
	srv, err := loopback.ListenOn(t, "tcp6", "[::1]:0", loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		mu.Lock()
		hosts = append(hosts, req.Host)
		mu.Unlock()
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	if err != nil {
		t.Skip("no IPv6 loopback here:", err)
	}
	ch := rwChannel(t, srv.URL("/svc"))
	ctx := rv2Ctx(t, 5*time.Second)
	for i := 0; i < 3; i++ {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	_ = ch.Close(ctx)
	srv.Close()
	mu.Lock()
	defer mu.Unlock()
	for _, h := range hosts {
		if h != srv.Addr() {
			t.Errorf("Host %q, want %q", h, srv.Addr())
		}
	}
	if n := srv.Accepts.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

// WithKeepAlive(false): every call on a new connection, which the
// channel closes even when the service would keep it; Connection: close
// is sent.
func TestRV2KeepAliveOff(t *testing.T) {
	rwLeakCheck(t)
	var closeHdr atomic.Int32
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		if httplex.HasToken(req.Header.Get("Connection"), "close") {
			closeHdr.Add(1)
		}
		_, _ = io.WriteString(c, rwReply()) // ignores the close
		return true
	}))
	ch := rwChannel(t, srv.URL("/svc"), WithKeepAlive(false))
	ctx := rv2Ctx(t, 5*time.Second)
	for i := 0; i < 3; i++ {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if n, h := srv.Accepts.Load(), closeHdr.Load(); n != 3 || h != 3 {
		t.Errorf("%d connections, %d Connection: close; want 3 and 3", n, h)
	}
	if !rv2Eventually(2*time.Second, func() bool { return srv.Live.Load() == 0 }) {
		t.Errorf("%d connections left open", srv.Live.Load())
	}
}

// Close while connections are idle closes them (plain and TLS); Reset
// and Open work again.
func TestRV2CloseWhileIdle(t *testing.T) {
	cfg, root := rv2TLSSetup(t)
	for _, useTLS := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", useTLS), func(t *testing.T) {
			rwLeakCheck(t)
			var srv *loopback.Server
			url := ""
			var opts []Option
			if useTLS {
				srv = rv2TLSLoop(t, cfg, nil)
				url = "https://" + srv.Addr() + "/svc"
				opts = append(opts, WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
			} else {
				srv = loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
					_, _ = io.WriteString(c, rwReply())
					return true
				}))
				url = srv.URL("/svc")
			}
			ch := rwChannel(t, url, opts...)
			ctx := rv2Ctx(t, 5*time.Second)
			if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
				t.Fatal(err)
			}
			if err := ch.Close(ctx); err != nil {
				t.Fatal(err)
			}
			if !rv2Eventually(2*time.Second, func() bool { return srv.Live.Load() == 0 }) {
				t.Errorf("%d connections open after Close", srv.Live.Load())
			}
			if err := ch.Reset(); err != nil {
				t.Fatal(err)
			}
			if err := ch.Open(ctx, url); err != nil {
				t.Fatal(err)
			}
			if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The header fields the wire reports to httptrace's WroteHeaderField are
// those net/http's Transport reports for the same request: the wire
// leaves out Content-Length (or Transfer-Encoding) and the Connection:
// close it writes itself.
func TestRV2WroteHeaderFieldMatchesNetHTTP(t *testing.T) {
	rwLeakCheck(t)
	srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	run := func(rt http.RoundTripper, chunked bool) []string {
		var mu sync.Mutex
		var keys []string
		trace := &httptrace.ClientTrace{WroteHeaderField: func(k string, _ []string) {
			mu.Lock()
			keys = append(keys, k)
			mu.Unlock()
		}}
		ctx := httptrace.WithClientTrace(rv2Ctx(t, 5*time.Second), trace)
		var body io.Reader = strings.NewReader("hello")
		if chunked {
			body = io.MultiReader(strings.NewReader("hello"))
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL("/svc"), body)
		req.Header.Set("X-A", "1")
		req.Header.Set("User-Agent", "rv2")
		req.Close = true
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		sortStrings(keys)
		return keys
	}
	w := rwNewWire(t)
	nt := &http.Transport{DisableCompression: true} // as the channel's fallback
	defer nt.CloseIdleConnections()
	for _, chunked := range []bool{false, true} {
		got, want := run(w, chunked), run(nt, chunked)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("chunked=%v: the wire reports %v, net/http %v", chunked, got, want)
		}
	}
}

// A cookie the service sets on its 401 (a load balancer's affinity
// cookie, say) is lost: the jar is applied around the whole
// authentication handshake (request.go roundTrip, and http.Client with
// redirects), which stores only the final response's cookies, so
// neither the authenticated retry nor any later call carries it.
func TestRV2CookieSetOn401Kept(t *testing.T) {
	for _, redirects := range []bool{false, true} {
		t.Run(fmt.Sprintf("redirects=%v", redirects), func(t *testing.T) {
			rwLeakCheck(t)
			var mu sync.Mutex
			var seen []string
			srv := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
				mu.Lock()
				seen = append(seen, req.Header.Get("Cookie"))
				mu.Unlock()
				if req.Header.Get("Authorization") != rv2BasicValue() {
					_, _ = io.WriteString(c, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"r\"\r\nSet-Cookie: aff=node7; Path=/\r\nContent-Length: 0\r\n\r\n")
					return true
				}
				_, _ = io.WriteString(c, rwReply())
				return true
			}))
			opts := []Option{WithServiceAuth(security.Basic|security.Digest, rv2Cred), WithBasicOverHTTP(true)}
			if redirects {
				opts = append(opts, WithRedirects(FollowRedirects))
			}
			ch := rwChannel(t, srv.URL("/svc"), opts...)
			ctx := rv2Ctx(t, 5*time.Second)
			for i := 0; i < 2; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
					t.Fatal(err)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(seen) != 3 || seen[2] != "aff=node7" {
				t.Errorf("Cookie headers of the requests %q: the cookie set on the 401 was not sent back on the later call", seen)
			}
		})
	}
}

// The proxy decision cache under concurrent requests to a bypassed host
// and a proxied one: no request goes the other's way.
func TestRV2ProxyDecisionConcurrent(t *testing.T) {
	rwLeakCheck(t)
	p := rv2ProxySetup(t)
	urls := []string{p.bypassed, p.proxied}
	ctx := rv2Ctx(t, 10*time.Second)
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, urls[(g+i)%2], strings.NewReader("x"))
				resp, err := p.client.Transport.RoundTrip(req)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if d, n := p.direct.Load(), p.throughProxy(); d != 60 || n != 60 {
		t.Errorf("direct %d, through the proxy %d; want 60 and 60", d, n)
	}
}
