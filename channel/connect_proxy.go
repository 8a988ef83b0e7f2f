package channel

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// connectDialer makes the TLS connections of a channel's own transport
// when https requests may go through a proxy or the channel has
// WithTransportSecurity: it connects straight to the host, or through a
// CONNECT tunnel of the proxy (as ProxyAuto or WithCustomProxy, with its
// bypass list, choose), authenticating the tunnel with the channel's proxy
// credentials in any of the four schemes, and then runs the TLS handshake
// with the settings' clientTLSConfig for the host.
//
// Go's transport authenticates a CONNECT only with Basic from the proxy
// URL; this dialer answers the proxy's 407 like any challenge: NTLM and
// Negotiate on the same proxy connection, Basic and Digest on a new one
// when the proxy closes it after the 407 (squid and tinyproxy may). The
// service's credentials never go in the CONNECT request.
type connectDialer struct {
	s        *settings
	d        *dialer
	proxyFor func(*url.URL) (*url.URL, error) // nil: always direct
	keep     *sessionCache
}

// dialTLS is the transport's DialTLSContext.
func (cd *connectDialer) dialTLS(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var pu *url.URL
	if cd.proxyFor != nil {
		if pu, err = cd.proxyFor(&url.URL{Scheme: "https", Host: addr}); err != nil {
			return nil, errors.Errorf(errors.ProxyFailure, "could not determine the proxy for https://%s: %w", addr, err)
		}
	}
	// An https:// proxy is itself reached through this function: net/http
	// asks for the TLS connection to the proxy, at the proxy's address.
	// That one is dialled directly, not tunnelled through itself.
	if pu != nil && sameHostPort(pu, addr) {
		pu = nil
	}
	var conn net.Conn
	if pu == nil {
		conn, err = cd.d.dialContext(ctx, network, addr)
	} else {
		conn, err = cd.tunnel(ctx, pu, addr)
	}
	if err != nil {
		return nil, err
	}
	tc, err := cd.handshakeTLS(ctx, conn, host)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}

// sameHostPort reports whether addr ("host:port") is the address of the
// proxy URL pu, its scheme's default port included.
func sameHostPort(pu *url.URL, addr string) bool {
	port := pu.Port()
	if port == "" {
		port = defaultPort(pu.Scheme)
	}
	return strings.EqualFold(net.JoinHostPort(pu.Hostname(), port), addr)
}

// handshakeTLS runs a client TLS handshake on conn for host, under the
// Connect timeout.
func (cd *connectDialer) handshakeTLS(ctx context.Context, conn net.Conn, host string) (*tls.Conn, error) {
	cfg, err := cd.s.clientTLSConfig(host)
	if err != nil {
		return nil, err
	}
	cfg.NextProtos = nil // HTTP/1.1 only: neither the wire nor the transport speaks HTTP/2 here
	tc := tls.Client(conn, cfg)
	trace := httptrace.ContextClientTrace(ctx)
	if trace != nil && trace.TLSHandshakeStart != nil {
		trace.TLSHandshakeStart()
	}
	hctx, cancel := ctx, context.CancelFunc(func() {})
	if d := cd.s.timeouts.Connect; d > 0 {
		hctx, cancel = context.WithTimeoutCause(ctx, d, &timeoutError{phase: "Connect", limit: d})
	}
	defer cancel()
	err = tc.HandshakeContext(hctx)
	if trace != nil && trace.TLSHandshakeDone != nil {
		trace.TLSHandshakeDone(tc.ConnectionState(), err)
	}
	if err != nil {
		if te, ok := context.Cause(hctx).(*timeoutError); ok && ctx.Err() == nil {
			return nil, te
		}
		return nil, err
	}
	return tc, nil
}

