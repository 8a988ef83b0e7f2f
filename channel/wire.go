package channel

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsgo/wsgo/internal/httplex"
)

// The wire is the channel's own HTTP/1.1 client for services it reaches
// directly (no proxy in between): the calling goroutine writes the request
// on a pooled connection and reads the reply's headers itself, where
// net/http's Transport hands each request to a writer goroutine and each
// response from a reader goroutine, with channel operations, selects and
// contexts on every exchange. On a loopback round trip of a 1 KB SOAP
// message that hand-off is about a fifth of the whole cost (BENCHMARKS.md).
//
// What it speaks: HTTP/1.1 over TCP or TLS, requests with a known length
// (written in one go when small, by a writer goroutine alongside the
// reading of the response when large, so that a service answering early,
// a 413 say, is heard) or chunked (streamed output), responses of any
// framing (http.ReadResponse reads them), 1xx responses skipped,
// keep-alive with a per-host limit on connections, httptrace hooks.
// Requests that go through a proxy are handed to net/http's Transport
// (fallback), which the CONNECT dialer and the authentication lanes use
// too.
//
// Connection reuse: a connection goes back to the pool only when its
// response body was read to the end, the service did not ask to close it,
// the request was written whole and the exchange was not cancelled. An
// idle connection is probed (a non-blocking peek, one system call) before
// reuse, so that one the service closed while it sat idle is not given a
// request: net/http notices that with a reader goroutine per connection,
// which the wire does without. Idle connections are closed once idle for
// the idle timeout (by a timer, set only while some are idle), beyond
// maxIdle per host (the longest idle first), and by CloseIdleConnections.
type wireTransport struct {
	dial    func(ctx context.Context, network, addr string) (net.Conn, error) // TCP, for http
	dialTLS func(ctx context.Context, network, addr string) (net.Conn, error) // TCP and TLS, for https

	proxy    func(*url.URL) (*url.URL, error) // nil: no request is proxied
	fallback *http.Transport                  // proxied requests

	keepAlive   bool
	maxConns    int // per host; 0: no limit
	maxIdle     int // idle connections kept per host
	idleTimeout time.Duration
	maxHeader   int

	proxyCache atomic.Pointer[wireProxyDecision]
	uriCache   atomic.Pointer[wireURICache]

	mu     sync.Mutex
	hosts  map[string]*wireHost
	reaper *time.Timer // closes connections idle past idleTimeout; set while any is idle
	reaps  bool        // reaper is set
}

// wireSyncLimit is the largest request body written before the response is
// read; larger and chunked bodies are written by a goroutine of the
// exchange while the response is read.
const wireSyncLimit = 64 << 10

// wireHost is the pool of one scheme, host and port.
type wireHost struct {
	idle    []*wireConn // most recently used last
	open    int         // connections open or being dialled
	waiters []*wireWaiter
}

// wireWaiter is a request waiting for a connection under the per-host
// limit: it receives an idle connection, or nil when it may dial.
type wireWaiter struct {
	ch chan *wireConn
}

// wireProxyDecision caches whether requests to one origin go through a
// proxy.
type wireProxyDecision struct {
	scheme, host string
	proxied      bool
}

// RoundTrip sends req and returns the response, whose body holds the
// connection until it is read to the end or closed.
func (t *wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || t.proxied(req.URL) || !httplex.ValidHostHeader(req.URL.Host) || (req.Host != "" && !httplex.ValidHostHeader(req.Host)) {
		return t.fallback.RoundTrip(req)
	}
	resp, err := t.roundTrip(req)
	if err != nil {
		closeRequestBody(req)
	}
	return resp, err
}

// proxied says whether a request for u goes through a proxy.
func (t *wireTransport) proxied(u *url.URL) bool {
	if t.proxy == nil {
		return false
	}
	if d := t.proxyCache.Load(); d != nil && d.scheme == u.Scheme && d.host == u.Host {
		return d.proxied
	}
	pu, err := t.proxy(u)
	proxied := err != nil || pu != nil // net/http reports the error
	t.proxyCache.Store(&wireProxyDecision{scheme: u.Scheme, host: u.Host, proxied: proxied})
	return proxied
}

