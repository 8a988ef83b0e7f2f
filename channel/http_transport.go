package channel

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync/atomic"
	"time"
)

// newHTTPClient builds the HTTP client of a request channel: the channel's
// own transport (dialer with resolve and connect timeouts, proxy, TLS,
// connection reuse) unless a RoundTripper was given, a cookie jar in
// AutoCookies mode, and the redirect policy. transport is nil when the
// round tripper is the caller's. With service or proxy authentication the
// client's round tripper is an authTransport in front of either
// (http_auth.go), sending through lanes (auth_lanes.go) when a
// connection-bound scheme is allowed and the transport is the channel's.
func (s *settings) newHTTPClient() (client *http.Client, wire *wireTransport) {
	rt := s.roundTripper
	keep := &sessionCache{}
	var transport *http.Transport
	if rt == nil {
		d := &dialer{resolve: s.timeouts.Resolve, connect: s.timeouts.Connect}
		transport = s.newTransport(d, keep)
		wire = s.newWire(transport, d, keep)
		rt = wire
	}
	if s.hasAuth() {
		a := &authTransport{s: s, base: rt, keep: keep}
		if transport != nil {
			a.proxyFor = s.proxyResolver()
			if s.connectionBound() {
				a.lanes = newLanePool(transport, s.maxConnsPerHost, s.keepAlive)
			}
		}
		rt = a
	}
	client = &http.Client{Transport: rt}
	if s.cookies == AutoCookies {
		jar, _ := cookiejar.New(nil) // never fails with nil options
		client.Jar = &lazyJar{jar: jar}
		if a, ok := rt.(*authTransport); ok {
			a.jar = client.Jar
		}
	}
	policy := s.redirect
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		orig := via[0].URL
		if orig.Scheme == "https" && req.URL.Scheme != "https" {
			return http.ErrUseLastResponse // never downgrade to plain HTTP (as WinHTTP)
		}
		if policy == nil || !policy(orig, req.URL) {
			return http.ErrUseLastResponse
		}
		if len(via) >= 10 {
			return &redirectLoopError{n: len(via), last: req.URL.String()}
		}
		if req.URL.Scheme != orig.Scheme || req.URL.Host != orig.Host {
			// Credentials and cookies set for the service stay with it
			// (net/http strips some only when the host name changes).
			for _, h := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
				req.Header.Del(h)
			}
		}
		return nil
	}
	return client, wire
}

// newTransport builds the channel's transport. https connections go
// through the channel's connectDialer when a proxy may carry them (its
// CONNECT tunnel authenticates with any scheme) or when
// WithTransportSecurity needs a TLS configuration per host; otherwise the
// transport makes them itself, with WithTLSConfig's configuration.
func (s *settings) newTransport(d *dialer, keep *sessionCache) *http.Transport {
	tunnels := s.proxyMode == ProxyCustom || (s.proxyMode == ProxyAuto && httpsProxyInEnv())
	t := &http.Transport{
		Proxy:                 s.proxyFunc(tunnels, s.hasAuth()),
		DialContext:           d.dialContext,
		TLSHandshakeTimeout:   s.timeouts.Connect,
		DisableKeepAlives:     !s.keepAlive,
		DisableCompression:    true, // the channel asks for and decodes gzip itself, under its quotas
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   s.maxConnsPerHost,
		MaxConnsPerHost:       s.maxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 0,
		// WWSAPI's header buffer default; a reply's headers are held
		// whole, so they are bounded like a message.
		MaxResponseHeaderBytes: MaxHeaderBytes,
	}
	if tunnels || s.transportSecurity != nil {
		cd := &connectDialer{s: s, d: d, keep: keep}
		if tunnels {
			cd.proxyFor = s.proxyResolver()
		}
		t.DialTLSContext = cd.dialTLS
	}
	if t.MaxIdleConnsPerHost == 0 {
		t.MaxIdleConnsPerHost = 1024
	}
	if s.tlsConfig != nil {
		t.TLSClientConfig = s.tlsConfig.Clone()
	}
	return t
}

