package channel

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize"
)

// Request sends a request and reads its reply (WsRequestReply).
//
// req is Empty (it is then initialized as a request) or Initialized by the
// caller with its Action and custom headers. With WS-Addressing the
// channel adds a MessageID if req has none and the To header if it is not
// set, and checks that the reply's RelatesTo, when present, names the
// request's MessageID. body is written as the request body: a value for
// WriteBody, a BodyFunc, or nil for an empty body.
//
// reply must be Empty. out receives the reply body: a pointer that
// ReadBody fills from the first body element, a BodyFunc, or nil to skip
// the body. On success both messages are Done, and reply's mapped headers
// hold the HTTP response headers.
//
// A SOAP fault reply returns an *errors.Error with Code
// EndpointFaultReceived and the fault in its Fault field. Every other
// failure is an *errors.Error with the code of its condition (see the
// package documentation for the HTTP mapping).
func (c *Channel) Request(ctx context.Context, req *message.Message, body any, reply *message.Message, out any) error {
	return c.do(ctx, req, body, reply, out, true)
}

// Send sends a one-way message (WsSendMessage): msg (Empty or Initialized,
// as for Request) with body. It succeeds when the service accepts it with
// any 2xx status, normally 202 with an empty body; a fault sent back is an
// EndpointFaultReceived error, and any other reply body is ignored.
func (c *Channel) Send(ctx context.Context, msg *message.Message, body any) error {
	return c.do(ctx, msg, body, nil, nil, false)
}

func (c *Channel) do(ctx context.Context, req *message.Message, body any, reply *message.Message, out any, wantReply bool) error {
	if c.typ != Request {
		return errors.Errorf(errors.InvalidOperation, "Request and Send are for Request channels; a Reply channel uses Receive and SendReply")
	}
	x := &exchange{c: c, caller: ctx}
	xctx, err := c.begin(ctx, &x.running)
	if err != nil {
		return err
	}
	x.setContext(xctx)
	err = x.run(req, body, reply, out, wantReply)
	x.disarm()
	c.end(&x.running, x.breaks(err))
	return err
}

// exchange is the state of one client HTTP exchange.
type exchange struct {
	c       *Channel
	ctx     context.Context // the exchange's context (caller's + abort + phase timers)
	caller  context.Context
	cancel  context.CancelCauseFunc
	running runEntry // the exchange's link in c.running (its cancel is cancel)

	timerMu  sync.Mutex
	timer    *time.Timer
	phase    phase // armed: a hook called late cannot go back to an earlier one
	limit    time.Duration
	deadline time.Time // of the armed phase; zero when none is armed
	fireAt   time.Time // when the timer fires, at or before deadline (valid while deadline is set)
	done     bool      // disarmed for good: hooks the transport calls late do nothing

	connected bool // a connection was obtained (guarded by timerMu): failures from here may break the channel

	trace   httptrace.ClientTrace
	send    *sendBuffer
	sendBuf sendBuffer  // send's storage for a buffered request
	start   *startLimit // bounds a streamed reply's start
	net     netReader   // the response body with coded errors

	progress *progressCounter // for Trace.Progress, or nil

	// shared says the request's URL and header are the channel's, shared
	// by its requests (sharesRequest): they must not be changed.
	shared bool
}

// setContext sets the exchange's context (from Channel.begin) and its
// transport hooks.
func (x *exchange) setContext(ctx context.Context) {
	c := x.c
	x.ctx, x.cancel = ctx, x.running.cancel
	x.trace = httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) {
			x.timerMu.Lock()
			x.connected = true
			x.timerMu.Unlock()
			x.arm(phaseSend, c.cfg.timeouts.Send)
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			x.arm(phaseReceiveResponse, c.cfg.timeouts.ReceiveResponse)
		},
	}
}

// arm starts the timer of an exchange phase, replacing the previous
// phase's. One timer serves all phases. A phase whose deadline is later
// than the timer's firing (the usual case: phases follow each other well
// within their limits) leaves the timer alone, and the firing, finding the
// deadline not passed, sets it again for the rest; a firing that belongs
// to an earlier phase (it raced with a reset) is handled the same way.
// The timer is reset only when there is none set (no phase armed, or
// newLeg stopped it) or the new deadline comes first.
func (x *exchange) arm(p phase, d time.Duration) {
	x.timerMu.Lock()
	defer x.timerMu.Unlock()
	if x.done || p < x.phase {
		return
	}
	x.phase, x.limit = p, d
	if d <= 0 {
		x.deadline = time.Time{}
		if x.timer != nil {
			x.timer.Stop()
		}
		return
	}
	armed := !x.deadline.IsZero() // the timer is set, to fire at fireAt
	x.deadline = time.Now().Add(d)
	switch {
	case x.timer == nil:
		x.timer = time.AfterFunc(d, x.fire)
	case armed && !x.deadline.Before(x.fireAt):
		return // it fires first, and sets itself again
	default:
		x.timer.Reset(d)
	}
	x.fireAt = x.deadline
}