func (t *wireTransport) roundTrip(req *http.Request) (*http.Response, error) {
	u := req.URL
	if u.Host == "" {
		return nil, &url.Error{Op: req.Method, URL: u.String(), Err: errWireNoHost}
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return nil, &url.Error{Op: req.Method, URL: u.String(), Err: errWireScheme}
	}
	// The header is built, and checked, before a connection is taken.
	h := wireHeaders.Get().(*wireHeader)
	defer putWireHeader(h)
	if err := h.build(t, req); err != nil {
		return nil, err
	}
	ctx := req.Context()
	trace := httptrace.ContextClientTrace(ctx)
	addr := canonicalAddr(scheme, u)
	key := scheme + "://" + addr
	for attempt := 0; ; attempt++ {
		if trace != nil && trace.GetConn != nil {
			trace.GetConn(addr)
		}
		pc, err := t.getConn(ctx, key, scheme, addr)
		if err != nil {
			return nil, err
		}
		if trace != nil && trace.GotConn != nil {
			trace.GotConn(pc.gotConnInfo())
		}
		resp, err := pc.exchange(ctx, req, h, trace)
		if err == nil {
			return resp, nil
		}
		// A reused connection the service had closed before anything was
		// written: the request did not reach it, so it goes again on a
		// new connection (as net/http does), once.
		if nw, ok := err.(*wireNothingWritten); ok {
			if attempt == 0 && pc.reused && rewindable(req) {
				if req, err = rewind(req); err == nil {
					continue
				}
			}
			err = nw.err
		}
		return nil, err
	}
}

// getConn returns an idle connection to key or a new one, waiting for one
// when the per-host limit is reached.
func (t *wireTransport) getConn(ctx context.Context, key, scheme, addr string) (*wireConn, error) {
	for {
		pc, w := t.takeIdle(key)
		if w != nil {
			select {
			case pc = <-w.ch: // an idle connection, or nil: a freed slot to dial in
			case <-ctx.Done():
				t.abandonWait(key, w)
				return nil, ctx.Err()
			}
		}
		if pc == nil {
			pc, err := t.dialConn(ctx, key, scheme, addr)
			if err != nil {
				t.release(key) // the slot the dial held
				return nil, err
			}
			return pc, nil
		}
		if pc.usable() {
			return pc, nil
		}
		t.discard(pc)
	}
}

// takeIdle pops the most recent idle connection to key, or reserves a slot
// for a new one (both nil), or, at the limit, queues a waiter.
func (t *wireTransport) takeIdle(key string) (*wireConn, *wireWaiter) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.hosts[key]
	if h == nil {
		if t.hosts == nil {
			t.hosts = make(map[string]*wireHost)
		}
		h = &wireHost{}
		t.hosts[key] = h
	}
	if n := len(h.idle); n > 0 {
		pc := h.idle[n-1]
		h.idle[n-1] = nil
		h.idle = h.idle[:n-1]
		return pc, nil
	}
	if t.maxConns > 0 && h.open >= t.maxConns {
		w := &wireWaiter{ch: make(chan *wireConn, 1)}
		h.waiters = append(h.waiters, w)
		return nil, w
	}
	h.open++
	return nil, nil
}

// abandonWait removes a waiter whose context ended; a connection handed to
// it meanwhile is passed on.
func (t *wireTransport) abandonWait(key string, w *wireWaiter) {
	t.mu.Lock()
	h := t.hosts[key]
	for i, o := range h.waiters {
		if o == w {
			h.waiters = append(h.waiters[:i], h.waiters[i+1:]...)
			t.mu.Unlock()
			return
		}
	}
	t.mu.Unlock()
	// It was already handed something.
	if pc := <-w.ch; pc != nil {
		t.putIdle(pc)
	} else {
		t.release(key)
	}
}

// putIdle returns a connection whose exchange ended cleanly to the pool,
// or to a waiter.
func (t *wireTransport) putIdle(pc *wireConn) {
	pc.idleAt = time.Now()
	pc.reused = true
	t.mu.Lock()
	h := t.hosts[pc.key]
	if len(h.waiters) > 0 {
		w := h.waiters[0]
		h.waiters = h.waiters[1:]
		t.mu.Unlock()
		w.ch <- pc
		return
	}
	h.idle = append(h.idle, pc)
	var evict *wireConn
	if len(h.idle) > t.maxIdle {
		evict = h.idle[0] // the longest idle
		h.idle[0] = nil
		h.idle = h.idle[1:]
		h.open--
	}
	t.armReaperLocked(t.idleTimeout)
	t.mu.Unlock()
	if evict != nil {
		evict.conn.Close()
	}
}

