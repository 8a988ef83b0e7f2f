package channel

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// errorBodyLimit bounds how much of an error response is read to look for
// a SOAP fault (or to quote in the error).
const errorBodyLimit = 64 << 10

var recvBufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 8192); return &b }}

// receive handles the HTTP response of an exchange: the status and content
// type decide whether it carries the reply, a fault or an error; the reply
// is then read into reply and out.
func (x *exchange) receive(resp *http.Response, requestID string, reply *message.Message, out any, wantReply bool) error {
	c := x.c
	body := io.Reader(resp.Body)
	if headerValue(resp.Header, "Content-Encoding") != "" {
		var err error
		if body, err = decodedBody(resp); err != nil {
			return err
		}
	}
	x.net = netReader{r: body, x: x}
	body = &x.net
	status := resp.StatusCode

	switch {
	case status >= 200 && status < 300:
		empty := resp.ContentLength == 0 || status == http.StatusNoContent
		if !wantReply {
			if empty {
				return nil
			}
			return x.oneWayReply(resp, body)
		}
		if empty {
			return errors.Errorf(errors.InvalidFormat,
				"the service accepted the request (HTTP %s) but sent no reply; is the operation one-way? Use Send for one-way operations", resp.Status)
		}
		if err := checkMedia(c.cfg.envelope, headerValue(resp.Header, "Content-Type"), "the service"); err != nil {
			snippet, _ := readLimited(body, 4096)
			return addBodyHint(err, resp, snippet)
		}
	case status >= 300 && status < 400:
		return redirectError(resp)
	default:
		return x.errorStatus(resp, body, reply)
	}

	// A 2xx reply with an envelope.
	if c.cfg.transfer&StreamedInput != 0 {
		if c.cfg.messageSecurity != nil {
			return securedStreaming(c.cfg.transfer)
		}
		x.start = newStartLimit(body, c.cfg.maxStreamedStart)
		r := xmlio.NewStreamReader(x.start, c.cfg.readerFor(c.cfg.maxStreamed))
		if err := x.readReply(r, resp, requestID, reply, out, true, nil); err != nil {
			return err
		}
		drain(body)
		return nil
	}
	if resp.ContentLength > c.cfg.maxBuffered && headerValue(resp.Header, "Content-Encoding") == "" {
		return errors.Quotaf("MaxBufferedMessageSize",
			"the reply is %d bytes (Content-Length), over the channel's MaxBufferedMessageSize of %d; raise it with WithMaxBufferedMessageSize or use WithTransferMode(StreamedInput)",
			resp.ContentLength, c.cfg.maxBuffered)
	}
	bufp := recvBufferPool.Get().(*[]byte)
	data, err := readAllLimit(body, (*bufp)[:0], c.cfg.replyQuota())
	*bufp = data
	if err != nil {
		recycleRecvBuffer(bufp)
		return err
	}
	if t := c.cfg.trace; t != nil && t.ResponseBody != nil {
		t.ResponseBody(data)
	}
	if len(data) == 0 {
		recycleRecvBuffer(bufp)
		return errors.Errorf(errors.InvalidFormat,
			"the service answered HTTP %s with an empty body where a reply was expected", resp.Status)
	}
	var verified *any // what message security's Verify returned, recorded once the reply is read
	if c.cfg.messageSecurity != nil {
		setSecurityResult(reply, nil)
		res, err := c.cfg.verifyReceived(x.ctx, data, "the reply")
		if err != nil {
			recycleRecvBuffer(bufp)
			return err
		}
		verified = &res
	}
	r, _ := c.readers.Get().(*xmlio.Reader)
	if r == nil {
		r = xmlio.NewReader(data, c.cfg.readerFor(c.cfg.maxBuffered))
	} else {
		r.Reset(data)
	}
	err = x.readReply(r, resp, requestID, reply, out, false, verified)
	// A reply left Reading (its body could not be read) still refers to the
	// reader and the bytes: they go to the garbage collector with it.
	if reply.State() != message.Reading {
		r.Reset(nil)
		c.readers.Put(r)
		recycleRecvBuffer(bufp)
	}
	return err
}

// headerValue is h.Get(key) for a key already in canonical form, without
// canonicalizing it again on every exchange.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func recycleRecvBuffer(bufp *[]byte) {
	if cap(*bufp) <= 1<<20 {
		*bufp = (*bufp)[:0]
		recvBufferPool.Put(bufp)
	}
}

// readReply reads the reply envelope from r. verified is what message
// security's Verify returned for it (nil without message security).
func (x *exchange) readReply(r *xmlio.Reader, resp *http.Response, requestID string, reply *message.Message, out any, streamed bool, verified *any) error {
	c := x.c
	if err := reply.ReadStart(r); err != nil {
		return x.readFailure(err, streamed)
	}
	if x.start != nil {
		x.start.done = true
	}
	if verified != nil {
		if err := c.cfg.acceptSecured(reply, *verified); err != nil {
			return err
		}
	}
	if streamed && r.Offset() > c.cfg.maxStreamedStart {
		return errors.Quotaf("MaxStreamedStartSize",
			"the reply's envelope start and headers take %d bytes, over the channel's MaxStreamedStartSize of %d",
			r.Offset(), c.cfg.maxStreamedStart)
	}
	if err := mapHeadersIn(reply, resp.Header); err != nil {
		return err
	}
	if requestID != "" {
		if id, _, ok := reply.RelatesTo(); ok && id != requestID {
			return errors.Errorf(errors.InvalidFormat,
				"the reply's RelatesTo %q does not match the request's MessageID %q", id, requestID)
		}
	}
	if reply.IsFault() {
		return x.readFault(reply, resp, streamed)
	}
	if err := readBody(reply, out); err != nil {
		return x.readFailure(err, streamed)
	}
	return nil
}

