package channel

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// HTTP header authentication (WithServiceAuth, WithProxyAuth) runs in
// authTransport, the round tripper a channel with authentication puts in
// front of its transport. Each request (each redirect hop, when redirects
// are followed) goes through a handshake: it is sent, with credentials
// when a kept session can give them up front; a 401 from the service or a
// 407 from a forwarding proxy is answered with the strongest scheme
// offered among those allowed, and the request is sent again with the
// replayable body, for at most maxAuthLegs legs.
//
// Each leg is a request of its own to the transport: the channel's phase
// timers restart with each (Send from the leg's connection, then
// ReceiveResponse), and the Trace hooks fire per leg: HTTP's connection
// events, Response for each 401 or 407 answered, and Request for each
// leg sent again, with the credentials headers masked.

// maxAuthLegs bounds the requests of one handshake: a probe, NTLM's
// NEGOTIATE and AUTHENTICATE, Digest's answer and one stale retry, for the
// proxy and the service in turn.
const maxAuthLegs = 8

// authDrainLimit bounds how much of a 401 or 407 body is read so that its
// connection can carry the next leg; a longer body costs the connection.
const authDrainLimit = 64 << 10

// exchangeKey is the context key under which roundTrip passes the
// exchange to authTransport.
type exchangeKey struct{}

// sessionKey names a kept Basic or Digest session.
type sessionKey struct {
	target security.Target
	origin string
}

// sessionCache keeps the Basic and Digest sessions of a channel, per
// target and origin, so that later requests answer up front, and the
// channel's Authenticators, one per target and credentials, which make
// every session and own the Kerberos logins Negotiate sessions share.
// Close and Abort close the Authenticators (closeAuth), which ends the
// logins and their renewal goroutines; Reset opens the cache again.
type sessionCache struct {
	mu     sync.Mutex
	m      map[sessionKey]security.Session
	auths  map[authKey]*security.Authenticator
	closed bool
}

// authKey names one of a channel's Authenticators. The proxy's
// credentials may come from its URL, so a channel can have several for
// the proxy.
type authKey struct {
	target security.Target
	cred   security.Credentials
}

func (c *sessionCache) get(k sessionKey) security.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

func (c *sessionCache) put(k sessionKey, s security.Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[sessionKey]security.Session)
	}
	c.m[k] = s
}

// newSession returns a session of the single scheme sc for target with
// cred, from the channel's Authenticator for them (made on first use).
func (c *sessionCache) newSession(sc security.Scheme, target security.Target, cred security.Credentials) (security.Session, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errors.Errorf(errors.InvalidOperation,
			"%v authentication for the %v: the channel was closed or aborted; Reset and Open it again", sc, target)
	}
	k := authKey{target, cred}
	a := c.auths[k]
	if a == nil {
		if c.auths == nil {
			c.auths = make(map[authKey]*security.Authenticator)
		}
		a = security.NewAuthenticator(target, cred)
		c.auths[k] = a
	}
	c.mu.Unlock()
	return a.NewSession(sc)
}

// close closes the Authenticators: their Kerberos logins are destroyed
// (those still in use by an aborted exchange when it lets go), and no
// session is made until reopen.
func (c *sessionCache) close() {
	c.mu.Lock()
	auths := c.auths
	c.auths, c.closed = nil, true
	c.mu.Unlock()
	for _, a := range auths {
		a.Close()
	}
}

// reopen lets a closed cache make sessions again, with new
// Authenticators (Reset).
func (c *sessionCache) reopen() {
	c.mu.Lock()
	c.closed = false
	c.mu.Unlock()
}

// origin returns the scheme, host and port of u ("https://host:443").
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = defaultPort(u.Scheme)
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

func defaultPort(scheme string) string {
	if strings.EqualFold(scheme, "https") {
		return "443"
	}
	return "80"
}

// authTransport authenticates the channel's requests (see the comment at
// the top of the file).
type authTransport struct {
	s        *settings
	jar      http.CookieJar // the channel's, or nil: cookies set on a challenge go with the next leg
	base     http.RoundTripper
	proxyFor func(*url.URL) (*url.URL, error) // forwarding proxy of plain-http requests; nil: not known
	keep     *sessionCache
	lanes    *lanePool // nil: requests go to base
}

