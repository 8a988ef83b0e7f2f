package channel

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
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
	xctx, id, cancel, err := c.begin(ctx)
	if err != nil {
		return err
	}
	x := newExchange(c, xctx, ctx, cancel)
	err = x.run(req, body, reply, out, wantReply)
	x.disarm()
	c.end(id, x.breaks(err))
	return err
}

// exchange is the state of one client HTTP exchange.
type exchange struct {
	c      *Channel
	ctx    context.Context // the exchange's context (caller's + abort + phase timers)
	caller context.Context
	cancel context.CancelCauseFunc

	timerMu  sync.Mutex
	timer    *time.Timer
	phase    phase // armed: a hook called late cannot go back to an earlier one
	limit    time.Duration
	deadline time.Time // of the armed phase; zero when none is armed
	done     bool      // disarmed for good: hooks the transport calls late do nothing

	connected bool // a connection was obtained (guarded by timerMu): failures from here may break the channel

	trace httptrace.ClientTrace
	send  *sendBuffer
	start *startLimit // bounds a streamed reply's start
	net   netReader   // the response body with coded errors

	progress *progressCounter // for Trace.Progress, or nil
}

func newExchange(c *Channel, ctx, caller context.Context, cancel context.CancelCauseFunc) *exchange {
	x := &exchange{c: c, ctx: ctx, caller: caller, cancel: cancel}
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
	return x
}

// arm starts the timer of an exchange phase, replacing the previous
// phase's. One timer serves all phases: it is reset for each, and a firing
// that belongs to an earlier phase (it raced with the reset) is recognised
// by its deadline not having passed and ignored.
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
	x.deadline = time.Now().Add(d)
	if x.timer == nil {
		x.timer = time.AfterFunc(d, x.fire)
	} else {
		x.timer.Reset(d)
	}
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
	if x.done || x.deadline.IsZero() || time.Now().Before(x.deadline) {
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
	var e *errors.Error
	if err == nil || !x.wasConnected() || !errors.As(err, &e) {
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
	op := "send " + c.addrStr
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
		return withOp(err, op)
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
		return withOp(x.transportError(err), op)
	}
	defer resp.Body.Close()
	x.arm(phaseReceive, c.cfg.timeouts.Receive)
	if t := c.cfg.trace; t != nil && t.Response != nil {
		t.Response(resp)
	}
	err = x.receive(resp, requestID, reply, out, wantReply)
	return withOp(err, op)
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
		for _, ck := range jar.Cookies(req.URL) {
			req.AddCookie(ck)
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
	// Built from the parsed address rather than with
	// http.NewRequestWithContext, which would parse it again per call.
	u := *c.address
	h := make(http.Header, 8)
	hreq := (&http.Request{
		Method:     http.MethodPost,
		URL:        &u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Host:       u.Host,
	}).WithContext(ctx)
	for k, v := range c.cfg.header {
		h[k] = append([]string(nil), v...)
	}
	c.actions.set(h, c.cfg.envelope, action)
	h["User-Agent"] = hdrUserAgent
	h["Accept-Encoding"] = hdrAcceptEncd

	applyMappedHeaders(h, req) // before a streamed writer takes over the message
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
