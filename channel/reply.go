package channel

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The causes of the Receive failures Close answers with 405 and 415.
var (
	errNotPOST          = errors.New("not a POST")
	errUnsupportedMedia = errors.New("unsupported media type")
)

// serverExchange is the HTTP request a Reply channel serves.
type serverExchange struct {
	w   http.ResponseWriter
	r   *http.Request
	rc  *http.ResponseController
	env message.EnvelopeVersion // of the request, from its content type

	mu         sync.Mutex
	received   bool
	recvErr    error // why Receive failed, answered by Close
	replyErr   error // why a reply could not be written, answered by Close
	replied    bool
	wsa        bool // the request carried WS-Addressing headers
	action     string
	closed     chan struct{} // closed by Close: the handler may return
	aborted    chan struct{} // closed by Abort: the handler aborts the response
	abortOnce  sync.Once
	closedOnce sync.Once
}

// abort stops the exchange: blocked body reads and writes fail at once,
// and the handler resets the connection instead of answering.
func (s *serverExchange) abort() {
	s.abortOnce.Do(func() {
		now := time.Now()
		_ = s.rc.SetReadDeadline(now)
		_ = s.rc.SetWriteDeadline(now)
		close(s.aborted)
	})
}

// newReplyChannel returns an Open Reply channel for one HTTP request.
func newReplyChannel(cfg *settings, w http.ResponseWriter, r *http.Request) *Channel {
	c := &Channel{typ: Reply, cfg: *cfg, state: Created}
	c.abort, c.cancel = context.WithCancelCause(r.Context())
	c.srv = &serverExchange{w: w, r: r, rc: http.NewResponseController(w),
		closed: make(chan struct{}), aborted: make(chan struct{})}
	c.srv.env = requestEnvelope(cfg, r.Header.Get("Content-Type"))
	c.cfg.envelope = c.srv.env
	if c.srv.env == message.EnvelopeNone {
		c.cfg.addressing = message.AddressingTransport
	}
	c.addrStr = requestURL(r)
	return c
}

// accept moves a Created Reply channel to Open (WsAcceptChannel).
func (c *Channel) accept() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &transitions[opAccept]
	if !t.from.has(c.state) {
		return stateError(opAccept, c.state)
	}
	c.state = t.done // Accepting is instantaneous: the request has already arrived
	return nil
}

// requestEnvelope picks the envelope version of a request: the listener's
// only version when it was restricted to one, else the one its content
// type names (SOAP 1.1 for text/xml and unknown types: the version check
// when reading then answers a VersionMismatch fault).
func requestEnvelope(cfg *settings, ct string) message.EnvelopeVersion {
	if cfg.envelopeSet {
		return cfg.envelope
	}
	if kind, _ := classifyMedia(ct); kind == mediaSOAP12 {
		return message.SOAP12
	}
	return message.SOAP11
}

func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

// HTTPRequest returns the HTTP request a Reply channel serves (nil on a
// Request channel), for its remote address, TLS state and headers.
func (c *Channel) HTTPRequest() *http.Request {
	if c.srv == nil {
		return nil
	}
	return c.srv.r
}

// Receive reads the request of a Reply channel into msg, which must be
// Empty (WsReceiveMessage), and its body into out (a pointer, a BodyFunc,
// or nil to leave the body unread: msg is then Done). The request's HTTP
// headers become msg's mapped headers; with AddressingTransport (or a
// request without WS-Addressing headers) msg's Action is the HTTP action
// (SOAPAction, or the SOAP 1.2 action parameter).
//
// When Receive fails the request could not be read; Close then answers
// the client with the matching fault or status (415 for a wrong content
// type, 413 for an oversized request, a VersionMismatch fault for the other
// SOAP version, a Sender fault for malformed XML), unless the caller sent
// its own answer with SendFault.
func (c *Channel) Receive(ctx context.Context, msg *message.Message, out any) error {
	if c.typ != Reply {
		return errors.Errorf(errors.InvalidOperation, "Receive is for Reply channels")
	}
	if _, err := c.begin(ctx, nil); err != nil {
		return err
	}
	s := c.srv
	s.mu.Lock()
	if s.received {
		s.mu.Unlock()
		c.end(nil, false)
		return errors.Errorf(errors.InvalidOperation, "Receive: an HTTP Reply channel carries one request, already received")
	}
	s.received = true
	s.mu.Unlock()
	if ctx.Done() != nil {
		// A blocked read ends when ctx does (the read deadline moves to now).
		defer whenDone(ctx, func() { _ = s.rc.SetReadDeadline(time.Now()) })()
	}
	err := c.receive(ctx, msg, out)
	if err != nil {
		s.mu.Lock()
		s.recvErr = err
		s.mu.Unlock()
	}
	c.end(nil, false)
	return withOp(err, "receive "+c.addrStr)
}

