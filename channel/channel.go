package channel

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Channel is one end of a SOAP message exchange over HTTP (WWSAPI's
// WS_CHANNEL). A Request channel (New) sends requests to one address and
// reads the replies; a Reply channel (from a Listener or NewHandler)
// receives one request and sends its reply.
//
// Its lifecycle is WWSAPI's (state.go): New → Created, Open → Open,
// exchanges, Close → Closed, Reset → Created again. Abort stops it at
// once. An exchange that fails in a way that leaves the channel's state in
// doubt (a phase timeout, the peer disconnecting mid-message, a malformed
// or oversized reply) moves it to Faulted; a SOAP fault, an HTTP error
// status, a refused connection or the caller's own context ending do not.
//
// A Request channel is safe for concurrent use: any number of goroutines
// may call Request and Send at once, each with its own messages.
type Channel struct {
	typ Type
	cfg settings

	mu      sync.Mutex
	state   State
	address *url.URL
	addrStr string
	pending int           // exchanges in progress
	running *runEntry     // client exchanges in progress, for Abort (a list through the exchanges)
	idle    chan struct{} // closed when pending drops to 0 while Closing
	abort   context.Context
	cancel  context.CancelCauseFunc

	// client side
	client  *http.Client
	wire    *wireTransport // the channel's own transport; nil with WithRoundTripper
	readers sync.Pool      // *xmlio.Reader for buffered replies, with the channel's options
	actions actionHeaders

	// server side
	srv *serverExchange
}

// errAborted is the cause given to the contexts of exchanges cancelled by
// Abort. It is only a marker: callers get a fresh OperationAborted error
// (contextError).
var errAborted = errors.New("the channel was aborted")

// New returns a channel of type typ (only Request; Reply channels come
// from a Listener) in state Created, configured by opts.
func New(typ Type, opts ...Option) (*Channel, error) {
	if typ != Request {
		return nil, errors.Errorf(errors.InvalidArgument,
			"channel.New: type %v is not a client channel type; use channel.Request (Reply channels come from a Listener)", typ)
	}
	cfg := newSettings(opts)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Channel{typ: typ, cfg: cfg}
	c.client, c.wire = cfg.newHTTPClient()
	c.abort, c.cancel = context.WithCancelCause(context.Background())
	return c, nil
}

func (s *settings) validate() error {
	switch s.envelope {
	case message.SOAP11, message.SOAP12, message.EnvelopeNone:
	default:
		return errors.Errorf(errors.InvalidArgument, "unknown envelope version %d", s.envelope)
	}
	switch s.addressing {
	case message.Addressing0_9, message.Addressing1_0, message.AddressingTransport:
	default:
		return errors.Errorf(errors.InvalidArgument, "unknown addressing version %d", s.addressing)
	}
	if s.envelope == message.EnvelopeNone && s.addressing != message.AddressingTransport {
		return errors.Errorf(errors.InvalidArgument, "envelope version None carries no headers: use AddressingTransport")
	}
	if s.maxBuffered <= 0 || s.maxStreamed <= 0 || s.maxStreamedStart <= 0 {
		return errors.Errorf(errors.InvalidArgument, "message size quotas must be positive")
	}
	if s.transfer < Buffered || s.transfer > Streamed {
		return errors.Errorf(errors.InvalidArgument, "unknown transfer mode %d", s.transfer)
	}
	if s.proxyErr != nil {
		return s.proxyErr
	}
	if s.proxyMode < ProxyAuto || s.proxyMode > ProxyCustom || (s.proxyMode == ProxyCustom && s.proxyURL == nil) {
		return errors.Errorf(errors.InvalidArgument, "proxy mode %d needs WithCustomProxy for custom servers", s.proxyMode)
	}
	if err := s.validateMessageSecurity(); err != nil {
		return err
	}
	if s.cookies != AutoCookies && s.cookies != ManualCookies {
		return errors.Errorf(errors.InvalidArgument, "unknown cookie mode %d", s.cookies)
	}
	if err := s.validateAuth(); err != nil {
		return err
	}
	if s.transportSecurity != nil {
		// A bad MinVersion or unknown IgnoreCertFailures bits fail here
		// rather than at the first https exchange.
		if _, err := s.clientTLSConfig(""); err != nil {
			return err
		}
	}
	return s.validateMessageSecurity()
}

// Type returns the channel's type.
func (c *Channel) Type() Type { return c.typ }

// State returns a snapshot of the channel's state (WS_CHANNEL_PROPERTY_STATE).
func (c *Channel) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Address returns the address the channel was opened with ("" before Open);
// on a Reply channel, the URL the request was sent to
// (WS_CHANNEL_PROPERTY_TRANSPORT_URL).
func (c *Channel) Address() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addrStr
}

