package channel

import (
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// Trace observes the exchanges of a channel, the way net/http/httptrace
// observes a request: wssend -v prints the whole exchange through it. Every
// hook is optional and is called on the goroutine making the call; hooks
// must not keep the byte slices they are given, which are reused.
type Trace struct {
	// Request is called before each HTTP request is sent, with the request
	// (its header complete but for credentials a security layer adds later)
	// and the envelope it carries; envelope is nil in streamed output mode.
	Request func(req *http.Request, envelope []byte)

	// Response is called when the response headers have arrived.
	Response func(resp *http.Response)

	// ResponseBody is called with the response body as received (after
	// content decoding), in buffered input mode or for error statuses.
	ResponseBody func(body []byte)

	// Progress, if set, is called as the request body is sent and the
	// reply body received, with the bytes of each so far (the reply's
	// after content decoding), at most once per 64 KiB and once at each
	// body's end. It may run on the HTTP transport's goroutine (sent) and
	// on the calling one (received). Setting it makes buffered requests
	// go through a counting reader; requests through net/http's Transport
	// (proxied ones) then no longer go out with their headers in one
	// write.
	Progress func(sent, received int64)

	// HTTP, if set, is attached to each request's context, so connection,
	// DNS and TLS events can be observed too. For a service reached
	// directly (the channel's wire) these hooks are called: GetConn,
	// GotConn, DNS and connect events, TLSHandshakeStart and Done,
	// WroteHeaderField, WroteHeaders, WroteRequest, Got1xxResponse and
	// GotFirstResponseByte; PutIdleConn and Wait100Continue are not.
	HTTP *httptrace.ClientTrace
}

// progressStep is how many bytes pass between two Progress calls.
const progressStep = 64 << 10

// progressCounter counts the bytes of one exchange for Trace.Progress.
type progressCounter struct {
	fn             func(sent, received int64)
	sent, received atomic.Int64
	lastS, lastR   atomic.Int64
}

func (p *progressCounter) addSent(n int, eof bool) {
	s := p.sent.Add(int64(n))
	if eof || s-p.lastS.Load() >= progressStep {
		p.lastS.Store(s)
		p.fn(s, p.received.Load())
	}
}

func (p *progressCounter) addReceived(n int, eof bool) {
	r := p.received.Add(int64(n))
	if eof || r-p.lastR.Load() >= progressStep {
		p.lastR.Store(r)
		p.fn(p.sent.Load(), r)
	}
}

// countingBody is a request body that reports what the transport reads.
type countingBody struct {
	r io.ReadCloser
	p *progressCounter
}

func (b *countingBody) Read(q []byte) (int, error) {
	n, err := b.r.Read(q)
	b.p.addSent(n, err == io.EOF)
	return n, err
}

func (b *countingBody) Close() error { return b.r.Close() }
