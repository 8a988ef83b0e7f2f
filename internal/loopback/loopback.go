// Package loopback is a scripted TCP server for tests that answer HTTP by
// hand: dripping, stalling, resetting, lying about lengths, closing
// keep-alive connections unannounced, anything net/http's server will not
// do. It listens on 127.0.0.1, hands each accepted connection to a
// Handler, counts connections, and at the test's cleanup closes every
// connection and waits for every handler.
package loopback

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Watchdog bounds every connection: a handler still reading or writing
// after it fails its I/O, so a test that goes wrong ends by itself.
const Watchdog = 10 * time.Second

// Handler serves one connection: br reads it, idx is its number (from 0),
// stop is closed when the server stops. The connection is closed when the
// handler returns.
type Handler func(c *net.TCPConn, br *bufio.Reader, idx int, stop <-chan struct{})

// Server is a running loopback server.
type Server struct {
	// Accepts counts the connections accepted; Live those open now and
	// MaxLive the most open at once.
	Accepts, Live, MaxLive atomic.Int32

	ln   net.Listener
	stop chan struct{}
	once sync.Once
	wg   sync.WaitGroup

	mu    sync.Mutex
	conns map[net.Conn]bool
}

// Listen starts a server on 127.0.0.1 whose connections h serves; the
// test's cleanup stops it.
func Listen(tb testing.TB, h Handler) *Server {
	tb.Helper()
	s, err := ListenOn(tb, "tcp", "127.0.0.1:0", h)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// ListenOn is Listen on another loopback address ("tcp6", "[::1]:0"); the
// error says the address cannot be listened on here.
func ListenOn(tb testing.TB, network, address string, h Handler) (*Server, error) {
	ln, err := net.Listen(network, address)
	if err != nil {
		return nil, err
	}
	s := &Server{ln: ln, stop: make(chan struct{}), conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve(h)
	tb.Cleanup(s.Close)
	return s, nil
}

func (s *Server) serve(h Handler) {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		idx := int(s.Accepts.Add(1)) - 1
		for n := s.Live.Add(1); ; {
			m := s.MaxLive.Load()
			if n <= m || s.MaxLive.CompareAndSwap(m, n) {
				break
			}
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				s.Live.Add(-1)
				c.Close()
			}()
			_ = c.SetDeadline(time.Now().Add(Watchdog))
			h(c.(*net.TCPConn), bufio.NewReader(c), idx, s.stop)
		}()
	}
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is an http:// address of the server with path.
func (s *Server) URL(path string) string { return "http://" + s.Addr() + path }

// Close stops the server: it closes stop, the listener and every
// connection, and waits for the handlers. It may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.stop)
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// Requests is a Handler that reads a connection's requests one after
// another, draining each body, and hands each to answer with the
// connection's number and the request's number on it; answer writes the
// response and says whether to read another request.
func Requests(answer func(c *net.TCPConn, req *http.Request, conn, n int) bool) Handler {
	return func(c *net.TCPConn, br *bufio.Reader, idx int, _ <-chan struct{}) {
		readRequests(br, func(req *http.Request, n int) bool { return answer(c, req, idx, n) })
	}
}

// TLSRequests is Requests over TLS: each connection is served as a TLS
// server with cfg, and answer writes on the TLS connection.
func TLSRequests(cfg *tls.Config, answer func(c *tls.Conn, req *http.Request, conn, n int) bool) Handler {
	return func(c *net.TCPConn, _ *bufio.Reader, idx int, _ <-chan struct{}) {
		tc := tls.Server(c, cfg)
		defer tc.Close()
		readRequests(bufio.NewReader(tc), func(req *http.Request, n int) bool { return answer(tc, req, idx, n) })
	}
}

// readRequests reads requests from br one after another, draining each
// body, and hands each to answer with its number until answer says stop.
func readRequests(br *bufio.Reader, answer func(req *http.Request, n int) bool) {
	for n := 0; ; n++ {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return
		}
		if !answer(req, n) {
			return
		}
	}
}

// Once is a Handler that reads one request, draining its body, and hands
// the connection to answer; the connection ends when answer returns.
func Once(answer func(c *net.TCPConn, req *http.Request, stop <-chan struct{})) Handler {
	return func(c *net.TCPConn, br *bufio.Reader, _ int, stop <-chan struct{}) {
		readRequests(br, func(req *http.Request, _ int) bool {
			answer(c, req, stop)
			return false
		})
	}
}