// readFault reads a fault reply into an EndpointFaultReceived error.
func (x *exchange) readFault(reply *message.Message, resp *http.Response, streamed bool) error {
	var f errors.Fault
	if err := reply.ReadBody(&f); err != nil {
		return x.readFailure(err, streamed)
	}
	if err := reply.ReadEnd(); err != nil {
		return x.readFailure(err, streamed)
	}
	return faultError(&f, resp)
}

// faultError is the error of a received fault.
func faultError(f *errors.Fault, resp *http.Response) *errors.Error {
	e := errors.Errorf(errors.EndpointFaultReceived, "the service answered with a SOAP fault (HTTP %s): %s", resp.Status, describeFault(f))
	e.Fault = f
	return e
}

func describeFault(f *errors.Fault) string {
	code := f.Code.Value.Local
	for s := f.Code.Subcode; s != nil; s = s.Subcode {
		code += "/" + s.Value.Local
	}
	if r := f.Reason(); r != "" {
		return code + ": " + r
	}
	return code
}

// readFailure names a streamed read's document size quota after the
// channel's MaxStreamedMessageSize; other errors (the connection's come
// already coded from netReader) pass as they are.
func (x *exchange) readFailure(err error, streamed bool) error {
	var e *errors.Error
	if streamed && errors.As(err, &e) && e.Code == errors.QuotaExceeded && e.Quota == "MaxBytes" {
		e.Quota = "MaxStreamedMessageSize"
		e.Strings = append([]string{"the reply is larger than the channel's MaxStreamedMessageSize of " +
			strconv.FormatInt(x.c.cfg.maxStreamed, 10) + " bytes; raise it with WithMaxStreamedMessageSize"}, e.Strings...)
	}
	return err
}

// oneWayReply handles a 2xx reply with a body to a one-way message: a
// fault is an error, anything else is drained and ignored.
func (x *exchange) oneWayReply(resp *http.Response, body io.Reader) error {
	data, err := readLimited(body, errorBodyLimit)
	if err != nil {
		return err
	}
	if f := x.parseFault(data); f != nil {
		return faultError(f, resp)
	}
	return nil
}

// parseFault returns the fault in data if data is a SOAP envelope carrying
// one: in the channel's SOAP version, or else in the other one (some
// services answer errors in their own version whatever the request's).
func (x *exchange) parseFault(data []byte) *errors.Fault {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	versions := []message.EnvelopeVersion{x.c.cfg.envelope}
	switch x.c.cfg.envelope {
	case message.SOAP11:
		versions = append(versions, message.SOAP12)
	case message.SOAP12:
		versions = append(versions, message.SOAP11)
	default:
		versions = []message.EnvelopeVersion{message.SOAP11, message.SOAP12}
	}
	for _, v := range versions {
		m, err := message.New(v, message.AddressingTransport, x.c.cfg.messageOptions)
		if err != nil {
			return nil
		}
		if m.ReadStart(xmlio.NewReader(data, x.c.cfg.readerFor(int64(len(data))))) != nil || !m.IsFault() {
			continue
		}
		var f errors.Fault
		if m.ReadBody(&f) == nil {
			return &f
		}
	}
	return nil
}

// readerFor returns the reader options for documents of at most max bytes.
func (s *settings) readerFor(max int64) *xmlio.Options {
	o := s.readerOptions
	o.MaxBytes = max
	return &o
}

// bodyQuota is the size limit a body is read under, and how an error
// names it: quota is the option's name ("MaxBufferedMessageSize"), what is
// the body ("the reply"), owner whose limit it is ("channel").
type bodyQuota struct {
	limit              int64
	quota, what, owner string
}

// bufferedReply, streamedReply and their request counterparts are the
// quotas of the channel's own settings.
func (s *settings) replyQuota() bodyQuota {
	if s.transfer&StreamedInput != 0 {
		return bodyQuota{s.maxStreamed, "MaxStreamedMessageSize", "the reply", "channel"}
	}
	return bodyQuota{s.maxBuffered, "MaxBufferedMessageSize", "the reply", "channel"}
}

func (s *settings) requestQuota() bodyQuota {
	if s.transfer&StreamedInput != 0 {
		return bodyQuota{s.maxStreamed, "MaxStreamedMessageSize", "the request", "listener"}
	}
	return bodyQuota{s.maxBuffered, "MaxBufferedMessageSize", "the request", "listener"}
}

func (q bodyQuota) exceeded() *errors.Error {
	return errors.Quotaf(q.quota, "%s is larger than the %s's %s of %d bytes; raise it with With%s",
		q.what, q.owner, q.quota, q.limit, q.quota)
}

// readAllLimit appends everything r yields to buf, failing with
// QuotaExceeded past q's limit.
func readAllLimit(r io.Reader, buf []byte, q bodyQuota) ([]byte, error) {
	for {
		if int64(len(buf)) > q.limit {
			return buf, q.exceeded()
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):cap(buf)]
		if max := q.limit + 1 - int64(len(buf)); int64(len(room)) > max {
			room = room[:max]
		}
		n, err := r.Read(room)
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > q.limit {
				continue
			}
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// readLimited reads at most limit bytes of r (the rest is left).
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit))
	return data, err
}

// drain reads what is left of a reply body (a little, so the connection
// can be reused; a large rest is abandoned with the connection).
func drain(r io.Reader) {
	_, _ = io.CopyN(io.Discard, r, 4096)
}