// armReaperLocked sets the reaper to run in d, unless it is set already.
func (t *wireTransport) armReaperLocked(d time.Duration) {
	if t.idleTimeout <= 0 || t.reaps {
		return
	}
	t.reaps = true
	if t.reaper == nil {
		t.reaper = time.AfterFunc(d, t.reap)
		return
	}
	t.reaper.Reset(d)
}

// reap closes the connections idle for idleTimeout or more (the oldest of
// each host's idle list, which a busy pool, handing out its most recent
// connection, would never look at) and sets itself for the next to
// expire.
func (t *wireTransport) reap() {
	now := time.Now()
	var expired []*wireConn
	t.mu.Lock()
	t.reaps = false
	next := time.Duration(-1)
	for _, h := range t.hosts {
		n := 0
		for n < len(h.idle) && now.Sub(h.idle[n].idleAt) >= t.idleTimeout {
			n++
		}
		if n > 0 {
			expired = append(expired, h.idle[:n]...)
			rest := copy(h.idle, h.idle[n:])
			clear(h.idle[rest:])
			h.idle = h.idle[:rest]
			h.open -= n
		}
		if len(h.idle) > 0 {
			if d := t.idleTimeout - now.Sub(h.idle[0].idleAt); next < 0 || d < next {
				next = d
			}
		}
	}
	if next >= 0 {
		t.armReaperLocked(next)
	}
	t.mu.Unlock()
	for _, pc := range expired {
		pc.conn.Close()
	}
}

// discard closes a connection that failed or was given up on, and frees
// its slot. Over TLS the socket is closed without a close_notify alert:
// writing one into a connection whose service stopped reading would block
// (crypto/tls allows it five seconds).
func (t *wireTransport) discard(pc *wireConn) {
	pc.closeHard()
	t.release(pc.key)
}

// retire closes a connection whose last exchange ended cleanly (the
// service asked for it, or keep-alive is off), and frees its slot.
func (t *wireTransport) retire(pc *wireConn) {
	pc.conn.Close()
	t.release(pc.key)
}

// release frees one connection slot of key: a waiter may dial.
func (t *wireTransport) release(key string) {
	t.mu.Lock()
	h := t.hosts[key]
	if len(h.waiters) > 0 {
		w := h.waiters[0]
		h.waiters = h.waiters[1:]
		t.mu.Unlock()
		w.ch <- nil // the slot passes to the waiter
		return
	}
	h.open--
	t.mu.Unlock()
}

// CloseIdleConnections closes the idle connections (the channel's Close),
// the fallback's too.
func (t *wireTransport) CloseIdleConnections() {
	t.mu.Lock()
	var idle []*wireConn
	for _, h := range t.hosts {
		idle = append(idle, h.idle...)
		h.open -= len(h.idle)
		h.idle = nil
	}
	if t.reaps {
		t.reaper.Stop()
		t.reaps = false
	}
	t.mu.Unlock()
	for _, pc := range idle {
		pc.conn.Close()
	}
	t.fallback.CloseIdleConnections()
}

// dialConn opens a connection (TLS for https).
func (t *wireTransport) dialConn(ctx context.Context, key, scheme, addr string) (*wireConn, error) {
	var (
		conn net.Conn
		err  error
	)
	if scheme == "http" {
		conn, err = t.dial(ctx, "tcp", addr)
	} else {
		conn, err = t.dialTLS(ctx, "tcp", addr)
	}
	if err != nil {
		return nil, err
	}
	return newWireConn(t, key, conn), nil
}

// canonicalAddr is u's host and port, the scheme's default port filled in.
func canonicalAddr(scheme string, u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = defaultPort(scheme)
	}
	return net.JoinHostPort(host, port)
}

// rewindable says whether req's body can be sent again.
func rewindable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind returns req with a fresh body for another attempt.
func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := *req
	r.Body = body
	return &r, nil
}
