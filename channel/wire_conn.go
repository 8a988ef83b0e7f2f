package channel

import (
	"bufio"
	"context"
	"crypto/tls"
	stderrors "errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/httplex"
)

// wireConn is one connection of the wire, with its buffers.
type wireConn struct {
	t        *wireTransport
	key      string
	conn     net.Conn
	tlsState *tls.ConnectionState
	in       wireReader
	br       *bufio.Reader
	out      wireWriter
	bw       *bufio.Writer
	body     io.LimitedReader // the request body being written

	reused   bool
	idleAt   time.Time     // when it went idle (reused)
	idleFor  time.Duration // how long it sat idle before this exchange
	interupt func()        // interrupt, as a func value made once
	probe    wireProbe
}

// wireURICache keeps the request target of the last URL sent: a channel's
// requests share one URL.
type wireURICache struct {
	u   *url.URL
	uri string
}

// wireHeader is a request's header block, built before a connection is
// taken (a header HTTP cannot carry fails the request before anything is
// dialled or sent).
type wireHeader struct {
	b          []byte
	closeAfter bool // the connection ends with this exchange
	chunked    bool // the body has no known length
}

var wireHeaders = sync.Pool{New: func() any { return &wireHeader{b: make([]byte, 0, 512)} }}

// putWireHeader returns h to the pool, unless an unusually large header
// grew it.
func putWireHeader(h *wireHeader) {
	if cap(h.b) <= 16<<10 {
		wireHeaders.Put(h)
	}
}

func newWireConn(t *wireTransport, key string, conn net.Conn) *wireConn {
	pc := &wireConn{t: t, key: key, conn: conn}
	pc.in = wireReader{conn: conn, limit: -1}
	pc.out = wireWriter{conn: conn}
	pc.br = bufio.NewReaderSize(&pc.in, 4096)
	pc.bw = bufio.NewWriterSize(&pc.out, 4096)
	pc.interupt = pc.interrupt
	if tc, ok := conn.(*tls.Conn); ok {
		st := tc.ConnectionState()
		pc.tlsState = &st
	}
	return pc
}

// wireReader reads the connection, bounding the bytes a response's
// headers may take when limit is not negative.
type wireReader struct {
	conn  net.Conn
	limit int
	hit   bool // the bound was reached
}

func (r *wireReader) Read(p []byte) (int, error) {
	if r.limit >= 0 {
		if r.limit == 0 {
			r.hit = true
			return 0, errWireHeaderLimit
		}
		if len(p) > r.limit {
			p = p[:r.limit]
		}
	}
	n, err := r.conn.Read(p)
	if r.limit >= 0 {
		r.limit -= n
	}
	return n, err
}

// wireWriter writes the connection, counting what it accepted.
type wireWriter struct {
	conn net.Conn
	n    int64
}

func (w *wireWriter) Write(p []byte) (int, error) {
	n, err := w.conn.Write(p)
	w.n += int64(n)
	return n, err
}

var (
	errWireHeaderLimit = stderrors.New("the reply's headers are over the limit")
	errWireNoHost      = stderrors.New("http: no Host in request URL")
	errWireScheme      = stderrors.New("unsupported protocol scheme")
	errWireBodyClosed  = stderrors.New("http: read on closed response body")
	// errWireWriterStalled: the request was still being written when its
	// response had ended.
	errWireWriterStalled = stderrors.New("the request was still being written when the response ended")
)

// wireNothingWritten is a failure to write a request of which nothing
// reached the connection.
type wireNothingWritten struct{ err error }

func (e *wireNothingWritten) Error() string { return e.err.Error() }
func (e *wireNothingWritten) Unwrap() error { return e.err }

// closeHard closes the socket under the connection (over TLS without a
// close_notify alert).
func (pc *wireConn) closeHard() {
	if tc, ok := pc.conn.(*tls.Conn); ok {
		tc.NetConn().Close()
		return
	}
	pc.conn.Close()
}

// interrupt ends the connection's I/O in progress (the exchange's context
// ended): a deadline in the past fails every read and write at once.
func (pc *wireConn) interrupt() {
	pc.conn.SetDeadline(time.Unix(1, 0))
}

// usable says whether an idle connection may carry a request.
func (pc *wireConn) usable() bool {
	idle := time.Since(pc.idleAt)
	pc.idleFor = idle
	if t := pc.t.idleTimeout; t > 0 && idle > t {
		return false
	}
	if pc.br.Buffered() > 0 {
		return false // the service sent something unasked: a 408, say
	}
	return pc.alive()
}