// phase is a timed phase of an exchange, in the order they happen.
type phase int

const (
	phaseSend phase = iota + 1
	phaseReceiveResponse
	phaseReceive
)

// phaseNames are the phases' names, which are also the Timeouts fields.
var phaseNames = [...]string{phaseSend: "Send", phaseReceiveResponse: "ReceiveResponse", phaseReceive: "Receive"}

// fire ends the exchange with the current phase's timeout.
func (x *exchange) fire() {
	x.timerMu.Lock()
	if x.done || x.deadline.IsZero() {
		x.timerMu.Unlock()
		return
	}
	if now := time.Now(); now.Before(x.deadline) {
		// Set for an earlier deadline than the armed phase's.
		x.timer.Reset(x.deadline.Sub(now))
		x.fireAt = x.deadline
		x.timerMu.Unlock()
		return
	}
	te := &timeoutError{phase: phaseNames[x.phase], limit: x.limit}
	x.timerMu.Unlock()
	x.cancel(te)
}

// breaks says whether the exchange's failure leaves the channel Faulted:
// one that left an exchange in doubt after a connection was made (a phase
// timeout, a disconnect, the channel aborted, a message over a quota
// while it was being sent or received). An HTTP status, a SOAP fault, a
// malformed reply, a failed connection or the caller's own context
// ending do not.
func (x *exchange) breaks(err error) bool {
	if err == nil {
		return false
	}
	var e *errors.Error
	if !x.wasConnected() || !errors.As(err, &e) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return false // a complete HTTP answer
	}
	if x.caller.Err() != nil && context.Cause(x.ctx) != errAborted && x.phaseTimeout() == nil {
		return false // the caller gave up
	}
	switch e.Code {
	case errors.OperationTimedOut, errors.EndpointDisconnected, errors.OperationAborted, errors.QuotaExceeded:
		return true
	}
	return false
}

func (x *exchange) wasConnected() bool {
	x.timerMu.Lock()
	defer x.timerMu.Unlock()
	return x.connected
}

func (x *exchange) disarm() {
	x.timerMu.Lock()
	defer x.timerMu.Unlock()
	x.done = true
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
}

// run performs the exchange.
func (x *exchange) run(req *message.Message, body any, reply *message.Message, out any, wantReply bool) error {
	c := x.c
	if err := c.cfg.checkMessage(req, "request"); err != nil {
		return err
	}
	if wantReply {
		if err := c.cfg.checkMessage(reply, "reply"); err != nil {
			return err
		}
		if reply.State() != message.Empty {
			return errors.Errorf(errors.InvalidOperation, "the reply message must be Empty (it is %v); Reset it first", reply.State())
		}
	}
	requestID, err := x.prepare(req)
	if err != nil {
		return err
	}
	hreq, err := x.newHTTPRequest(req, body)
	if err != nil {
		return x.withOp(err)
	}
	resp, err := c.roundTrip(x, hreq)
	x.finishSend()
	if err == nil {
		err = x.sendError() // a streamed writer may have failed after the server answered
	}
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return x.withOp(x.transportError(err))
	}
	defer resp.Body.Close()
	x.arm(phaseReceive, c.cfg.timeouts.Receive)
	if t := c.cfg.trace; t != nil && t.Response != nil {
		t.Response(resp)
	}
	err = x.receive(resp, requestID, reply, out, wantReply)
	return x.withOp(err)
}

// withOp names the exchange ("send " and the address) as the operation of
// an *errors.Error; the name is built only for an error.
func (x *exchange) withOp(err error) error {
	if err == nil {
		return nil
	}
	return withOp(err, "send "+x.c.addrStr)
}

// roundTrip sends one HTTP request. Without a redirect policy it goes
// straight to the round tripper, with the cookie jar applied here:
// http.Client would copy the headers of every request to be ready for a
// redirect that is not going to be followed. With authentication the
// round tripper is an authTransport (http_auth.go), which runs the
// handshake's legs and finds the exchange in the request's context.
func (c *Channel) roundTrip(x *exchange, req *http.Request) (*http.Response, error) {
	if _, ok := c.client.Transport.(*authTransport); ok {
		req = withExchange(req, x)
	}
	if c.cfg.redirect != nil {
		return c.client.Do(req)
	}
	jar := c.client.Jar
	if jar != nil {
		if cookies := jar.Cookies(req.URL); len(cookies) > 0 {
			if x.shared {
				req.Header = req.Header.Clone() // not the channel's shared one
			}
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
		}
	}
	resp, err := c.client.Transport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if jar != nil {
		if rc := resp.Cookies(); len(rc) > 0 {
			jar.SetCookies(req.URL, rc)
		}
	}
	return resp, nil
}