func (c *Channel) receive(ctx context.Context, msg *message.Message, out any) error {
	s := c.srv
	if err := c.cfg.checkMessage(msg, "request"); err != nil {
		return err
	}
	if msg.State() != message.Empty {
		return errors.Errorf(errors.InvalidOperation, "the message to receive into must be Empty (it is %v)", msg.State())
	}
	if s.r.Method != http.MethodPost {
		return errors.Errorf(errors.InvalidFormat, "the request is HTTP %s; SOAP requests are POSTed: %w", s.r.Method, errNotPOST)
	}
	if err := checkMedia(s.env, s.r.Header.Get("Content-Type"), "the client"); err != nil {
		err.Err = errUnsupportedMedia
		return err
	}
	if d := c.cfg.timeouts.Receive; d > 0 {
		_ = s.rc.SetReadDeadline(time.Now().Add(d))
	}
	streamed := c.cfg.transfer&StreamedInput != 0
	q := c.cfg.requestQuota()
	limit, quota := q.limit, q.quota
	if s.r.ContentLength > limit {
		return errors.Quotaf(quota, "the request is %d bytes, over the listener's %s of %d", s.r.ContentLength, quota, limit)
	}
	body := &serverBody{r: s.r.Body, ctx: ctx}
	var rd *xmlio.Reader
	var start *startLimit
	var verified *any // what message security's Verify returned, recorded once msg is read
	if streamed {
		if c.cfg.messageSecurity != nil {
			return securedStreaming(c.cfg.transfer)
		}
		start = newStartLimit(body, c.cfg.maxStreamedStart)
		rd = xmlio.NewStreamReader(start, c.cfg.readerFor(limit))
	} else {
		bufp := recvBufferPool.Get().(*[]byte)
		defer func() {
			// A message left Reading refers to the bytes: they go to the
			// garbage collector with it.
			if msg.State() != message.Reading {
				recycleRecvBuffer(bufp)
			}
		}()
		data, err := readAllLimit(body, (*bufp)[:0], q)
		*bufp = data
		if err != nil {
			return err
		}
		if c.cfg.messageSecurity != nil {
			// The request is checked whole before it is parsed; a failure
			// is answered by Close with the fault it names.
			setSecurityResult(msg, nil)
			res, err := c.cfg.verifyReceived(ctx, data, "the request")
			if err != nil {
				return err
			}
			verified = &res
		}
		rd = xmlio.NewReader(data, c.cfg.readerFor(limit))
	}
	if err := msg.ReadStart(rd); err != nil {
		return renameQuota(err, quota)
	}
	if start != nil {
		start.done = true
	}
	if verified != nil {
		if err := c.cfg.acceptSecured(msg, *verified); err != nil {
			return err
		}
	}
	if streamed && rd.Offset() > c.cfg.maxStreamedStart {
		return errors.Quotaf("MaxStreamedStartSize",
			"the request's envelope start and headers take %d bytes, over the listener's MaxStreamedStartSize of %d", rd.Offset(), c.cfg.maxStreamedStart)
	}
	_, hasAction := msg.Action()
	_, hasID := msg.MessageID()
	_, hasTo := msg.To()
	s.wsa = c.cfg.addressing != message.AddressingTransport && (hasAction || hasID || hasTo)
	s.action = actionFromHeaders(s.env, s.r.Header)
	if !hasAction && s.action != "" {
		if err := msg.SetAction(s.action); err != nil {
			return err
		}
	}
	if err := mapHeadersIn(msg, s.r.Header); err != nil {
		return err
	}
	return renameQuota(readBody(msg, out), quota)
}

// renameQuota names the reader's document size quota after the channel's
// message size quota it stands for.
func renameQuota(err error, quota string) error {
	var e *errors.Error
	if errors.As(err, &e) && e.Code == errors.QuotaExceeded && e.Quota == "MaxBytes" {
		e.Quota = quota
	}
	return err
}