// tlsIdle reports whether an idle TLS connection holds nothing unread:
// bytes the service sent after a response may already be decrypted inside
// crypto/tls, out of the socket's sight. A read with a deadline in the
// past returns them if so, and otherwise fails at once with a timeout,
// which crypto/tls does not keep as the connection's error.
func tlsIdle(tc *tls.Conn) bool {
	var b [1]byte
	if tc.SetReadDeadline(time.Unix(1, 0)) != nil {
		return false
	}
	n, err := tc.Read(b[:])
	var ne net.Error
	idle := n == 0 && stderrors.As(err, &ne) && ne.Timeout()
	return idle && tc.SetReadDeadline(time.Time{}) == nil
}

func (pc *wireConn) gotConnInfo() httptrace.GotConnInfo {
	return httptrace.GotConnInfo{Conn: pc.conn, Reused: pc.reused, WasIdle: pc.reused, IdleTime: pc.idleFor}
}

// exchange writes req on the connection and reads the response's headers.
// The connection belongs to the returned response's body from then on;
// on an error it is closed.
func (pc *wireConn) exchange(ctx context.Context, req *http.Request, h *wireHeader, trace *httptrace.ClientTrace) (*http.Response, error) {
	pc.out.n = 0
	if err := ctx.Err(); err != nil {
		pc.t.discard(pc)
		return nil, err
	}
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, pc.interupt)
	}
	fail := func(err error) (*http.Response, error) {
		if stop != nil {
			stop()
		}
		pc.t.discard(pc)
		return nil, err
	}
	closeAfter, chunked := h.closeAfter, h.chunked
	if _, err := pc.bw.Write(h.b); err != nil {
		return fail(err)
	}
	if trace != nil {
		if trace.WroteHeaderField != nil {
			wroteHeaderFields(h, trace.WroteHeaderField)
		}
		if trace.WroteHeaders != nil {
			trace.WroteHeaders()
		}
	}
	var wrote chan error // the writer goroutine's result
	if chunked || req.ContentLength > wireSyncLimit {
		wrote = make(chan error, 1)
		go func() {
			err := pc.writeBody(req, chunked)
			if err != nil && !isConnError(err) {
				// The body failed (a quota, a read error): the service
				// waits for the rest, so the response is not waited for.
				pc.interrupt()
			}
			if trace != nil && trace.WroteRequest != nil {
				trace.WroteRequest(httptrace.WroteRequestInfo{Err: err})
			}
			wrote <- err
		}()
	} else {
		err := pc.writeBody(req, false)
		if trace != nil && trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{Err: err})
		}
		if err != nil {
			if !isConnError(err) {
				return fail(err) // the body's own failure: the request is incomplete
			}
			if pc.out.n == 0 {
				return fail(&wireNothingWritten{err: err})
			}
			// The service may have answered before it stopped reading
			// (an early 413): its response is worth more than the
			// write error. The connection ends with it.
			closeAfter = true
			if _, rerr := pc.br.Peek(1); rerr != nil {
				return fail(err)
			}
		}
	}
	resp, err := pc.readResponse(req, trace)
	if err != nil {
		if wrote != nil {
			pc.closeHard()
			closeRequestBody(req)
			if werr := <-wrote; werr != nil && !isConnError(werr) {
				err = werr // the body's own failure (a quota) explains it
			}
		}
		return fail(err)
	}
	resp.TLS = pc.tlsState
	b := &wireBody{pc: pc, rc: resp.Body, stop: stop, wrote: wrote, closeAfter: closeAfter || resp.Close}
	if wrote != nil {
		b.reqBody = req.Body
	}
	if resp.Body == http.NoBody {
		b.finish(true)
		return resp, nil
	}
	resp.Body = b
	return resp, nil
}

// isConnError reports an error of the connection itself (rather than of
// the request body being written).
func isConnError(err error) bool {
	var ne net.Error // *net.OpError and net.ErrClosed among them
	return stderrors.As(err, &ne) || stderrors.Is(err, io.ErrClosedPipe)
}

