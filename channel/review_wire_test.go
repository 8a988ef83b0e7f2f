package channel

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	stderrors "errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/loopback"
)

// Review tests of the wire (wire.go, wire_conn.go): scripted loopback
// servers against the wire directly (internal package) and through the
// channel's public API.

// ---------------------------------------------------------------------
// helpers

// rwListen and rwKeepAlive are loopback.Listen and loopback.Requests.
var (
	rwListen    = loopback.Listen
	rwKeepAlive = loopback.Requests
)

const rwEnvelope = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><r xmlns="urn:rw">ok</r></s:Body></s:Envelope>`

// rwReply is a SOAP 1.2 reply framed with Content-Length (keep-alive).
func rwReply(extra ...string) string {
	h := "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\n"
	for _, x := range extra {
		h += x + "\r\n"
	}
	return h + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(rwEnvelope)) + rwEnvelope
}

// rwPlain is a non-SOAP 200 response with body (for direct wire tests).
func rwPlain(body string, extra ...string) string {
	h := "HTTP/1.1 200 OK\r\n"
	for _, x := range extra {
		h += x + "\r\n"
	}
	return h + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

// rwNewWire builds the channel's HTTP client and wire as channel.New does.
func rwNewWire(t *testing.T, opts ...Option) *wireTransport {
	t.Helper()
	s := newSettings(append([]Option{WithProxy(ProxyNone)}, opts...))
	_, w := s.newHTTPClient()
	if w == nil {
		t.Fatal("no wire")
	}
	t.Cleanup(w.CloseIdleConnections)
	return w
}

// rwPost sends body to url on w; trace may be nil.
func rwPost(ctx context.Context, w *wireTransport, url string, body []byte, trace *httptrace.ClientTrace) (*http.Response, error) {
	if trace != nil {
		ctx = httptrace.WithClientTrace(ctx, trace)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	return w.RoundTrip(req)
}

// rwGetAll does rwPost and reads the body whole.
func rwGetAll(ctx context.Context, w *wireTransport, url string, body []byte) (int, string, error) {
	resp, err := rwPost(ctx, w, url, body, nil)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// rwPoolState returns open, idle and waiters of the wire's only host.
func rwPoolState(w *wireTransport) (open, idle, waiters int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, h := range w.hosts {
		open += h.open
		idle += len(h.idle)
		waiters += len(h.waiters)
	}
	return
}

// rwLeakCheck verifies, once the test's other cleanups have run, that no
// goroutine started during the test is left.
func rwLeakCheck(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// rwChannel opens a Request channel to url; the test's cleanup aborts it.
func rwChannel(t *testing.T, url string, opts ...Option) *Channel {
	t.Helper()
	ch, err := New(Request, append([]Option{WithProxy(ProxyNone)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Open(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ch.Abort()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = ch.Close(ctx)
	})
	return ch
}

type rwBig struct {
	XMLName struct{} `xml:"urn:rw Echo"`
	Text    string   `xml:"text"`
}

// rwCall makes one Request with body (nil: empty) and skips the reply body.
func rwCall(ctx context.Context, ch *Channel, body any) error {
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	return ch.Request(ctx, req, body, reply, nil)
}

func rwCode(err error) string {
	var e *errors.Error
	if stderrors.As(err, &e) {
		return e.Code.String()
	}
	return "not an *errors.Error"
}

// ---------------------------------------------------------------------
// Bugs

// The retry of a request that a reused connection failed to carry with
// nothing written (wire.go roundTrip, wireNothingWritten) never happens:
// the service resets an idle keep-alive connection just after the probe
// found it alive, the write fails at once with not a byte of the request
// written, and the request should go again on a new connection, as
// net/http's Transport does (nothingWrittenError on a reused connection).
func TestRWRetryWhenReusedConnectionResetBeforeWrite(t *testing.T) {
	rwLeakCheck(t)
	kill := make(chan struct{})
	killed := make(chan struct{})
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, idx, n int) bool {
		_, _ = io.WriteString(c, rwPlain("ok"))
		if idx == 0 && n == 0 {
			select {
			case <-kill:
			case <-time.After(5 * time.Second):
			}
			_ = c.SetLinger(0) // close with a reset
			c.Close()
			close(killed)
			return false
		}
		return true
	}))
	w := rwNewWire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if st, body, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("first")); err != nil || st != 200 || body != "ok" {
		t.Fatalf("first: %d %q %v", st, body, err)
	}
	var once sync.Once
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) {
		if !i.Reused {
			return
		}
		once.Do(func() {
			close(kill)
			select {
			case <-killed:
			case <-time.After(3 * time.Second):
			}
			time.Sleep(50 * time.Millisecond) // the reset arrives
		})
	}}
	resp, err := rwPost(ctx, w, srv.URL("/svc"), []byte("second"), trace)
	if err != nil {
		t.Fatalf("second request on a reused connection reset before anything was written: %v; want it retried on a new connection", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "ok" {
		t.Errorf("second: %q", b)
	}
}

// A request body that fails while the writer goroutine sends it (here the
// streamed writer's MaxStreamedMessageSize quota) must end the exchange at
// once, as net/http does (it closes the connection on a write error): the
// wire only looks at the writer's result after the response headers
// arrive (wire_conn.go exchange: readResponse before <-wrote), so the
// exchange waits for a service that is itself waiting for the rest of the
// chunked body, until a timeout.
func TestRWStreamedQuotaFailsWithoutWaitingForTheService(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	ch := rwChannel(t, srv.URL("/svc"), WithTransferMode(StreamedOutput), WithMaxStreamedMessageSize(16<<10))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("x", 256<<10)})
	el := time.Since(start)
	var e *errors.Error
	if !stderrors.As(err, &e) || e.Code != errors.QuotaExceeded {
		t.Errorf("err = %v, want QuotaExceeded", err)
	}
	if el > 2*time.Second {
		t.Errorf("the quota failure took %v to report (the exchange waited for the service)", el.Round(time.Millisecond))
	}
}

// rwFailingReader yields n bytes, then fails.
type rwFailingReader struct {
	n   int
	err error
}

func (r *rwFailingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	if len(p) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = 'x'
	}
	r.n -= len(p)
	return len(p), nil
}

// The same for a body of known length over wireSyncLimit whose reader
// fails part way: the round trip must fail with the body's error promptly.
func TestRWLargeBodyReadErrorFailsPromptly(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	bodyErr := stderrors.New("rw: the body's source failed")
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL("/svc"), io.NopCloser(&rwFailingReader{n: 100 << 10, err: bodyErr}))
	req.ContentLength = 200 << 10
	start := time.Now()
	resp, err := w.RoundTrip(req)
	el := time.Since(start)
	if err == nil {
		resp.Body.Close()
		t.Fatal("a request whose body failed succeeded")
	}
	if !stderrors.Is(err, bodyErr) {
		t.Errorf("err = %v, want the body's error", err)
	}
	if el > 2*time.Second {
		t.Errorf("the body's failure took %v to report (the exchange waited for the service)", el.Round(time.Millisecond))
	}
}

// 1xx responses are not bounded: readResponse (wire_conn.go) resets the
// header bound for each one and loops without limit, so a service that
// sends informational responses forever holds the exchange (spinning)
// until a timeout; net/http counts the headers of 1xx responses it does
// not deliver against MaxResponseHeaderBytes (the channel's MaxHeaderBytes).
func TestRWEndlessInformationalResponsesAreBounded(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, func(c *net.TCPConn, br *bufio.Reader, _ int, stop <-chan struct{}) {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		hint := []byte("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n")
		for {
			select {
			case <-stop:
				return
			default:
			}
			_ = c.SetWriteDeadline(time.Now().Add(time.Second))
			if _, err := c.Write(bytes.Repeat(hint, 64)); err != nil {
				return
			}
		}
	})
	ch := rwChannel(t, srv.URL("/svc"))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	start := time.Now()
	err := rwCall(ctx, ch, nil)
	el := time.Since(start)
	var e *errors.Error
	if !stderrors.As(err, &e) || e.Code != errors.QuotaExceeded || e.Quota != "MaxHeaderBytes" {
		t.Errorf("err = %v, want QuotaExceeded MaxHeaderBytes", err)
	}
	if el > 2*time.Second {
		t.Errorf("took %v: the 1xx responses were read without bound", el.Round(time.Millisecond))
	}
}

// ---------------------------------------------------------------------
// Early responses

// rwEarly answers after reading only the request's headers, with status
// and Connection: close, then closes at once (unread body: a reset) or
// after draining (drain).
func rwEarly(status string, drain bool) loopback.Handler {
	return func(c *net.TCPConn, br *bufio.Reader, _ int, _ <-chan struct{}) {
		if _, err := http.ReadRequest(br); err != nil {
			return
		}
		body := "too large"
		fmt.Fprintf(c, "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", status, len(body), body)
		if drain {
			_ = c.CloseWrite()
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			_, _ = io.Copy(io.Discard, c)
		}
	}
}

func TestRWEarlyResponse(t *testing.T) {
	for _, status := range []string{"413 Request Entity Too Large", "500 Internal Server Error"} {
		for _, drain := range []bool{false, true} {
			for _, tc := range []struct {
				name string
				size int
				opts []Option
			}{
				{"1KB", 1 << 10, nil},
				{"60KB", 60 << 10, nil},
				{"1MB", 1 << 20, nil},
				{"streamed1MB", 1 << 20, []Option{WithTransferMode(StreamedOutput)}},
			} {
				name := fmt.Sprintf("%s/drain=%v/%s", status[:3], drain, tc.name)
				t.Run(name, func(t *testing.T) {
					rwLeakCheck(t)
					srv := rwListen(t, rwEarly(status, drain))
					opts := append([]Option{WithMaxBufferedMessageSize(64 << 20), WithMaxStreamedMessageSize(64 << 20)}, tc.opts...)
					ch := rwChannel(t, srv.URL("/svc"), opts...)
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					start := time.Now()
					err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("x", tc.size)})
					var se *StatusError
					if !stderrors.As(err, &se) || se.Status != status {
						t.Errorf("err = %v (%s), want the service's %s", err, rwCode(err), status)
					}
					if el := time.Since(start); el > 3*time.Second {
						t.Errorf("took %v", el)
					}
				})
			}
		}
	}
}

// ---------------------------------------------------------------------
// Pool limits

// With MaxConnsPerHost(n) many concurrent callers never have more than n
// connections, all succeed, and the pool's bookkeeping ends balanced.
func TestRWPoolLimitManyCallers(t *testing.T) {
	rwLeakCheck(t)
	const limit = 3
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		time.Sleep(time.Millisecond)
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t, WithMaxConnsPerHost(limit))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for g := 0; g < 24; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if st, b, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil || st != 200 || b != "ok" {
					failures.Add(1)
					t.Errorf("%d %q %v", st, b, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.Accepts.Load(); n > limit {
		t.Errorf("%d connections accepted with a limit of %d", n, limit)
	}
	if n := srv.MaxLive.Load(); n > limit {
		t.Errorf("%d connections open at once with a limit of %d", n, limit)
	}
	if open, idle, waiters := rwPoolState(w); open != idle || waiters != 0 || open > limit {
		t.Errorf("pool after the calls: open %d, idle %d, waiters %d", open, idle, waiters)
	}
}

// A waiter whose context ends leaves the queue; the slot count stays
// right, and the n connections are still usable afterwards.
func TestRWPoolWaiterGivesUp(t *testing.T) {
	rwLeakCheck(t)
	const limit = 2
	hold := make(chan struct{})
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		if req.Header.Get("X-Hold") != "" {
			select {
			case <-hold:
			case <-time.After(5 * time.Second):
			}
		}
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t, WithMaxConnsPerHost(limit))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	holders := make(chan error, limit)
	for i := 0; i < limit; i++ {
		go func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL("/svc"), strings.NewReader("x"))
			req.Header.Set("X-Hold", "1")
			resp, err := w.RoundTrip(req)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			holders <- err
		}()
	}
	deadline := time.Now().Add(3 * time.Second)
	for srv.Accepts.Load() < limit && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	// Waiters that give up, some on timeout, some cancelled.
	for i := 0; i < 6; i++ {
		wctx, wcancel := context.WithTimeout(ctx, time.Duration(20+10*i)*time.Millisecond)
		_, _, err := rwGetAll(wctx, w, srv.URL("/svc"), []byte("w"))
		wcancel()
		if err == nil {
			t.Fatal("a waiter got a connection beyond the limit")
		}
	}
	if _, _, waiters := rwPoolState(w); waiters != 0 {
		t.Errorf("%d waiters left in the queue", waiters)
	}
	close(hold)
	for i := 0; i < limit; i++ {
		if err := <-holders; err != nil {
			t.Errorf("holder: %v", err)
		}
	}
	// n concurrent requests still get n connections at once.
	var wg sync.WaitGroup
	for i := 0; i < limit; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if open, idle, waiters := rwPoolState(w); open != idle || waiters != 0 || open > limit {
		t.Errorf("pool: open %d, idle %d, waiters %d", open, idle, waiters)
	}
	if n := srv.Accepts.Load(); n > limit {
		t.Errorf("%d connections with a limit of %d", n, limit)
	}
}

// Waiters racing with the release of connections (contexts ending just as
// a connection or slot is handed over) leave no slot leaked.
func TestRWPoolWaiterRaceStress(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, n int) bool {
		if n%3 == 2 {
			_, _ = io.WriteString(c, rwPlain("ok", "Connection: close"))
			return false
		}
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t, WithMaxConnsPerHost(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var ok atomic.Int32
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				cctx, ccancel := context.WithTimeout(ctx, time.Duration(i%4)*time.Millisecond+200*time.Microsecond)
				if _, _, err := rwGetAll(cctx, w, srv.URL("/svc"), []byte("x")); err == nil {
					ok.Add(1)
				}
				ccancel()
			}
		}(g)
	}
	wg.Wait()
	if open, idle, waiters := rwPoolState(w); open != idle || waiters != 0 || open > 1 {
		t.Errorf("pool after the race: open %d, idle %d, waiters %d", open, idle, waiters)
	}
	// The one slot still works.
	if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
		t.Errorf("after the race: %v", err)
	}
	t.Logf("%d of 320 calls succeeded", ok.Load())
}

// ---------------------------------------------------------------------
// Cancellation and phase timeouts

// rwStall returns a handler for stage: "headers" reads only the request
// headers and stalls (the client's large body fills the socket), "reply"
// reads the request and stalls before answering, "body" answers with
// headers and half the body, then stalls.
func rwStall(stage string) loopback.Handler {
	return func(c *net.TCPConn, br *bufio.Reader, _ int, stop <-chan struct{}) {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		switch stage {
		case "headers":
		case "reply":
			_, _ = io.Copy(io.Discard, req.Body)
		case "body":
			_, _ = io.Copy(io.Discard, req.Body)
			half := rwEnvelope[:len(rwEnvelope)/2]
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: %d\r\n\r\n%s", len(rwEnvelope), half)
		}
		select {
		case <-stop:
		case <-time.After(5 * time.Second):
		}
	}
}

func TestRWPhaseTimeoutsAndRecovery(t *testing.T) {
	for _, tc := range []struct {
		phase, stage string
		size         int
		timeouts     Timeouts
		opts         []Option
	}{
		{"Send", "headers", 8 << 20, Timeouts{Send: 300 * time.Millisecond}, nil},
		{"Send", "headers", 8 << 20, Timeouts{Send: 300 * time.Millisecond}, []Option{WithTransferMode(StreamedOutput)}},
		{"ReceiveResponse", "reply", 10, Timeouts{ReceiveResponse: 300 * time.Millisecond}, nil},
		{"ReceiveResponse", "reply", 1 << 20, Timeouts{ReceiveResponse: 300 * time.Millisecond}, nil},
		{"Receive", "body", 10, Timeouts{Receive: 300 * time.Millisecond}, nil},
	} {
		t.Run(fmt.Sprintf("%s/%d/%d", tc.phase, tc.size, len(tc.opts)), func(t *testing.T) {
			rwLeakCheck(t)
			srv := rwListen(t, rwStall(tc.stage))
			opts := append([]Option{WithTimeouts(tc.timeouts), WithMaxBufferedMessageSize(64 << 20), WithMaxStreamedMessageSize(64 << 20)}, tc.opts...)
			ch := rwChannel(t, srv.URL("/svc"), opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			start := time.Now()
			err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("x", tc.size)})
			el := time.Since(start)
			var e *errors.Error
			if !stderrors.As(err, &e) || e.Code != errors.OperationTimedOut || !strings.Contains(err.Error(), "the "+tc.phase+" timeout") {
				t.Errorf("err = %v (%s), want OperationTimedOut naming the %s timeout", err, rwCode(err), tc.phase)
			}
			if el > 2*time.Second {
				t.Errorf("took %v", el)
			}
			// The pool holds nothing of the failed exchange.
			if open, idle, waiters := rwPoolState(ch.wire); open != idle || waiters != 0 {
				t.Errorf("pool: open %d idle %d waiters %d", open, idle, waiters)
			}
		})
	}
}

// Abort during each stage of an exchange ends it promptly with
// OperationAborted; the channel, closed and reset, then works again.
func TestRWAbortEachStageThenReset(t *testing.T) {
	for _, tc := range []struct {
		stage string
		size  int
		opts  []Option
	}{
		{"headers", 8 << 20, nil},
		{"headers", 8 << 20, []Option{WithTransferMode(StreamedOutput)}},
		{"reply", 10, nil},
		{"reply", 1 << 20, nil},
		{"body", 10, nil},
	} {
		t.Run(fmt.Sprintf("%s/%d/%d", tc.stage, tc.size, len(tc.opts)), func(t *testing.T) {
			rwLeakCheck(t)
			stalled := rwListen(t, rwStall(tc.stage))
			good := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
				_, _ = io.WriteString(c, rwReply())
				return true
			}))
			opts := append([]Option{WithMaxBufferedMessageSize(64 << 20), WithMaxStreamedMessageSize(64 << 20)}, tc.opts...)
			ch := rwChannel(t, stalled.URL("/svc"), opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			time.AfterFunc(300*time.Millisecond, ch.Abort)
			start := time.Now()
			err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("x", tc.size)})
			if el := time.Since(start); el > 2*time.Second {
				t.Errorf("abort took %v", el)
			}
			var e *errors.Error
			if !stderrors.As(err, &e) || e.Code != errors.OperationAborted {
				t.Errorf("err = %v (%s), want OperationAborted", err, rwCode(err))
			}
			if err := ch.Close(ctx); err != nil {
				t.Logf("close: %v", err)
			}
			if err := ch.Reset(); err != nil {
				t.Fatal(err)
			}
			if err := ch.Open(ctx, good.URL("/svc")); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := rwCall(ctx, ch, &rwBig{Text: "y"}); err != nil {
					t.Fatalf("after reset, call %d: %v", i, err)
				}
			}
			if n := good.Accepts.Load(); n != 1 {
				t.Errorf("%d connections for 2 calls after reset, want 1", n)
			}
		})
	}
}

// A caller's context cancelled while the wire dials, or while it waits
// for a slot, ends the round trip and frees the slot.
func TestRWCancelDuringDialAndWait(t *testing.T) {
	rwLeakCheck(t)
	w := rwNewWire(t, WithMaxConnsPerHost(1))
	dialing := make(chan struct{}, 4)
	w.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialing <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, _, err := rwGetAll(ctx, w, "http://127.0.0.1:9/svc", nil); errs <- err }()
	<-dialing
	go func() { _, _, err := rwGetAll(ctx, w, "http://127.0.0.1:9/svc", nil); errs <- err }()
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if _, _, waiters := rwPoolState(w); waiters == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			if !stderrors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		case <-time.After(2 * time.Second):
			t.Fatal("a cancelled round trip did not return")
		}
	}
	if open, idle, waiters := rwPoolState(w); open != 0 || idle != 0 || waiters != 0 {
		t.Errorf("pool after cancelled dials: open %d idle %d waiters %d", open, idle, waiters)
	}
}

// ---------------------------------------------------------------------
// Connection reuse and framing (direct wire)

// Calls on one wire against a keep-alive server answering the i-th request
// (over all connections) with answers[i]: the bodies the wire returns, the
// connections it used, and the pool's bookkeeping afterwards.
func TestRWReuseAndFraming(t *testing.T) {
	type answer struct {
		raw   string        // written after the request is read
		after string        // written after delay, unasked
		delay time.Duration // before after
		close bool          // the server closes the connection after
		reset bool          // with a reset
	}
	for _, tc := range []struct {
		name      string
		answers   []answer
		pause     time.Duration // between calls
		wantBody  []string      // per call; "ERR" for an error
		wantConns int32
	}{
		{"keep-alive", []answer{{raw: rwPlain("a")}, {raw: rwPlain("b")}, {raw: rwPlain("c")}}, 0, []string{"a", "b", "c"}, 1},
		{"silent close when idle", []answer{{raw: rwPlain("a"), close: true}, {raw: rwPlain("b"), close: true}}, 50 * time.Millisecond, []string{"a", "b"}, 2},
		{"reset when idle", []answer{{raw: rwPlain("a"), close: true, reset: true}, {raw: rwPlain("b")}}, 50 * time.Millisecond, []string{"a", "b"}, 2},
		{"unasked 408 when idle", []answer{{raw: rwPlain("a"), after: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", delay: 10 * time.Millisecond}, {raw: rwPlain("b")}}, 60 * time.Millisecond, []string{"a", "b"}, 2},
		{"extra bytes after Content-Length", []answer{{raw: rwPlain("a") + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"}, {raw: rwPlain("b")}}, 20 * time.Millisecond, []string{"a", "b"}, 2},
		{"extra bytes after Content-Length, late", []answer{{raw: rwPlain("a"), after: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil", delay: 10 * time.Millisecond}, {raw: rwPlain("b")}}, 60 * time.Millisecond, []string{"a", "b"}, 2},
		{"Connection: close", []answer{{raw: rwPlain("a", "Connection: close")}, {raw: rwPlain("b", "Connection: close")}}, 0, []string{"a", "b"}, 2},
		{"HTTP/1.0", []answer{{raw: strings.Replace(rwPlain("a"), "HTTP/1.1", "HTTP/1.0", 1)}, {raw: rwPlain("b")}}, 0, []string{"a", "b"}, 2},
		{"HTTP/1.0 keep-alive", []answer{{raw: strings.Replace(rwPlain("a", "Connection: keep-alive"), "HTTP/1.1", "HTTP/1.0", 1)}, {raw: rwPlain("b")}}, 0, []string{"a", "b"}, 1},
		{"HTTP/1.0 until close", []answer{{raw: "HTTP/1.0 200 OK\r\n\r\nabc", close: true}, {raw: rwPlain("b")}}, 0, []string{"abc", "b"}, 2},
		{"HTTP/1.1 until close", []answer{{raw: "HTTP/1.1 200 OK\r\n\r\nabc", close: true}, {raw: rwPlain("b")}}, 0, []string{"abc", "b"}, 2},
		{"chunked", []answer{{raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\nX-T: 1\r\n\r\n"}, {raw: rwPlain("b")}}, 0, []string{"abc", "b"}, 1},
		{"1xx", []answer{{raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n" + rwPlain("a")}, {raw: rwPlain("b")}}, 0, []string{"a", "b"}, 1},
		{"101", []answer{{raw: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n" + rwPlain("x")}, {raw: rwPlain("b")}}, 0, []string{"ERR", "b"}, 2},
		{"204 then body", []answer{{raw: "HTTP/1.1 204 No Content\r\nContent-Length: 4\r\n\r\nevil"}, {raw: rwPlain("b")}}, 20 * time.Millisecond, []string{"", "b"}, 2},
		{"304 then late body", []answer{{raw: "HTTP/1.1 304 Not Modified\r\n\r\n", after: "evil", delay: 10 * time.Millisecond}, {raw: rwPlain("b")}}, 60 * time.Millisecond, []string{"", "b"}, 2},
		{"204", []answer{{raw: "HTTP/1.1 204 No Content\r\n\r\n"}, {raw: rwPlain("b")}}, 0, []string{"", "b"}, 1},
		{"202 empty", []answer{{raw: "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"}, {raw: rwPlain("b")}}, 0, []string{"", "b"}, 1},
		{"bogus Content-Length", []answer{{raw: "HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\nabcd"}, {raw: rwPlain("b")}}, 0, []string{"ERR", "b"}, 2},
		{"two Content-Lengths", []answer{{raw: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"}, {raw: rwPlain("b")}}, 0, []string{"ERR", "b"}, 2},
		{"short body", []answer{{raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", close: true}, {raw: rwPlain("b")}}, 0, []string{"ERR", "b"}, 2},
		{"garbage", []answer{{raw: "HELLO\r\n\r\n", close: true}, {raw: rwPlain("b")}}, 0, []string{"ERR", "b"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rwLeakCheck(t)
			var count atomic.Int32
			srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
				i := int(count.Add(1)) - 1
				if i >= len(tc.answers) {
					return false
				}
				a := tc.answers[i]
				_, _ = io.WriteString(c, a.raw)
				if a.after != "" {
					time.Sleep(a.delay)
					_, _ = io.WriteString(c, a.after)
				}
				if a.reset {
					_ = c.SetLinger(0)
				}
				if a.close {
					time.Sleep(5 * time.Millisecond)
				}
				return !a.close
			}))
			w := rwNewWire(t)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			for i, want := range tc.wantBody {
				if i > 0 {
					time.Sleep(tc.pause)
				}
				_, body, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("req"))
				switch {
				case want == "ERR" && err == nil:
					t.Errorf("call %d: %q, want an error", i, body)
				case want != "ERR" && (err != nil || body != want):
					t.Errorf("call %d: %q, %v; want %q", i, body, err, want)
				}
			}
			if n := srv.Accepts.Load(); n != tc.wantConns {
				t.Errorf("%d connections, want %d", n, tc.wantConns)
			}
			if open, idle, waiters := rwPoolState(w); open != idle || waiters != 0 {
				t.Errorf("pool: open %d idle %d waiters %d", open, idle, waiters)
			}
		})
	}
}

// A body closed before its end takes its connection with it; the next
// request gets a new connection and a body read concurrently with Close
// never leaves a connection the pool would hand out broken.
func TestRWBodyClosedEarly(t *testing.T) {
	rwLeakCheck(t)
	big := strings.Repeat("z", 1<<20)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		if req.Header.Get("X-Big") != "" {
			_, _ = io.WriteString(c, rwPlain(big))
		} else {
			_, _ = io.WriteString(c, rwPlain("ok"))
		}
		return true
	}))
	w := rwNewWire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL("/svc"), strings.NewReader("x"))
	req.Header.Set("X-Big", "1")
	resp, err := w.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 100)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n, err := resp.Body.Read(buf); n != 0 || err == nil {
		t.Errorf("read after close: %d, %v", n, err)
	}
	if _, body, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil || body != "ok" {
		t.Fatalf("after an early close: %q %v", body, err)
	}
	if n := srv.Accepts.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
	if open, idle, _ := rwPoolState(w); open != 1 || idle != 1 {
		t.Errorf("pool: open %d idle %d, want 1 and 1", open, idle)
	}
}

// Close racing with a Read that reaches EOF (wireBody.Close interrupts the
// connection when it cannot take the lock, wire_conn.go:420): the
// connection the Read put back in the pool must not be left with a past
// deadline, and requests after it must succeed.
func TestRWCloseRacingReadAtEOF(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwPlain(strings.Repeat("k", 8000)))
		return true
	}))
	w := rwNewWire(t, WithMaxConnsPerHost(1))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var fails int
	for i := 0; i < 300 && ctx.Err() == nil; i++ {
		resp, err := rwPost(ctx, w, srv.URL("/svc"), []byte("x"), nil)
		if err != nil {
			fails++
			t.Errorf("call %d: %v", i, err)
			if fails > 3 {
				return
			}
			continue
		}
		done := make(chan struct{})
		go func() {
			_, _ = io.Copy(io.Discard, resp.Body)
			close(done)
		}()
		rwSpread(i)
		resp.Body.Close()
		<-done
	}
}

// rwSpread spreads the Close over the body's read.
func rwSpread(i int) {
	for j := 0; j < i%7; j++ {
		time.Sleep(time.Duration(j) * 10 * time.Microsecond)
	}
}

// ---------------------------------------------------------------------
// TLS

// rwTLSServer is an httptest TLS server running h, with the option that
// makes a channel trust it; stop is closed before the server closes.
func rwTLSServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, stop <-chan struct{})) (*httptest.Server, Option, *atomic.Int32) {
	t.Helper()
	stop := make(chan struct{})
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(w, r, stop) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(func() {
		close(stop)
		srv.CloseClientConnections()
		srv.Close()
	})
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, WithTLSConfig(&tls.Config{RootCAs: pool}), &conns
}

// Requests over TLS reuse one connection.
func TestRWTLSReuse(t *testing.T) {
	rwLeakCheck(t)
	srv, trust, conns := rwTLSServer(t, func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/soap+xml")
		_, _ = io.WriteString(w, rwEnvelope)
	})
	ch := rwChannel(t, srv.URL, trust)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := 0; i < 4; i++ {
		if err := rwCall(ctx, ch, &rwBig{Text: "x"}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d TLS connections for 4 calls, want 1", n)
	}
}

// A Send timeout (or Abort) while a large body is being written over TLS
// to a service that has stopped reading ends the exchange promptly. The
// wire interrupts I/O with a past deadline (wire_conn.go interrupt), so
// the writer goroutine has returned by the time the connection is
// closed, and tls.Conn.Close then sends close_notify under a fresh
// 5-second write deadline into a full socket buffer.
func TestRWTLSSendTimeoutIsPrompt(t *testing.T) {
	for _, abort := range []bool{false, true} {
		t.Run(fmt.Sprintf("abort=%v", abort), func(t *testing.T) {
			rwLeakCheck(t)
			srv, trust, _ := rwTLSServer(t, func(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
				select { // reads nothing of the body
				case <-stop:
				case <-time.After(8 * time.Second):
				}
			})
			opts := []Option{trust, WithMaxBufferedMessageSize(64 << 20)}
			if !abort {
				opts = append(opts, WithTimeouts(Timeouts{Send: 300 * time.Millisecond}))
			}
			ch := rwChannel(t, srv.URL, opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
			defer cancel()
			if abort {
				time.AfterFunc(300*time.Millisecond, ch.Abort)
			}
			start := time.Now()
			err := rwCall(ctx, ch, &rwBig{Text: strings.Repeat("x", 16<<20)})
			el := time.Since(start)
			if err == nil {
				t.Fatal("no error")
			}
			t.Logf("ended after %v: %v", el.Round(time.Millisecond), err)
			if el > 2*time.Second {
				t.Errorf("the exchange took %v to end after its Send timeout/abort at 300ms: %v", el.Round(time.Millisecond), err)
			}
		})
	}
}

// ---------------------------------------------------------------------
// Headers

// Reply headers over MaxHeaderBytes are QuotaExceeded MaxHeaderBytes;
// headers just under it pass.
func TestRWResponseHeaderLimit(t *testing.T) {
	for _, tc := range []struct {
		size  int
		quota bool
	}{{60 << 10, false}, {70 << 10, true}, {1 << 20, true}} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			rwLeakCheck(t)
			pad := strings.Repeat("p", 1000)
			var hdr []string
			for n := 0; n < tc.size; n += len(pad) + 12 {
				hdr = append(hdr, fmt.Sprintf("X-Pad-%04d: %s", len(hdr), pad))
			}
			srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
				_ = c.SetWriteDeadline(time.Now().Add(3 * time.Second))
				_, _ = io.WriteString(c, rwReply(hdr...))
				return true
			}))
			ch := rwChannel(t, srv.URL("/svc"))
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := rwCall(ctx, ch, nil)
			var e *errors.Error
			gotQuota := stderrors.As(err, &e) && e.Code == errors.QuotaExceeded && e.Quota == "MaxHeaderBytes"
			if tc.quota != gotQuota {
				t.Errorf("headers of ~%d bytes: err = %v (%s), want quota %v", tc.size, err, rwCode(err), tc.quota)
			}
		})
	}
}

// A CR or LF in a header value (here a channel header, WithHTTPHeader) is
// refused before anything reaches the service: net/http's Transport checks
// header fields before it takes a connection; the wire checks them in
// writeHeader (wire_conn.go), after getConn dialled (or took an idle
// connection, which the refusal then closes).
func TestRWHeaderInjectionRefusedBeforeConnecting(t *testing.T) {
	rwLeakCheck(t)
	var got atomic.Int32
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, req *http.Request, _, _ int) bool {
		got.Add(1)
		_, _ = io.WriteString(c, rwReply())
		return true
	}))
	ch := rwChannel(t, srv.URL("/svc"), WithHTTPHeader("X-Note", "a\r\nX-Injected: yes"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := rwCall(ctx, ch, nil)
	if err == nil {
		t.Fatal("a header value with CR LF was sent")
	}
	if got.Load() != 0 {
		t.Fatal("the service received the request")
	}
	if n := srv.Accepts.Load(); n != 0 {
		t.Errorf("%d connections made for a request refused for its headers (%v)", n, err)
	}
}

// The same through the wire with a pooled connection: a request refused
// for its header must not cost the pool its healthy idle connection.
func TestRWRefusedHeaderKeepsIdleConnection(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL("/svc"), strings.NewReader("x"))
	req.Header["X-Bad"] = []string{"a\nb"}
	if resp, err := w.RoundTrip(req); err == nil {
		resp.Body.Close()
		t.Fatal("a header value with LF was sent")
	}
	if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if n := srv.Accepts.Load(); n != 1 {
		t.Errorf("%d connections: the refused request closed the idle connection", n)
	}
}

// ---------------------------------------------------------------------
// Idle timeout

func TestRWIdleTimeout(t *testing.T) {
	rwLeakCheck(t)
	srv := rwListen(t, rwKeepAlive(func(c *net.TCPConn, _ *http.Request, _, _ int) bool {
		_, _ = io.WriteString(c, rwPlain("ok"))
		return true
	}))
	w := rwNewWire(t)
	w.idleTimeout = 50 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, _, err := rwGetAll(ctx, w, srv.URL("/svc"), []byte("x")); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(80 * time.Millisecond)
	}
	if n := srv.Accepts.Load(); n != 3 {
		t.Errorf("%d connections, want 3 (one per idle timeout)", n)
	}
	// The last one sat idle past the timeout too: the reaper closed it.
	if open, idle, _ := rwPoolState(w); open != 0 || idle != 0 {
		t.Errorf("pool: open %d idle %d, want none left after the idle timeout", open, idle)
	}
}

// rwTLSRaw returns a server TLS configuration and the option trusting it.
func rwTLSRaw(t *testing.T) (*tls.Config, Option) {
	t.Helper()
	s := httptest.NewUnstartedServer(http.NotFoundHandler())
	s.StartTLS()
	cfg := s.TLS.Clone()
	cfg.NextProtos = nil
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	s.Close()
	return cfg, WithTLSConfig(&tls.Config{RootCAs: pool})
}

// Bytes a TLS service sends after a response, in the same TLS record as
// the response's end, are held in tls.Conn's own buffer once the body is
// read: neither the bufio check (pc.br.Buffered, wire_conn.go:129) nor the
// socket probe (alive, wire_probe_unix.go) sees them, the connection goes
// back to the pool as idle and clean, and the next request reads them as
// its response. (net/http's reader goroutine sees them arrive and drops
// the connection: "Unsolicited response received on idle HTTP channel".)
func TestRWTLSBytesAfterResponseNotTakenAsNextResponse(t *testing.T) {
	rwLeakCheck(t)
	cfg, trust := rwTLSRaw(t)
	body := bytes.Repeat([]byte("b"), 200<<10)
	const tail = 8000
	evil := "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil"
	srv := rwListen(t, loopback.TLSRequests(cfg, func(tc *tls.Conn, _ *http.Request, idx, n int) bool {
		if idx == 0 && n == 0 {
			// The response's end and the unasked bytes in one record
			// (past 128 KB, crypto/tls writes full-size records).
			fmt.Fprintf(tc, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len(body))
			_, _ = tc.Write(body[:len(body)-tail])
			_, _ = tc.Write(append(append([]byte(nil), body[len(body)-tail:]...), evil...))
			return true
		}
		_, _ = io.WriteString(tc, rwPlain("fresh"))
		return true
	}))
	w := rwNewWire(t, trust)
	url := "https://" + srv.Addr() + "/svc"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := rwPost(ctx, w, url, []byte("x"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got int
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		got += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	resp.Body.Close()
	if got != len(body) {
		t.Fatalf("first body: %d bytes, want %d", got, len(body))
	}
	time.Sleep(20 * time.Millisecond)
	_, second, err := rwGetAll(ctx, w, url, []byte("y"))
	if err != nil {
		t.Fatal(err)
	}
	if second != "fresh" {
		t.Errorf("second response %q: the bytes the service sent after the first response were taken as the second's response", second)
	}
}