// tunnel opens a CONNECT tunnel to addr through the proxy at pu.
func (cd *connectDialer) tunnel(ctx context.Context, pu *url.URL, addr string) (net.Conn, error) {
	cfg := cd.s.proxyAuthFor(pu)
	l := &authLeg{target: security.Proxy, applies: true, cfg: cfg, allowed: cfg.schemes, origin: origin(pu)}
	l.req = &security.Request{Method: http.MethodConnect, URI: addr, Host: pu.Hostname()}
	if cfg.schemes == 0 && cd.s.serviceAuth.schemes&security.AnyScheme != 0 {
		l.note = "which this channel does not have enabled: it has credentials for the service only, and never sends them to the proxy; add WithProxyAuth"
	}
	if err := l.upFront(cd.keep); err != nil {
		return nil, err
	}
	who := "the proxy at " + pu.Host
	t := &tunnelDial{cd: cd, ctx: ctx, pu: pu, addr: addr}
	if d := cd.s.timeouts.Connect; d > 0 {
		t.deadline = time.Now().Add(d)
	}
	defer t.closeUnlessDone()
	for leg := 0; ; leg++ {
		v, err := l.header()
		if err != nil {
			return nil, l.sessionError(err)
		}
		resp, err := t.connect(v, l.session != nil && l.session.Scheme().ConnectionBound() && leg > 0)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			if l.sent {
				ch := security.SelectChallenge(security.ParseChallenges(resp.Header.Values("Proxy-Authenticate")), l.session.Scheme())
				if err := l.session.Complete(l.req, ch); err != nil {
					return nil, l.sessionError(err)
				}
			}
			return t.established()
		case resp.StatusCode == http.StatusProxyAuthRequired:
			data, whole := drainAuthBody(resp.Body)
			// Only a connection that carried a connection-bound token is
			// part of the handshake; the 407 to the first CONNECT may
			// close its connection (squid with keep_alive off).
			tokenSent := l.sent && l.session != nil && l.session.Scheme().ConnectionBound()
			if err := l.answer(cd.keep, resp, data, who); err != nil {
				return nil, err
			}
			if !whole || resp.Close {
				if l.session.Scheme().ConnectionBound() && tokenSent {
					return nil, errors.Errorf(errors.ProxyFailure,
						"the proxy at %s closed the connection after its %v challenge; the %v handshake needs all its legs on one connection",
						pu.Host, l.session.Scheme(), l.session.Scheme())
				}
				t.drop() // the answer goes on a new connection
			}
		default:
			data, _ := drainAuthBody(resp.Body)
			return nil, connectStatusError(pu, addr, resp, data)
		}
		if leg+1 >= maxAuthLegs {
			return nil, errors.Errorf(errors.ProxyAccessDenied,
				"the proxy at %s did not accept the %v credentials of user %q for the tunnel to %s after %d requests",
				pu.Host, l.session.Scheme(), cfg.cred.Username, addr, maxAuthLegs)
		}
	}
}

// connectStatusError is the error of a proxy's non-2xx answer to CONNECT.
func connectStatusError(pu *url.URL, addr string, resp *http.Response, data []byte) error {
	st := resp.StatusCode
	code := errors.ProxyFailure
	var msg string
	switch st {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		msg = fmt.Sprintf("the proxy at %s could not reach %s (it answered the CONNECT request with HTTP %s); check the address, or whether the proxy may connect there", pu.Host, addr, resp.Status)
	case http.StatusForbidden:
		code = errors.ProxyAccessDenied
		msg = fmt.Sprintf("the proxy at %s does not allow a tunnel to %s (HTTP %s)", pu.Host, addr, resp.Status)
	case http.StatusUnauthorized:
		// No service has been reached yet: a 401 to CONNECT is the
		// proxy's own. tinyproxy answers wrong proxy credentials so.
		code = errors.ProxyAccessDenied
		msg = fmt.Sprintf("the proxy at %s refused the tunnel to %s with HTTP %s: it did not accept the proxy credentials", pu.Host, addr, resp.Status)
	default:
		msg = fmt.Sprintf("the proxy at %s refused the tunnel to %s with HTTP %s", pu.Host, addr, resp.Status)
	}
	e := errors.Errorf(code, "%s", msg)
	e.Err = &StatusError{StatusCode: st, Status: resp.Status, Header: resp.Header, Body: data}
	return addBodyHint(e, resp, data)
}

// tunnelDial is one CONNECT tunnel being set up: its proxy connection,
// replaced when the proxy closes it between legs.
type tunnelDial struct {
	cd       *connectDialer
	ctx      context.Context
	pu       *url.URL
	addr     string
	deadline time.Time // of the whole set-up (Connect timeout); zero: none

	conn  net.Conn
	lr    io.LimitedReader
	br    *bufio.Reader
	stop  func() bool // stops the context watch of conn
	used  bool        // conn carried a CONNECT already
	ended bool        // the tunnel was handed over
}