// NewReplyMessage returns an Empty message for the reply to request on a
// Reply channel: in the request's SOAP version, and with WS-Addressing
// only when the request used it (a plain SOAP client gets a plain reply),
// in the version it used: a Reply channel's messages read either
// WS-Addressing 1.0 or 2004/08 (message.Options.AcceptOtherAddressing).
func (c *Channel) NewReplyMessage(request *message.Message) (*message.Message, error) {
	addr := c.cfg.addressing
	switch {
	case c.srv != nil && !c.srv.wsa:
		addr = message.AddressingTransport
	case request != nil && request.AddressingVersion() != message.AddressingTransport:
		addr = request.AddressingVersion() // the version the client called with
	}
	return message.New(c.cfg.envelope, addr, c.cfg.messageOptions)
}

// replyAddressingOK reports whether a reply's WS-Addressing version fits:
// the channel's, none, or the version the request was read in.
func (c *Channel) replyAddressingOK(reply, request *message.Message) bool {
	v := reply.AddressingVersion()
	return v == c.cfg.addressing || v == message.AddressingTransport ||
		(request != nil && v == request.AddressingVersion())
}

// receiveOptions are the message options of a Reply channel's requests:
// the channel's, with AcceptOtherAddressing, so that a service configured
// for WS-Addressing 1.0 (the default) also serves 2004/08 clients, and the
// reverse, each answered in its own version.
func (s *settings) receiveOptions() *message.Options {
	o := message.Options{}
	if s.messageOptions != nil {
		o = *s.messageOptions
	}
	o.AcceptOtherAddressing = true
	return &o
}

// SendReply sends the reply of a Reply channel (WsSendReplyMessage):
// reply (Empty, then initialized as the reply to request; or Initialized by
// the caller) with body (a value, a BodyFunc, an *errors.Fault, or nil).
// The HTTP status is 200, or 500 for a fault (400 for a SOAP 1.2 Sender
// fault). Create reply with NewReplyMessage.
func (c *Channel) SendReply(ctx context.Context, reply *message.Message, body any, request *message.Message) error {
	status, isFault := http.StatusOK, false
	if f, ok := body.(*errors.Fault); ok {
		status, isFault = faultStatus(c.cfg.envelope, f), true
	}
	return c.sendReply(ctx, reply, body, request, status, isFault)
}

// SendFault sends fault as the reply of a Reply channel
// (WsSendFaultMessageForError): reply (Empty) is initialized as the fault
// reply to request (which may be nil when the request could not be read).
func (c *Channel) SendFault(ctx context.Context, reply *message.Message, fault *errors.Fault, request *message.Message) error {
	if fault == nil {
		return errors.Errorf(errors.InvalidArgument, "SendFault: fault is nil")
	}
	return c.sendReply(ctx, reply, fault, request, faultStatus(c.cfg.envelope, fault), true)
}