// newWire builds the channel's wire (wire.go) for the services it reaches
// directly, with fallback, the channel's net/http transport, for requests
// through a proxy. It dials with fallback's dialer d; its TLS connections
// are the connectDialer's, always direct.
func (s *settings) newWire(fallback *http.Transport, d *dialer, keep *sessionCache) *wireTransport {
	return &wireTransport{
		dial:        d.dialContext,
		dialTLS:     (&connectDialer{s: s, d: d, keep: keep}).dialTLS,
		proxy:       s.proxyResolver(),
		fallback:    fallback,
		keepAlive:   s.keepAlive,
		maxConns:    s.maxConnsPerHost,
		maxIdle:     fallback.MaxIdleConnsPerHost,
		idleTimeout: fallback.IdleConnTimeout,
		maxHeader:   MaxHeaderBytes,
	}
}

// lazyJar is a cookie jar that costs nothing until a service sets a
// cookie: most SOAP services never do, and a jar lookup per request
// (locking, URL canonicalization) is measurable on a fast exchange.
type lazyJar struct {
	jar  *cookiejar.Jar
	used atomic.Bool
}

func (j *lazyJar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.used.Store(true)
	j.jar.SetCookies(u, cookies)
}

func (j *lazyJar) Cookies(u *url.URL) []*http.Cookie {
	if !j.used.Load() {
		return nil
	}
	return j.jar.Cookies(u)
}

// MaxHeaderBytes bounds the HTTP headers of a reply (client side) and of
// a request (server side, NewServer), as WWSAPI's
// WS_CHANNEL_PROPERTY_MAX_HTTP_REQUEST_HEADERS_BUFFER_SIZE does.
const MaxHeaderBytes = 64 << 10

// dialer resolves the host under the Resolve timeout, then connects to its
// addresses in turn under the Connect timeout.
type dialer struct {
	resolve, connect time.Duration
	net              net.Dialer
}

func (d *dialer) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []net.IPAddr
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IPAddr{{IP: ip}}
	} else {
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if d.resolve > 0 {
			rctx, cancel = context.WithTimeoutCause(ctx, d.resolve, &timeoutError{phase: "Resolve", limit: d.resolve})
		}
		ips, err = net.DefaultResolver.LookupIPAddr(rctx, host)
		cause := context.Cause(rctx)
		cancel()
		if err != nil {
			if te, ok := cause.(*timeoutError); ok && ctx.Err() == nil {
				return nil, te
			}
			return nil, err
		}
	}
	cctx, cancel := ctx, context.CancelFunc(func() {})
	var connectBy time.Time
	if d.connect > 0 {
		connectBy = time.Now().Add(d.connect)
		cctx, cancel = context.WithTimeoutCause(ctx, d.connect, &timeoutError{phase: "Connect", limit: d.connect})
	}
	defer cancel()
	var first error
	for _, ip := range ips {
		c, err := d.net.DialContext(cctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		if first == nil {
			first = err
		}
		if cctx.Err() != nil {
			break
		}
	}
	if te, ok := context.Cause(cctx).(*timeoutError); ok && ctx.Err() == nil {
		return nil, te
	}
	// net.Dialer puts the context's deadline on the socket itself and may
	// report "i/o timeout" a moment before the context's own timer has
	// fired: still the Connect timeout, unless the caller's deadline came
	// first.
	var ne net.Error
	if !connectBy.IsZero() && errors.As(first, &ne) && ne.Timeout() && ctx.Err() == nil {
		if dl, ok := ctx.Deadline(); !ok || dl.After(connectBy) {
			return nil, &timeoutError{phase: "Connect", limit: d.connect}
		}
	}
	if first == nil {
		first = &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	return nil, first
}

// timeoutError is the cause recorded when one of the channel's phase
// timeouts expires.
type timeoutError struct {
	phase string
	limit time.Duration
}

func (e *timeoutError) Error() string {
	return "the " + e.phase + " timeout (" + e.limit.String() + ") expired"
}

// Timeout reports true, so the error counts as a net.Error timeout.
func (e *timeoutError) Timeout() bool { return true }

// Temporary reports true (net.Error).
func (e *timeoutError) Temporary() bool { return true }

// redirectLoopError stops a chain of redirects.
type redirectLoopError struct {
	n    int
	last string
}

func (e *redirectLoopError) Error() string {
	return "stopped after too many redirects"
}

var _ net.Error = (*timeoutError)(nil)