// build makes the request line and header block of req for t, checking
// every field as net/http does before it writes a request.
func (h *wireHeader) build(t *wireTransport, req *http.Request) error {
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	if !httplex.ValidToken(method) {
		return fmt.Errorf("net/http: invalid method %q", method)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	host = removeZone(host) // RoundTrip sent hosts not valid as they are to net/http
	c := t.uriCache.Load()
	if c == nil || c.u != req.URL {
		c = &wireURICache{u: req.URL, uri: req.URL.RequestURI()}
		t.uriCache.Store(c)
	}
	hasBody := req.Body != nil && req.Body != http.NoBody
	h.chunked = req.ContentLength < 0 || (req.ContentLength == 0 && hasBody)

	b := append(h.b[:0], method...)
	b = append(b, ' ')
	b = append(b, c.uri...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, host...)
	b = append(b, "\r\n"...)
	if ua := req.Header["User-Agent"]; len(ua) > 0 {
		if !httplex.ValidFieldValue(ua[0]) {
			return fmt.Errorf("net/http: invalid header field value for %q", "User-Agent")
		}
		b = append(b, "User-Agent: "...)
		b = append(b, strings.TrimSpace(ua[0])...)
		b = append(b, "\r\n"...)
	}
	var keysArr [16]string
	keys := keysArr[:0]
	for k := range req.Header {
		switch k {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer":
			continue
		}
		keys = append(keys, k)
	}
	sortStrings(keys)
	connClose := false
	for _, k := range keys {
		if !httplex.ValidToken(k) {
			return fmt.Errorf("net/http: invalid header field name %q", k)
		}
		for _, v := range req.Header[k] {
			if !httplex.ValidFieldValue(v) {
				return fmt.Errorf("net/http: invalid header field value for %q", k)
			}
			if k == "Connection" && httplex.HasToken(v, "close") {
				connClose = true
			}
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, strings.TrimSpace(v)...)
			b = append(b, "\r\n"...)
		}
	}
	h.closeAfter = connClose || req.Close || !t.keepAlive
	if h.closeAfter && !connClose {
		b = append(b, "Connection: close\r\n"...)
	}
	switch {
	case h.chunked:
		b = append(b, "Transfer-Encoding: chunked\r\n"...)
	case req.ContentLength > 0 || method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch:
		b = append(b, "Content-Length: "...)
		b = strconv.AppendInt(b, req.ContentLength, 10)
		b = append(b, "\r\n"...)
	}
	h.b = append(b, "\r\n"...)
	return nil
}

// writeBody writes the request body after the buffered header, flushes,
// and closes the body.
func (pc *wireConn) writeBody(req *http.Request, chunked bool) error {
	if req.Body == nil || req.Body == http.NoBody {
		return pc.bw.Flush()
	}
	defer req.Body.Close()
	if chunked {
		cw := httputil.NewChunkedWriter(pc.bw)
		if _, err := io.Copy(cw, req.Body); err != nil {
			return err
		}
		if err := cw.Close(); err != nil {
			return err
		}
		if _, err := pc.bw.WriteString("\r\n"); err != nil {
			return err
		}
		return pc.bw.Flush()
	}
	pc.body = io.LimitedReader{R: req.Body, N: req.ContentLength}
	n, err := io.Copy(pc.bw, &pc.body)
	pc.body.R = nil
	if err != nil {
		return err
	}
	if n != req.ContentLength {
		return fmt.Errorf("http: ContentLength=%d with Body length %d", req.ContentLength, n)
	}
	return pc.bw.Flush()
}

// readResponse reads the response's headers, skipping 1xx responses, under
// the header bound.
func (pc *wireConn) readResponse(req *http.Request, trace *httptrace.ClientTrace) (*http.Response, error) {
	// One bound for the final response's headers and every 1xx before
	// it, so that a service sending 1xx responses without end is stopped.
	pc.in.limit, pc.in.hit = pc.t.maxHeader, false
	defer func() { pc.in.limit = -1 }()
	if trace != nil && trace.GotFirstResponseByte != nil {
		if _, err := pc.br.Peek(1); err == nil {
			trace.GotFirstResponseByte()
		}
	}
	for {
		resp, err := http.ReadResponse(pc.br, req)
		if err != nil {
			if pc.in.hit {
				return nil, errors.Quotaf("MaxHeaderBytes", "the reply's HTTP headers are larger than %d bytes", MaxHeaderBytes)
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF // the service closed the connection without answering
			}
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusSwitchingProtocols:
			resp.Body.Close()
			return nil, stderrors.New("the service switched protocols (HTTP 101), which a SOAP channel does not speak")
		case resp.StatusCode >= 100 && resp.StatusCode < 200:
			if trace != nil && trace.Got1xxResponse != nil {
				if err := trace.Got1xxResponse(resp.StatusCode, map[string][]string(resp.Header)); err != nil {
					return nil, err
				}
			}
			continue
		}
		return resp, nil
	}
}

