package channel

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Listener is the server side of the HTTP binding (WWSAPI's WS_LISTENER):
// an http.Handler whose requests are taken one at a time with Accept, each
// as an Open Reply channel. Mount it in any Go server, or let Open start a
// server of its own on an address.
//
//	l := channel.NewListener()
//	l.Open(ctx, "http://127.0.0.1:8080/calc")
//	for {
//		ch, err := l.Accept(ctx)
//		...
//		req, _ := ch.NewMessage()
//		ch.Receive(ctx, req, &in)
//		reply, _ := ch.NewReplyMessage(req)
//		ch.SendReply(ctx, reply, &out, req)
//		ch.Close(ctx)
//	}
//
// A request waits in ServeHTTP until it is accepted, at most the Receive
// timeout, and is then answered 503 with Retry-After.
type Listener struct {
	cfg settings

	queue  chan *Channel
	closed chan struct{}
	once   sync.Once

	mu     sync.Mutex
	server *http.Server
	addr   string
	done   chan struct{} // closed when the own server's Serve returns
}

// NewListener returns a listener configured by opts (the server-side ones:
// envelope and addressing versions, quotas, timeouts, transfer mode).
func NewListener(opts ...Option) *Listener {
	return &Listener{cfg: newSettings(opts), queue: make(chan *Channel), closed: make(chan struct{})}
}

// ServeHTTP hands the request to Accept as a Reply channel and returns
// when that channel is closed or aborted.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case <-l.closed:
		refuse(w, "the listener is closed")
		return
	default:
	}
	ch := newReplyChannel(&l.cfg, w, r)
	var wait <-chan time.Time
	if d := l.cfg.timeouts.Receive; d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		wait = t.C
	}
	select {
	case l.queue <- ch:
	case <-l.closed:
		refuse(w, "the listener is closed")
		return
	case <-wait:
		refuse(w, "no one accepted the request in time")
		return
	case <-r.Context().Done():
		return
	}
	serve(ch)
}

// serve waits for a handed-out Reply channel to be closed or aborted.
func serve(ch *Channel) {
	s := ch.srv
	select {
	case <-s.closed:
	case <-s.aborted:
		// Exchanges still running on other goroutines fail at once (the
		// deadlines are in the past); the response writer must not be
		// used after ServeHTTP returns, so wait for them.
		<-ch.idleChan()
		panic(http.ErrAbortHandler) // net/http resets the connection without logging
	case <-s.r.Context().Done():
		ch.Abort()
		<-s.closed
	}
}

func refuse(w http.ResponseWriter, why string) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, "wsgo: "+why, http.StatusServiceUnavailable)
}

// Accept waits for the next request and returns it as an Open Reply
// channel (WsAcceptChannel). The caller must Close (or Abort) it.
func (l *Listener) Accept(ctx context.Context) (*Channel, error) {
	select {
	case ch := <-l.queue:
		if err := ch.accept(); err != nil {
			return nil, err
		}
		return ch, nil
	case <-l.closed:
		return nil, errors.Errorf(errors.OperationAborted, "accept: the listener is closed")
	case <-ctx.Done():
		return nil, contextError(ctx, "accept")
	}
}