// EnvelopeVersion returns the SOAP version of the channel's messages.
func (c *Channel) EnvelopeVersion() message.EnvelopeVersion { return c.cfg.envelope }

// AddressingVersion returns the WS-Addressing version of the channel's
// messages.
func (c *Channel) AddressingVersion() message.AddressingVersion { return c.cfg.addressing }

// NewMessage returns an Empty message in the channel's envelope and
// addressing versions (WsCreateMessageForChannel).
func (c *Channel) NewMessage() (*message.Message, error) {
	if c.typ == Reply {
		return message.New(c.cfg.envelope, c.cfg.addressing, c.cfg.recvOptions)
	}
	return message.New(c.cfg.envelope, c.cfg.addressing, c.cfg.messageOptions)
}

// Open opens a Request channel to address, an http:// or https:// URL
// (WsOpenChannel): Created → Opening → Open. No connection is made yet;
// the first exchange connects.
func (c *Channel) Open(ctx context.Context, address string) error {
	if c.typ != Request {
		return errors.Errorf(errors.InvalidOperation, "Open is for Request channels; a Reply channel is opened by its listener")
	}
	c.mu.Lock()
	t := &transitions[opOpen]
	if !t.from.has(c.state) {
		defer c.mu.Unlock()
		return stateError(opOpen, c.state)
	}
	c.state = t.during
	c.mu.Unlock()

	u, err := parseAddress(address)
	if err == nil && ctx.Err() != nil {
		err = contextError(ctx, "open "+address)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != t.during { // aborted meanwhile
		return errors.Errorf(errors.OperationAborted, "open %s: the channel was aborted", address)
	}
	if err != nil {
		c.state = Created // nothing was opened: the channel can be opened again
		return err
	}
	c.address, c.addrStr, c.state = u, address, t.done
	return nil
}

// parseAddress checks that address is an absolute http or https URL.
func parseAddress(address string) (*url.URL, error) {
	u, err := url.Parse(address)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidEndpointURL, "address %q is not a URL: %v", address, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.Errorf(errors.InvalidEndpointURL,
			"address %q: the HTTP binding needs an http:// or https:// URL", address)
	}
	if u.Host == "" {
		return nil, errors.Errorf(errors.InvalidEndpointURL, "address %q has no host", address)
	}
	if u.Fragment != "" {
		return nil, errors.Errorf(errors.InvalidEndpointURL, "address %q: a service address has no #fragment", address)
	}
	return u, nil
}

// runEntry is a client exchange's link in its channel's list of running
// exchanges: Abort cancels the exchanges on the list one by one, so that
// exchanges do not contend on a shared context, and a list threaded
// through the exchanges themselves costs no map update per exchange.
type runEntry struct {
	prev, next *runEntry
	cancel     context.CancelCauseFunc
}

// begin registers an exchange on an Open channel. With run (a client
// exchange) it returns the exchange's context, which ends when ctx does,
// when the channel is aborted, or when the exchange cancels it itself
// (phase timers), and links run, holding the context's cancel, into the
// running list; without it (a Reply channel's Receive or SendReply, whose
// blocked reads and writes Abort ends through the server exchange) it only
// counts the exchange as pending.
func (c *Channel) begin(ctx context.Context, run *runEntry) (context.Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !transitions[opIO].from.has(c.state) {
		return nil, stateError(opIO, c.state)
	}
	c.pending++
	if run == nil {
		return nil, nil
	}
	xctx, cancel := context.WithCancelCause(ctx)
	run.cancel = cancel
	run.prev, run.next = nil, c.running
	if c.running != nil {
		c.running.prev = run
	}
	c.running = run
	return xctx, nil
}

// end unregisters an exchange (run as given to begin); broke says whether
// its failure faults the channel.
func (c *Channel) end(run *runEntry, broke bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if run != nil && run.cancel != nil {
		run.cancel(nil)
		run.cancel = nil
		if run.prev != nil {
			run.prev.next = run.next
		} else {
			c.running = run.next
		}
		if run.next != nil {
			run.next.prev = run.prev
		}
		run.prev, run.next = nil, nil
	}
	if broke && c.state == Open {
		c.state = transitions[opIO].failure
	}
	c.pending--
	if c.pending == 0 && c.idle != nil {
		close(c.idle)
		c.idle = nil
	}
}