// wireBody is a response body on a wire connection: read to the end, the
// connection goes back to the pool; closed before, it is closed.
type wireBody struct {
	pc         *wireConn
	rc         io.ReadCloser
	stop       func() bool // the context watch, or nil
	wrote      chan error  // the writer goroutine's result, or nil
	reqBody    io.Closer   // the request body the writer goroutine reads
	closeAfter bool

	mu   sync.Mutex
	done bool
	err  error // what Read returns once done
}

func (b *wireBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return 0, b.err
	}
	n, err := b.rc.Read(p)
	switch {
	case err == io.EOF:
		b.err = io.EOF
		b.finish(true)
	case err != nil:
		b.err = err
		b.finish(false)
	}
	return n, err
}

// Close ends the body; a body not read to the end takes its connection
// with it. A Read in progress on another goroutine is interrupted.
func (b *wireBody) Close() error {
	if !b.mu.TryLock() {
		b.pc.interrupt()
		b.mu.Lock()
	}
	defer b.mu.Unlock()
	if !b.done {
		b.err = errWireBodyClosed
		b.finish(false)
	}
	return nil
}

// finish hands the connection back (reuse) or closes it. It waits for a
// writer goroutine, so that none outlives the exchange.
func (b *wireBody) finish(clean bool) {
	b.done = true
	pc := b.pc
	reuse := clean && !b.closeAfter
	if b.stop != nil && !b.stop() {
		reuse, clean = false, false // interrupted, or about to be
	}
	if b.wrote != nil {
		select {
		case err := <-b.wrote:
			if err != nil {
				reuse, clean = false, false
			}
		default:
			// The writer has not reported yet: it is about to (the
			// service read the request, the goroutine has yet to run),
			// or it is still writing, or stalled, and the service
			// answered early. As net/http does, it gets a moment to
			// report before the connection is given up.
			if b.awaitWriter() != nil {
				reuse, clean = false, false
			}
		}
	}
	switch {
	case reuse:
		pc.t.putIdle(pc)
	case clean:
		pc.t.retire(pc)
	default:
		pc.t.discard(pc)
	}
}

// awaitWriter waits for the writer goroutine's result for at most
// wireWriterGrace; when that passes, the connection and the request body
// are closed to end the writer, and the result is errWireWriterStalled.
func (b *wireBody) awaitWriter() error {
	t := time.NewTimer(wireWriterGrace)
	defer t.Stop()
	select {
	case err := <-b.wrote:
		return err
	case <-t.C:
		b.pc.closeHard()
		b.reqBody.Close()
		<-b.wrote
		return errWireWriterStalled
	}
}

// wireWriterGrace is how long a connection whose response is complete
// waits for its request to be reported written before it is given up
// (net/http's maxWriteWaitBeforeConnReuse).
const wireWriterGrace = 50 * time.Millisecond

// removeZone removes an IPv6 zone from a Host header value ("[fe80::1%en0]:8080").
func removeZone(host string) string {
	if !strings.HasPrefix(host, "[") {
		return host
	}
	i := strings.LastIndex(host, "]")
	if i < 0 {
		return host
	}
	j := strings.LastIndex(host[:i], "%")
	if j < 0 {
		return host
	}
	return host[:j] + host[i:]
}

// wroteHeaderFields reports the header fields of h as written, in their
// order, for httptrace's WroteHeaderField: read back from the header block
// itself, the lines of one name together.
func wroteHeaderFields(h *wireHeader, f func(key string, value []string)) {
	lines := string(h.b)
	_, lines, _ = strings.Cut(lines, "\r\n") // the request line
	var (
		key    string
		values []string
	)
	for {
		var line string
		line, lines, _ = strings.Cut(lines, "\r\n")
		k, v, _ := strings.Cut(line, ": ")
		if k != key && key != "" {
			f(key, values)
			values = nil
		}
		if line == "" {
			return
		}
		key, values = k, append(values, v)
	}
}

// sortStrings sorts a handful of header names (insertion sort: no
// allocation, few comparisons).
func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