// sharesRequest says whether the channel's requests may share their URL
// and, when they carry no mapped headers, their header: nothing but
// net/http's transport, which only reads them, sees the request (no round
// tripper or authentication layer of its own, no redirects, no
// Trace.Request hook); cookies from the jar go into a copy (roundTrip).
func (c *Channel) sharesRequest() bool {
	if c.wire == nil || c.client.Transport != http.RoundTripper(c.wire) || c.cfg.redirect != nil {
		return false
	}
	// A Trace hook given the request (Request, or Response through
	// resp.Request) could change what every later request shares.
	t := c.cfg.trace
	return t == nil || (t.Request == nil && t.Response == nil)
}

// prepare initializes and addresses the request message and returns its
// MessageID ("" without WS-Addressing).
func (x *exchange) prepare(req *message.Message) (string, error) {
	c := x.c
	switch req.State() {
	case message.Empty:
		if err := req.Initialize(message.Request, nil); err != nil {
			return "", err
		}
	case message.Initialized:
	default:
		return "", errors.Errorf(errors.InvalidOperation,
			"the request message must be Empty or Initialized (it is %v); Reset it first", req.State())
	}
	if c.cfg.addressing == message.AddressingTransport {
		return "", nil
	}
	id, ok := req.MessageID()
	if !ok {
		// A request initialized as Blank gets an ID so that the reply can
		// be correlated, made as Initialize(Request) would make it.
		if o := c.cfg.messageOptions; o != nil && o.NewMessageID != nil {
			id = o.NewMessageID()
		} else {
			id = serialize.NewGUID().URN()
		}
		if err := req.SetMessageID(id); err != nil {
			return "", err
		}
	}
	if _, ok := req.To(); !ok {
		if err := req.SetTo(c.addrStr); err != nil {
			return "", err
		}
	}
	return id, nil
}

// newHTTPRequest writes the envelope (buffered) or starts writing it
// (streamed) and returns the HTTP request that carries it.
func (x *exchange) newHTTPRequest(req *message.Message, body any) (*http.Request, error) {
	c := x.c
	ctx := httptrace.WithClientTrace(x.ctx, &x.trace)
	if t := c.cfg.trace; t != nil && t.HTTP != nil {
		ctx = httptrace.WithClientTrace(ctx, t.HTTP)
	}
	action, _ := req.Action()
	mapped := req.MappedHeaderNames() // read before a streamed writer takes over the message
	// Built from the parsed address rather than with
	// http.NewRequestWithContext, which would parse it again per call.
	var (
		u *url.URL
		h http.Header
	)
	if len(mapped) == 0 && c.sharesRequest() {
		u, h = c.address, c.sharedRequestHeader(action)
		x.shared = true
	} else {
		addr := *c.address
		u, h = &addr, make(http.Header, 8)
		c.requestHeader(h, action)
		applyMappedHeaders(h, req, mapped)
	}
	hreq := (&http.Request{
		Method:     http.MethodPost,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Host:       u.Host,
	}).WithContext(ctx)
	var envelope []byte
	if c.cfg.transfer&StreamedOutput != 0 {
		x.send = startStreamedSend(req, body, c.cfg.maxStreamed)
		hreq.Body = x.send.pipe
		hreq.ContentLength = -1
	} else {
		sb, err := x.encodeRequest(req, body)
		if err != nil {
			return nil, err
		}
		x.send = sb
		envelope = sb.bytes()
		hreq.Body, hreq.GetBody = sb.body(), sb.getBody
		hreq.ContentLength = int64(len(envelope))
	}
	if t := c.cfg.trace; t != nil && t.Progress != nil {
		x.progress = &progressCounter{fn: t.Progress}
		hreq.Body = &countingBody{r: hreq.Body, p: x.progress}
		if get := hreq.GetBody; get != nil {
			hreq.GetBody = func() (io.ReadCloser, error) {
				b, err := get()
				if err != nil {
					return nil, err
				}
				return &countingBody{r: b, p: x.progress}, nil
			}
		}
	}
	if t := c.cfg.trace; t != nil && t.Request != nil {
		t.Request(hreq, envelope)
	}
	return hreq, nil
}

// finishSend waits for a streamed writer and releases the request buffer.
func (x *exchange) finishSend() {
	if x.send != nil {
		x.send.finish()
	}
}

// sendError is the error of a streamed writer (nil for buffered sends).
func (x *exchange) sendError() error {
	if x.send != nil && x.send.err != nil {
		return x.send.err
	}
	return nil
}

// withOp sets the operation of an *errors.Error, in front of the one a
// lower layer (the XML reader) recorded.
func withOp(err error, op string) error {
	if e, ok := err.(*errors.Error); ok {
		if e.Op == "" {
			e.Op = op
		} else if !strings.HasPrefix(e.Op, op) {
			e.Op = op + ": " + e.Op
		}
	}
	return err
}