// connectResponseLimit bounds what a proxy's answer to one CONNECT may
// take of the connection: its headers and the part of a 407 body read.
const connectResponseLimit = MaxHeaderBytes + authDrainLimit + 4096

// dial connects to the proxy.
func (t *tunnelDial) dial() error {
	port := t.pu.Port()
	if port == "" {
		port = defaultPort(t.pu.Scheme)
	}
	conn, err := t.cd.d.dialContext(t.ctx, "tcp", net.JoinHostPort(t.pu.Hostname(), port))
	if err != nil {
		return &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	if t.pu.Scheme == "https" {
		tc, err := t.cd.handshakeTLS(t.ctx, conn, t.pu.Hostname())
		if err != nil {
			conn.Close()
			return &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
		}
		conn = tc
	}
	if !t.deadline.IsZero() {
		conn.SetDeadline(t.deadline)
	}
	t.conn, t.used = conn, false
	t.lr = io.LimitedReader{R: conn}
	t.br = bufio.NewReader(&t.lr)
	t.stop = context.AfterFunc(t.ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return nil
}

// drop closes the proxy connection; the next leg dials again.
func (t *tunnelDial) drop() {
	if t.conn != nil {
		t.stop()
		t.conn.Close()
		t.conn = nil
	}
}

func (t *tunnelDial) closeUnlessDone() {
	if !t.ended {
		t.drop()
	}
}

// connect sends one CONNECT request with the credentials auth ("" for
// none) and reads the answer's headers. A proxy that closed a connection
// it had answered on is dialled again, unless bound says the handshake
// needs that connection.
func (t *tunnelDial) connect(auth string, bound bool) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		if t.conn == nil {
			if err := t.dial(); err != nil {
				return nil, err
			}
		}
		resp, err := t.exchange(auth)
		if err == nil {
			t.used = true
			return resp, nil
		}
		reused := t.used
		t.drop()
		if ctxErr := t.ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			d := t.cd.s.timeouts.Connect
			return nil, &timeoutError{phase: "Connect", limit: d}
		}
		if reused && bound {
			return nil, errors.Errorf(errors.ProxyFailure,
				"the proxy at %s closed the connection in the middle of the connection-bound handshake for the tunnel to %s: %w", t.pu.Host, t.addr, err)
		}
		if !reused || attempt > 0 {
			if e, ok := err.(*errors.Error); ok {
				return nil, e
			}
			return nil, errors.Errorf(errors.ProxyFailure,
				"the proxy at %s failed while opening the tunnel to %s: %w", t.pu.Host, t.addr, err)
		}
	}
}

// exchange writes a CONNECT request on the connection and reads the
// answer's headers, bounded.
func (t *tunnelDial) exchange(auth string) (*http.Response, error) {
	var b strings.Builder
	b.WriteString("CONNECT ")
	b.WriteString(t.addr)
	b.WriteString(" HTTP/1.1\r\nHost: ")
	b.WriteString(t.addr)
	b.WriteString("\r\nUser-Agent: ")
	b.WriteString(hdrUserAgent[0])
	b.WriteString("\r\n")
	if auth != "" {
		b.WriteString("Proxy-Authorization: ")
		b.WriteString(auth)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(t.conn, b.String()); err != nil {
		return nil, err
	}
	t.lr.N = connectResponseLimit
	resp, err := http.ReadResponse(t.br, &http.Request{Method: http.MethodConnect, URL: &url.URL{Host: t.addr}})
	if err != nil {
		if t.lr.N <= 0 {
			return nil, errors.Errorf(errors.ProxyFailure,
				"the proxy at %s answered CONNECT with headers over %d bytes", t.pu.Host, MaxHeaderBytes)
		}
		return nil, err
	}
	return resp, nil
}

// established hands the tunnel over: no deadline, no context watch, and
// any bytes the proxy sent after its answer kept in front of the
// connection.
func (t *tunnelDial) established() (net.Conn, error) {
	if !t.stop() {
		return nil, t.ctx.Err()
	}
	t.conn.SetDeadline(time.Time{})
	t.ended = true
	if t.br.Buffered() > 0 {
		return &bufferedConn{Conn: t.conn, r: io.MultiReader(io.LimitReader(t.br, int64(t.br.Buffered())), t.conn)}, nil
	}
	return t.conn, nil
}

// bufferedConn reads what was buffered before the connection itself.
type bufferedConn struct {
	net.Conn
	r io.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