// abortAllLocked cancels every registered exchange.
func (c *Channel) abortAllLocked() {
	for run := c.running; run != nil; run = run.next {
		run.cancel(errAborted)
	}
}

// idleChan returns a channel closed when no exchange is pending.
func (c *Channel) idleChan() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == 0 {
		done := make(chan struct{})
		close(done)
		return done
	}
	return c.idleLocked()
}

func (c *Channel) idleLocked() chan struct{} {
	if c.idle == nil {
		c.idle = make(chan struct{})
	}
	return c.idle
}

// Close closes the channel (WsCloseChannel): Open or Faulted → Closing →
// Closed. It waits for pending exchanges, at most until ctx ends or the
// Close timeout passes, then aborts those still running; it then closes
// the channel's idle connections. The channel is Closed even when Close
// returns an error: OperationTimedOut or OperationAborted when it had to
// abort pending exchanges (or was aborted itself while waiting).
func (c *Channel) Close(ctx context.Context) error {
	c.mu.Lock()
	t := &transitions[opClose]
	if !t.from.has(c.state) {
		defer c.mu.Unlock()
		return stateError(opClose, c.state)
	}
	c.state = t.during
	var idle chan struct{}
	if c.pending > 0 {
		idle = c.idleLocked()
	}
	abort := c.abort.Done()
	if c.abort.Err() != nil {
		abort = nil // already aborted: pending exchanges are ending by themselves
	}
	c.mu.Unlock()

	var err error
	if idle != nil {
		var timer <-chan time.Time
		if d := c.cfg.timeouts.Close; d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-idle:
		case <-abort:
			err = errors.Errorf(errors.OperationAborted, "close: the channel was aborted while closing")
		case <-timer:
			err = errors.Errorf(errors.OperationTimedOut,
				"close: exchanges still pending after the Close timeout (%v); they were aborted", c.cfg.timeouts.Close)
		case <-ctx.Done():
			err = contextError(ctx, "close")
		}
		if err != nil {
			c.mu.Lock()
			c.cancel(errAborted)
			c.abortAllLocked()
			if c.srv != nil {
				c.srv.abort() // blocked body reads and writes end at once
			}
			c.mu.Unlock()
			<-idle // aborted exchanges end promptly
		}
	}
	if c.wire != nil {
		c.wire.CloseIdleConnections()
	}
	c.closeAuth()
	if c.srv != nil {
		c.finishServer()
	}
	c.mu.Lock()
	c.state = t.done // Closed even when the close was not graceful
	c.mu.Unlock()
	return err
}

// Abort cancels every pending exchange without waiting (WsAbortChannel).
// An Open channel becomes Faulted; other states are kept (a Closing
// channel's Close then returns OperationAborted). It never fails.
func (c *Channel) Abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch c.state {
	case Created, Closed:
		return // nothing pending; aborting would spoil the next Open
	case Open, Opening:
		c.state = Faulted
	}
	c.cancel(errAborted)
	c.abortAllLocked()
	if c.srv != nil {
		c.srv.abort()
	}
	c.closeAuth()
}

// Reset returns a Created or Closed channel to Created for reuse with
// another Open (WsResetChannel).
func (c *Channel) Reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !transitions[opReset].from.has(c.state) || c.typ != Request {
		if c.typ != Request {
			return errors.Errorf(errors.InvalidOperation, "a Reply channel serves one request and cannot be reset")
		}
		return stateError(opReset, c.state)
	}
	c.state = transitions[opReset].done
	c.address, c.addrStr = nil, ""
	c.reopenAuth()
	c.cancel(nil)
	c.abort, c.cancel = context.WithCancelCause(context.Background())
	return nil
}

// contextError maps an ended context to OperationTimedOut (deadline) or
// OperationAborted (cancelled).
func contextError(ctx context.Context, op string) *errors.Error {
	if cause := context.Cause(ctx); cause == errAborted {
		return errors.Errorf(errors.OperationAborted, "%s: the channel was aborted", op)
	}
	if ctx.Err() == context.DeadlineExceeded {
		return errors.Errorf(errors.OperationTimedOut, "%s: the context's deadline passed: %w", op, ctx.Err())
	}
	return errors.Errorf(errors.OperationAborted, "%s: the context was cancelled: %w", op, ctx.Err())
}