// faultStatus is the HTTP status of a fault (SOAP 1.2 Part 2 §7.5.1: 400
// for Sender, 500 otherwise; SOAP 1.1 always 500).
func faultStatus(env message.EnvelopeVersion, f *errors.Fault) int {
	if env == message.SOAP12 && f.Code.Value == message.FaultSender.Name(message.SOAP12) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func (c *Channel) sendReply(ctx context.Context, reply *message.Message, body any, request *message.Message, status int, isFault bool) error {
	if c.typ != Reply {
		return errors.Errorf(errors.InvalidOperation, "SendReply and SendFault are for Reply channels")
	}
	if _, err := c.begin(ctx, nil); err != nil {
		return err
	}
	s := c.srv
	s.mu.Lock()
	if s.replied {
		s.mu.Unlock()
		c.end(nil, false)
		return errors.Errorf(errors.InvalidOperation, "the reply was already sent; an HTTP Reply channel sends one")
	}
	s.replied = true
	s.mu.Unlock()
	if ctx.Done() != nil {
		// A blocked write ends when ctx does (the write deadline moves to now).
		defer whenDone(ctx, func() { _ = s.rc.SetWriteDeadline(time.Now()) })()
	}
	wrote, err := c.writeReply(ctx, reply, body, request, status, isFault, true)
	if err != nil && !wrote {
		// Nothing reached the client: the caller may still send a fault,
		// and Close answers with one if it does not.
		s.mu.Lock()
		s.replied = false
		s.replyErr = err
		s.mu.Unlock()
	}
	if err != nil && wrote && ctx.Err() != nil {
		err = contextError(ctx, "reply")
	}
	c.end(nil, err != nil && wrote)
	return withOp(err, "reply "+c.addrStr)
}

// writeReply writes the reply; wrote says whether anything reached the
// response (after which no other answer is possible). secure applies the
// channel's message security, if any, to the envelope.
func (c *Channel) writeReply(ctx context.Context, reply *message.Message, body any, request *message.Message, status int, isFault, secure bool) (wrote bool, err error) {
	s := c.srv
	if reply == nil || reply.EnvelopeVersion() != c.cfg.envelope || !c.replyAddressingOK(reply, request) {
		return false, errors.Errorf(errors.InvalidArgument, "the reply message must be in the request's versions; create it with NewReplyMessage")
	}
	switch reply.State() {
	case message.Empty:
		kind := message.Reply
		if isFault {
			kind = message.FaultReply
		}
		src := request
		if src == nil || src.State() == message.Empty {
			src = nil
			kind = message.Blank
		}
		if err := reply.Initialize(kind, src); err != nil {
			return false, err
		}
	case message.Initialized:
	default:
		return false, errors.Errorf(errors.InvalidOperation, "the reply message must be Empty or Initialized (it is %v)", reply.State())
	}
	if _, ok := reply.Action(); !ok && isFault {
		// WS-Addressing requires an Action on every message; faults have
		// a default one (WS-Addressing 1.0 SOAP binding §6, 2004/08 §5.3).
		switch reply.AddressingVersion() {
		case message.Addressing1_0:
			_ = reply.SetAction(message.NamespaceAddressing1_0 + "/soap/fault")
		case message.Addressing0_9:
			_ = reply.SetAction(message.NamespaceAddressing0_9 + "/fault")
		}
	}
	h := s.w.Header()
	for k, v := range c.cfg.header {
		h[k] = append([]string(nil), v...)
	}
	action, _ := reply.Action()
	c.actions.set(h, c.cfg.envelope, action)
	delete(h, soapActionKey) // a request header only
	applyMappedHeaders(h, reply, reply.MappedHeaderNames())
	if d := c.cfg.timeouts.Send; d > 0 {
		_ = s.rc.SetWriteDeadline(time.Now().Add(d))
	}
	var sec MessageSecurity
	if secure {
		sec = c.cfg.messageSecurity
	}
	if c.cfg.transfer&StreamedOutput != 0 {
		if sec != nil {
			return false, securedStreaming(c.cfg.transfer)
		}
		s.w.WriteHeader(status)
		cw := &limitWriter{w: s.w, limit: c.cfg.maxStreamed}
		w := xmlio.NewWriter(cw)
		err := writeMessage(reply, w, body)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if cw.err != nil {
			err = cw.err
		}
		if err != nil {
			c.srv.abort() // the client must not take a partial envelope for a reply
		}
		return true, err
	}
	var env []byte
	if sec == nil {
		// The response writer copies the envelope: it is written straight
		// from the pooled writer.
		w, werr := encodePooled(reply, body, c.cfg.maxBuffered)
		if werr != nil {
			return false, werr // nothing was written: the caller may still send a fault
		}
		defer releaseWriter(w)
		env = w.Bytes()
	} else if env, err = encodeSecured(ctx, reply, body, c.cfg.maxBuffered, sec); err != nil {
		return false, err // nothing was written: the caller may still send a fault
	}
	if reply.IsFault() && status == http.StatusOK {
		status = http.StatusInternalServerError
	}
	h["Content-Length"] = []string{strconv.Itoa(len(env))}
	s.w.WriteHeader(status)
	if _, err := s.w.Write(env); err != nil {
		return true, errors.Errorf(errors.EndpointDisconnected, "the client went away while the reply was written: %w", err)
	}
	return true, nil
}

// serverBody turns request body errors into coded errors.
type serverBody struct {
	r   io.Reader
	ctx context.Context
}

func (b *serverBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = requestReadError(b.ctx, err)
	}
	return n, err
}

// whenDone runs f when ctx ends, until the returned stop is called; unlike
// the stop of context.AfterFunc, this one also waits for an f already
// running and keeps one that has not yet begun from running at all. f
// touches the handler's http.ResponseController, which net/http clears
// once the handler returns: an HTTP/2 client resetting its stream cancels
// ctx while the handler is returning, and a late f would then crash the
// process on a nil response writer.
func whenDone(ctx context.Context, f func()) (stop func()) {
	var mu sync.Mutex
	returned := false
	cancel := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !returned {
			f()
		}
	})
	return func() {
		if cancel() {
			return // f never ran and never will
		}
		mu.Lock()
		returned = true
		mu.Unlock()
	}
}