// Open starts an HTTP server of the listener's own on address's host and
// port (WsOpenListener), serving the listener at address's path; port 0
// picks a free port (URL tells which). A listener mounted in another
// server needs no Open.
func (l *Listener) Open(ctx context.Context, address string) error {
	u, err := url.Parse(address)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return errors.Errorf(errors.InvalidEndpointURL, "listen address %q: want http://host:port/path", address)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return errors.Errorf(errors.InvalidEndpointURL, "listen address %q: no query or fragment allowed", address)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.server != nil {
		return errors.Errorf(errors.InvalidOperation, "the listener is already open at %s", l.addr)
	}
	host := u.Host
	if h := u.Hostname(); h == "+" || h == "*" {
		host = net.JoinHostPort("", u.Port())
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", host)
	if err != nil {
		if strings.Contains(err.Error(), "address already in use") {
			return errors.Errorf(errors.AddressInUse, "listen %s: another program holds the address: %w", host, err)
		}
		return errors.Errorf(errors.AddressNotAvailable, "listen %s: %w", host, err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle(path, l)
	l.server = NewServer(mux, l.cfg.timeouts)
	l.addr = "http://" + ln.Addr().String() + path
	l.done = make(chan struct{})
	srv, done := l.server, l.done
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return nil
}

// URL returns the address the listener's own server listens at, with the
// port it got ("" when it was not opened).
func (l *Listener) URL() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr
}

// Close stops accepting (waiting requests are answered 503) and, if the
// listener opened its own server, shuts it down gracefully: it waits for
// requests in progress until ctx ends (WsCloseListener).
func (l *Listener) Close(ctx context.Context) error {
	l.once.Do(func() { close(l.closed) })
	l.mu.Lock()
	srv, done := l.server, l.done
	l.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	if err != nil {
		srv.Close()
	}
	<-done
	if err != nil {
		return contextError(ctx, "close listener")
	}
	return nil
}

// NewServer returns an http.Server for handler with timeouts derived from
// t: header reads bounded by the Receive timeout, idle keep-alive
// connections closed after two minutes. The Reply channels set their own
// body read and write deadlines.
func NewServer(handler http.Handler, t Timeouts) *http.Server {
	t = t.resolved()
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: t.Receive,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// NewHandler returns an http.Handler that calls fn for each request with
// an Open Reply channel, on the request's goroutine (the push form of
// Listener, which package service builds on). When fn returns the channel
// is closed if fn did not close it.
func NewHandler(fn func(ctx context.Context, ch *Channel), opts ...Option) http.Handler {
	cfg := newSettings(opts)
	return handlerFunc{fn: fn, cfg: &cfg}
}

type handlerFunc struct {
	fn  func(ctx context.Context, ch *Channel)
	cfg *settings
}

func (h handlerFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ch := newReplyChannel(h.cfg, w, r)
	ch.state = Open
	ctx := r.Context()
	h.fn(ctx, ch)
	if st := ch.State(); st == Open || st == Faulted {
		_ = ch.Close(ctx)
	}
	select {
	case <-ch.srv.aborted:
		panic(http.ErrAbortHandler)
	default:
	}
}

// finishServer answers a request that got no reply when its Reply channel
// closes: 202 for a one-way request that was read, the matching fault or
// status when Receive failed, and lets ServeHTTP return.
func (c *Channel) finishServer() {
	s := c.srv
	s.mu.Lock()
	replied, received, recvErr, replyErr := s.replied, s.received, s.recvErr, s.replyErr
	s.replied = true
	s.mu.Unlock()
	if !replied {
		select {
		case <-s.aborted:
		default:
			switch {
			case recvErr != nil:
				c.answerReceiveError(recvErr)
			case replyErr != nil:
				// The reply could not be written (too large, not
				// serializable): the client gets a fault, not a 202.
				reply, _ := message.New(c.cfg.envelope, message.AddressingTransport, nil)
				_ = reply.Initialize(message.Blank, nil)
				c.writeRaw(reply, message.NewFault(c.cfg.envelope, message.FaultReceiver, "the service could not send its reply"))
			case received:
				s.w.WriteHeader(http.StatusAccepted)
			default:
				c.answerReceiveError(errors.Errorf(errors.EndpointFailure, "the service closed the request without reading it"))
			}
		}
	}
	s.closedOnce.Do(func() { close(s.closed) })
}

// answerReceiveError sends the fault or status that fits why the request
// could not be read.
func (c *Channel) answerReceiveError(err error) {
	s := c.srv
	e, _ := err.(*errors.Error)
	if e == nil {
		e = errors.Errorf(errors.Other, "%v", err)
	}
	var vm *message.VersionMismatchError
	var sf SecurityFaulter
	switch {
	case errors.As(e, &sf):
		// The request failed message security: the fault it names (a WSS
		// fault), unsigned, and nothing about which check failed.
		reply, _ := message.New(c.cfg.envelope, message.AddressingTransport, nil)
		_ = reply.Initialize(message.Blank, nil)
		c.writeRaw(reply, sf.SecurityFault(c.cfg.envelope))
		return
	case e.Code == errors.QuotaExceeded && (e.Quota == "MaxBufferedMessageSize" || e.Quota == "MaxStreamedMessageSize" || e.Quota == "MaxStreamedStartSize"):
		http.Error(s.w, "wsgo: "+e.Strings[0], http.StatusRequestEntityTooLarge)
		return
	case errors.Is(e.Err, errUnsupportedMedia):
		http.Error(s.w, "wsgo: "+e.Strings[0], http.StatusUnsupportedMediaType)
		return
	case errors.Is(e.Err, errNotPOST):
		s.w.Header().Set("Allow", "POST")
		http.Error(s.w, "wsgo: SOAP requests are POSTed", http.StatusMethodNotAllowed)
		return
	case errors.As(err, &vm):
		c.cfg.envelope = vm.ReplyVersion()
		reply, _ := message.New(c.cfg.envelope, message.AddressingTransport, nil)
		f := message.NewFault(c.cfg.envelope, message.FaultVersionMismatch, "the envelope's version is not supported here; see the Upgrade header")
		_ = reply.Initialize(message.Blank, nil)
		_ = reply.AddCustomHeader(message.UpgradeHeader(message.SOAP12, message.SOAP11), message.HeaderAttributes{})
		c.writeRaw(reply, f)
		return
	case e.Code == errors.OperationTimedOut || e.Code == errors.EndpointDisconnected || e.Code == errors.OperationAborted:
		s.abort() // nothing useful can reach the client
		return
	}
	code := message.FaultSender
	reason := "the request could not be read: " + strings.Join(e.Strings, ": ")
	if e.Code != errors.InvalidFormat && e.Code != errors.QuotaExceeded {
		code, reason = message.FaultReceiver, "the service could not process the request"
	}
	reply, _ := message.New(c.cfg.envelope, message.AddressingTransport, nil)
	_ = reply.Initialize(message.Blank, nil)
	c.writeRaw(reply, message.NewFault(c.cfg.envelope, code, reason))
}

// writeRaw writes a fault reply bypassing the state checks (used while
// Closing).
func (c *Channel) writeRaw(reply *message.Message, f *errors.Fault) {
	_, _ = c.writeReply(context.Background(), reply, f, nil, faultStatus(c.cfg.envelope, f), true, false)
}