// closeAuth ends what the channel's authentication holds (Close and
// Abort): it closes the idle connections of the channel's lanes, and those
// of lanes still lent once they come back, and closes the channel's
// Authenticators, which destroys their Kerberos logins.
func (c *Channel) closeAuth() {
	a := c.authTransport()
	if a == nil {
		return
	}
	if a.lanes != nil {
		a.lanes.closeIdle()
	}
	a.keep.close()
}

// reopenAuth readies a closed channel's authentication for another Open
// (Reset).
func (c *Channel) reopenAuth() {
	if a := c.authTransport(); a != nil {
		a.keep.reopen()
	}
}

// authTransport returns the channel's authTransport, or nil when it
// authenticates nothing itself.
func (c *Channel) authTransport() *authTransport {
	if c.client == nil {
		return nil
	}
	a, _ := c.client.Transport.(*authTransport)
	return a
}

// RoundTrip sends req through the authentication handshake.
func (a *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	x, _ := req.Context().Value(exchangeKey{}).(*exchange)
	h := &handshake{a: a, x: x, req: req}
	if err := h.init(); err != nil {
		closeRequestBody(req)
		return nil, err
	}
	rt := a.base
	if a.lanes != nil {
		ln, err := a.lanes.acquire(req.Context())
		if err != nil {
			closeRequestBody(req)
			return nil, err
		}
		h.ln, rt = ln, ln.t
	}
	resp, err := h.run(rt)
	if h.ln != nil {
		if err != nil {
			h.ln.release()
		} else {
			resp.Body = &laneBody{ReadCloser: resp.Body, ln: h.ln}
		}
	}
	return resp, err
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// handshake is the authentication state of one request.
type handshake struct {
	a       *authTransport
	x       *exchange // nil when the request did not come from an exchange
	req     *http.Request
	ln      *lane
	service authLeg
	proxy   authLeg
}

// authLeg is one target's side of a handshake.
type authLeg struct {
	target  security.Target
	applies bool // the target can challenge this request (the proxy: it forwards it)
	cfg     authConfig
	allowed security.Scheme // cfg.schemes less those not usable here
	refused bool            // Basic was taken out: plain HTTP
	note    string          // why the channel sends no credentials to this target
	origin  string
	req     *security.Request
	session security.Session
	pending string // credentials answering the last challenge, for the next leg
	sent    bool   // the session's credentials went out in this request
	replied bool   // and they answered a challenge (not sent up front)
	done    bool   // the target accepted them (Complete was called)
	realm   string // of the challenge last answered
}

// init decides what each target gets, and fails before anything is sent
// when Basic alone would go over plain HTTP.
func (h *handshake) init() error {
	a, u := h.a, h.req.URL
	svc, prx := &h.service, &h.proxy
	svc.target, prx.target = security.Service, security.Proxy
	svc.applies = true
	svc.origin = origin(u)
	home := svc.origin
	if h.x != nil && h.x.c.address != nil {
		home = origin(h.x.c.address)
	}
	hasSvc := a.s.serviceAuth.schemes&security.AnyScheme != 0
	switch {
	case hasSvc && svc.origin == home:
		svc.cfg = a.s.serviceAuth
		svc.allowed = svc.cfg.schemes
		if u.Scheme == "http" && !a.s.allowBasicOverHTTP && svc.allowed&security.Basic != 0 {
			if svc.allowed&security.AnyScheme == security.Basic {
				return errors.Errorf(errors.InvalidArgument,
					"service authentication with Basic to %s: Basic sends the password in the clear; use https or WithBasicOverHTTP(true)", svc.origin)
			}
			svc.allowed &^= security.Basic
			svc.refused = true
		}
	case hasSvc:
		svc.note = fmt.Sprintf("which this channel does not answer here: the request was redirected to %s, and the service credentials go only to the channel's address %s", svc.origin, home)
	}
	var body []byte
	if x := h.x; x != nil && x.send != nil && x.send.pipe == nil {
		body = x.send.buf
	}
	svc.req = &security.Request{Method: h.req.Method, URI: u.RequestURI(), Host: u.Hostname(), Body: body}

	// Only a plain-HTTP request is read by the proxy. An https request
	// travels inside a CONNECT tunnel: the channel's own dialer answers
	// the proxy there, and a Proxy-Authorization header on the request
	// itself would be sent, inside TLS, to the service.
	if a.proxyFor != nil && u.Scheme == "http" {
		pu, err := a.proxyFor(u)
		if err != nil {
			return errors.Errorf(errors.ProxyFailure, "could not determine the proxy for %s: %w", svc.origin, err)
		}
		if pu != nil {
			prx.applies = true
			prx.cfg = a.s.proxyAuthFor(pu)
			prx.allowed = prx.cfg.schemes
			prx.origin = origin(pu)
			// The request-target a forwarding proxy sees: the absolute form.
			uri := u.Scheme + "://" + u.Host + u.RequestURI()
			prx.req = &security.Request{Method: h.req.Method, URI: uri, Host: pu.Hostname(), Body: body}
		}
	}
	if prx.cfg.schemes == 0 && hasSvc {
		prx.note = "which this channel does not have enabled: it has credentials for the service only, and never sends them to the proxy; add WithProxyAuth"
	}
	if !hasSvc && prx.cfg.schemes != 0 && svc.note == "" {
		svc.note = "which this channel does not have enabled: it has credentials for the proxy only, and never sends them to the service; add WithServiceAuth"
	}
	for _, l := range []*authLeg{svc, prx} {
		if err := l.upFront(a.keep); err != nil {
			return err
		}
	}
	return nil
}

// upFront picks the session whose credentials go with the first leg: a
// kept Basic or Digest session, or a new Basic one when Basic is the only
// scheme allowed.
func (l *authLeg) upFront(keep *sessionCache) error {
	if l.allowed&security.AnyScheme == 0 {
		return nil
	}
	k := sessionKey{l.target, l.origin}
	if s := keep.get(k); s != nil && l.allowed&s.Scheme() != 0 {
		l.session = s
		return nil
	}
	if l.allowed&security.AnyScheme != security.Basic {
		return nil // probe: the peer says which scheme it wants
	}
	s, err := keep.newSession(security.Basic, l.target, l.cfg.cred)
	if err != nil {
		return err
	}
	keep.put(k, s)
	l.session = s
	return nil
}

// header returns the credentials for the next leg: the answer to the last
// challenge, or a kept session's up-front credentials ("" for none).
func (l *authLeg) header() (string, error) {
	if !l.applies || l.session == nil {
		return "", nil
	}
	if h := l.pending; h != "" {
		l.pending = ""
		l.sent, l.replied = true, true
		return h, nil
	}
	if l.session.Scheme().ConnectionBound() {
		return "", nil // its connection is authenticated, or the handshake starts with a challenge
	}
	h, err := l.session.Authorize(l.req, nil)
	if err != nil {
		return "", err
	}
	if h != "" {
		l.sent = true
	}
	return h, nil
}

// run sends the legs of the handshake through rt.
func (h *handshake) run(rt http.RoundTripper) (*http.Response, error) {
	for leg := 0; ; leg++ {
		out, err := h.legRequest(leg)
		if err != nil {
			if leg == 0 {
				closeRequestBody(h.req)
			}
			return nil, err
		}
		resp, err := rt.RoundTrip(out)
		if err != nil {
			if errors.Is(err, errHandshakeConnLost) {
				return nil, h.connLost()
			}
			return nil, err
		}
		// Channel bindings come from the TLS the target itself sits
		// behind. For an http:// service reached through an https proxy,
		// resp.TLS is the proxy's: the service gets none (MS-NLMP
		// §2.2.2.1, RFC 5929), the proxy gets those.
		if resp.TLS != nil {
			if h.req.URL.Scheme == "https" {
				h.service.req.TLS = resp.TLS
			} else if h.proxy.applies && h.proxy.req != nil && strings.HasPrefix(h.proxy.origin, "https://") {
				h.proxy.req.TLS = resp.TLS
			}
		}
		var l *authLeg
		switch {
		case resp.StatusCode == http.StatusProxyAuthRequired && h.proxy.applies:
			l = &h.proxy
		case resp.StatusCode == http.StatusUnauthorized:
			l = &h.service
		}
		if err := h.accepted(resp); err != nil {
			resp.Body.Close()
			return nil, err
		}
		if l == nil || (l.cfg.schemes == 0 && l.note == "") {
			return resp, nil // not a challenge this channel answers: the exchange maps the status
		}
		if t := h.trace(); t != nil && t.Response != nil {
			t.Response(resp)
		}
		if j := h.a.jar; j != nil {
			// A cookie set on a challenge (a load balancer's affinity
			// cookie) goes with the answer, and with later requests.
			if rc := resp.Cookies(); len(rc) > 0 {
				j.SetCookies(h.req.URL, rc)
			}
		}
		data, whole := drainAuthBody(resp.Body)
		who := "the service"
		if l.target == security.Proxy {
			who = "the proxy at " + l.origin
		}
		// Whether the request just answered carried a connection-bound
		// token: only then is the connection part of the handshake.
		tokenSent := l.sent && l.session != nil && l.session.Scheme().ConnectionBound()
		if err := l.answer(h.a.keep, resp, data, who); err != nil {
			return nil, err
		}
		if l.session.Scheme().ConnectionBound() && h.ln != nil {
			switch {
			case (!whole || resp.Close) && tokenSent:
				return nil, h.connLost()
			case !whole || resp.Close:
				// The 401/407 to a request without a token closes its
				// connection (IIS with HTTP/1.0 or Connection: close,
				// squid with keep_alive off): nothing is bound to it yet,
				// so the handshake starts on a new one.
				h.ln.guard.Store(false)
			default:
				h.ln.guard.Store(true) // the next legs must find this connection
			}
		}
		if leg+1 >= maxAuthLegs {
			return nil, errors.Errorf(accessDeniedCode(l.target),
				"the %v authentication did not complete after %d requests; the %v keeps challenging the %v credentials of user %q",
				l.target, maxAuthLegs, l.target, l.session.Scheme(), l.cfg.cred.Username)
		}
	}
}

// trace returns the channel's Trace, or nil.
func (h *handshake) trace() *Trace {
	if h.x == nil {
		return nil
	}
	return h.x.c.cfg.trace
}

// legRequest builds the request of a leg: a copy of the original with the
// credentials of each target, and for legs after the first a new body.
func (h *handshake) legRequest(leg int) (*http.Request, error) {
	out := h.req.Clone(h.req.Context())
	if leg > 0 {
		switch {
		case h.req.GetBody != nil:
			b, err := h.req.GetBody()
			if err != nil {
				return nil, err
			}
			out.Body = b
		case h.req.Body != nil && h.req.Body != http.NoBody:
			return nil, errors.Errorf(errors.InvalidArgument,
				"the %v asked for authentication, but the streamed request body cannot be sent again; use Basic alone (sent up front) or buffered output",
				h.challenger())
		}
	}
	if leg > 0 && h.a.jar != nil {
		mergeCookies(out, h.a.jar.Cookies(out.URL))
	}
	for _, l := range []*authLeg{&h.proxy, &h.service} {
		v, err := l.header()
		if err != nil {
			return nil, l.sessionError(err)
		}
		if v != "" {
			out.Header.Set(l.target.CredentialsHeader(), v)
		}
	}
	if leg > 0 && h.x != nil {
		h.x.newLeg()
		if t := h.trace(); t != nil && t.Request != nil {
			var envelope []byte
			if h.x.send != nil && h.x.send.pipe == nil {
				envelope = h.x.send.buf
			}
			t.Request(maskCredentials(out), envelope)
		}
	}
	return out, nil
}

// mergeCookies sets the jar's cookies on a leg's request: a cookie of
// the same name already in its Cookie header takes the jar's value, the
// others are added.
func mergeCookies(req *http.Request, jar []*http.Cookie) {
	if len(jar) == 0 {
		return
	}
	have := req.Cookies()
	for _, ck := range jar {
		found := false
		for _, c := range have {
			if c.Name == ck.Name {
				c.Value, found = ck.Value, true
			}
		}
		if !found {
			have = append(have, ck)
		}
	}
	req.Header.Del("Cookie")
	for _, c := range have {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
}

// challenger names the target whose challenge is being answered.
func (h *handshake) challenger() security.Target {
	if h.proxy.pending != "" {
		return security.Proxy
	}
	return security.Service
}

// maskCredentials returns a copy of req for a trace, with the credentials
// headers showing only their scheme.
func maskCredentials(req *http.Request) *http.Request {
	c := *req
	c.Header = req.Header.Clone()
	for _, k := range []string{"Authorization", "Proxy-Authorization"} {
		if v := c.Header.Get(k); v != "" {
			scheme, _, _ := strings.Cut(v, " ")
			c.Header.Set(k, scheme+" (hidden)")
		}
	}
	return &c
}

// accepted completes the session of each target that was sent credentials
// in this request and did not challenge resp: the proxy accepted them
// unless it answered 407, the service unless it answered 401 (a 407 never
// reached it).
func (h *handshake) accepted(resp *http.Response) error {
	st := resp.StatusCode
	for _, l := range []*authLeg{&h.proxy, &h.service} {
		if !l.sent || l.done {
			continue
		}
		if st == http.StatusProxyAuthRequired || (l.target == security.Service && st == http.StatusUnauthorized) {
			continue
		}
		l.done = true
		ch := security.SelectChallenge(security.ParseChallenges(resp.Header.Values(l.target.ChallengeHeader())), l.session.Scheme())
		if err := l.session.Complete(l.req, ch); err != nil {
			return l.sessionError(err)
		}
		if l.session.Scheme().ConnectionBound() && h.ln != nil {
			h.ln.guard.Store(false)
		}
	}
	return nil
}

// answer reads a 401 or 407 and sets the credentials of the next leg.
// Basic and Digest sessions it starts are kept in keep. who names the peer
// in errors ("the service", "the proxy at host:port").
func (l *authLeg) answer(keep *sessionCache, resp *http.Response, data []byte, who string) error {
	values := resp.Header.Values(l.target.ChallengeHeader())
	chs := security.ParseChallenges(values)
	if l.cfg.schemes&security.AnyScheme == 0 {
		return l.requires(resp, data, who, l.note)
	}
	if l.sent {
		// Credentials went out with this request: the challenge answers
		// them (a continuation, stale=true) or rejects them.
		scheme := l.session.Scheme()
		ch := security.SelectChallenge(chs, scheme)
		if ch == nil && !l.replied {
			// Credentials sent up front (Basic, a kept Digest nonce) for a
			// scheme the peer does not offer: not a rejection of the
			// password, a demand for another scheme. Choose among what is
			// offered, as for a first challenge.
			l.sent, l.session = false, nil
			return l.choose(keep, resp, data, who, values, chs)
		}
		if ch == nil {
			return errors.Errorf(accessDeniedCode(l.target),
				"the %v answered %s to the %v credentials of user %q%s, now offering %s: the credentials were not accepted",
				l.target, resp.Status, scheme, l.cfg.cred.Username, realmText(l.realm), strings.Join(authSchemes(values), ", "))
		}
		return l.authorize(l.session, ch)
	}
	return l.choose(keep, resp, data, who, values, chs)
}

// choose answers a challenge with the strongest allowed scheme offered, or
// fails with the *Requires*Auth code of what was offered.
//
// Negotiate that cannot start (no Kerberos configuration or ticket, no KDC
// reachable) gives way to NTLM when both are allowed and offered, as
// Windows' SPNEGO falls back to NTLM: a wrong Kerberos password does not.
func (l *authLeg) choose(keep *sessionCache, resp *http.Response, data []byte, who string, values []string, chs []security.Challenge) error {
	var negotiateErr error
	for _, one := range [...]security.Scheme{security.Negotiate, security.NTLM, security.Digest, security.Basic} {
		if l.allowed&one == 0 {
			continue
		}
		ch := security.SelectChallenge(chs, one)
		if ch == nil {
			continue
		}
		s := l.session
		if s == nil || s.Scheme() != one {
			var err error
			if s, err = keep.newSession(one, l.target, l.cfg.cred); err != nil {
				if l.fallsBack(one, chs, err) {
					negotiateErr = err
					continue
				}
				return err
			}
			if !one.ConnectionBound() {
				keep.put(sessionKey{l.target, l.origin}, s)
			}
		}
		l.session = s
		err := l.authorize(s, ch)
		if err != nil && l.fallsBack(one, chs, err) {
			l.session, negotiateErr = nil, err
			continue
		}
		return err
	}
	if negotiateErr != nil {
		return negotiateErr
	}
	why := fmt.Sprintf("which this channel does not allow (it allows %v for the %v)", l.cfg.schemes, l.target)
	if l.refused && security.SelectChallenge(chs, security.Basic) != nil {
		why = fmt.Sprintf("which this channel does not use over plain HTTP: Basic sends the password in the clear; use https or WithBasicOverHTTP(true) (it allows %v for the %v)", l.cfg.schemes, l.target)
	}
	return l.requires(resp, data, who, why)
}

// fallsBack reports whether a failure to start Negotiate should give way
// to NTLM: NTLM is allowed and offered, and Kerberos could not even try
// (configuration, tickets, the KDC), rather than refusing the user.
func (l *authLeg) fallsBack(one security.Scheme, chs []security.Challenge, err error) bool {
	if one != security.Negotiate || l.allowed&security.NTLM == 0 || security.SelectChallenge(chs, security.NTLM) == nil {
		return false
	}
	switch errors.CodeOf(err) {
	case errors.SecuritySystemFailure, errors.InvalidArgument:
		return true
	}
	return false
}

// authorize asks s for the answer to ch.
func (l *authLeg) authorize(s security.Session, ch *security.Challenge) error {
	v, err := s.Authorize(l.req, ch)
	if err != nil {
		return l.sessionError(err)
	}
	if v == "" {
		return errors.Errorf(errors.SecuritySystemFailure,
			"the %v session for the %v produced no credentials for its challenge", s.Scheme(), l.target)
	}
	if r := ch.Params["realm"]; r != "" {
		l.realm = r
	}
	l.pending = v
	return nil
}

// sessionError passes on a session's error as an *errors.Error; an
// ErrRejected without one gets the target's access-denied code.
func (l *authLeg) sessionError(err error) error {
	var e *errors.Error
	if errors.As(err, &e) {
		return e
	}
	user := ""
	if l.session != nil {
		user = l.cfg.cred.Username
	}
	if errors.Is(err, security.ErrRejected) {
		return errors.Errorf(accessDeniedCode(l.target), "the %v rejected the credentials of user %q%s: %w",
			l.target, user, realmText(l.realm), err)
	}
	return errors.Errorf(errors.SecuritySystemFailure, "%v authentication failed: %w", l.target, err)
}

// requires is the error of a challenge the channel does not answer: the
// *Requires*Auth code of the strongest scheme offered, with the status.
func (l *authLeg) requires(resp *http.Response, data []byte, who, why string) error {
	code, msg := authRequiredWhy(resp.Header.Values(l.target.ChallengeHeader()), l.target == security.Proxy, why)
	st := resp.StatusCode
	e := errors.Errorf(code, "%s %s (HTTP status %d (0x%X) %q)", who, msg, st, st, http.StatusText(st))
	e.Err = &StatusError{StatusCode: st, Status: resp.Status, Header: resp.Header, Body: data}
	return addBodyHint(e, resp, data)
}

// connLost is the error of a connection-bound handshake whose connection
// went away between legs.
func (h *handshake) connLost() error {
	l := &h.service
	code := errors.EndpointDisconnected
	if h.proxy.session != nil && h.proxy.session.Scheme().ConnectionBound() && !h.proxy.done {
		l, code = &h.proxy, errors.ProxyFailure
	}
	scheme := security.Scheme(0)
	if l.session != nil {
		scheme = l.session.Scheme()
	}
	return errors.Errorf(code,
		"the %v closed the connection in the middle of the %v handshake, whose legs must all travel on one connection; the credentials were not sent on another one (is a load balancer without session affinity, or a Connection: close, in between?)",
		l.target, scheme)
}

// errHandshakeConnLost is returned by a lane's dialer when a
// connection-bound handshake would continue on a new connection.
var errHandshakeConnLost = errors.New("connection lost in the middle of a connection-bound handshake")

func realmText(realm string) string {
	if realm == "" {
		return ""
	}
	return fmt.Sprintf(" (realm %q)", realm)
}

func accessDeniedCode(t security.Target) errors.Code {
	if t == security.Proxy {
		return errors.ProxyAccessDenied
	}
	return errors.EndpointAccessDenied
}

// drainAuthBody reads what a 401 or 407 body holds, at most
// authDrainLimit bytes, and closes it. whole says it was read to its end,
// so the connection can carry the next leg.
func drainAuthBody(body io.ReadCloser) (data []byte, whole bool) {
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, authDrainLimit))
	if err != nil {
		return data, false
	}
	var one [1]byte
	n, err := body.Read(one[:])
	return data, n == 0 && err == io.EOF
}

// newLeg readies the exchange's phase timers for another leg of a
// handshake: the next connection arms Send again.
func (x *exchange) newLeg() {
	x.timerMu.Lock()
	defer x.timerMu.Unlock()
	if x.done {
		return
	}
	x.phase, x.deadline = 0, time.Time{}
	if x.timer != nil {
		x.timer.Stop()
	}
}

// withExchange returns req with the exchange in its context, for
// authTransport.
func withExchange(req *http.Request, x *exchange) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), exchangeKey{}, x))
}
