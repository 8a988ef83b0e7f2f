package channel_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// The server side: a Listener with its own server and an Accept loop,
// NewHandler, and how a request that cannot be read is answered.

// serverResult is what the server side of a test saw of one request.
type serverResult struct {
	receiveErr error
	replyErr   []error
}

// acceptLoop accepts Reply channels from l until it is closed and serves
// each with serve, reporting what happened on results. It returns a
// function that waits for the loop to end and returns Accept's last error.
func acceptLoop(l *channel.Listener, results chan<- serverResult, serve func(ctx context.Context, ch *channel.Channel) serverResult) func() error {
	done := make(chan error, 1)
	go func() {
		var wg sync.WaitGroup
		defer wg.Wait()
		for {
			ch, err := l.Accept(context.Background())
			if err != nil {
				done <- err
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				r := serve(ctx, ch)
				_ = ch.Close(ctx)
				if results != nil {
					results <- r
				}
			}()
		}
	}()
	return func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.Errorf(errors.Other, "watchdog: the accept loop did not end")
		}
	}
}

// serveAdd receives an Add and replies with its sum.
func serveAdd(ctx context.Context, ch *channel.Channel) serverResult {
	req, _ := ch.NewMessage()
	var in calc.Add
	r := serverResult{receiveErr: ch.Receive(ctx, req, &in)}
	if r.receiveErr != nil {
		return r
	}
	reply, _ := ch.NewReplyMessage(req)
	r.replyErr = append(r.replyErr, ch.SendReply(ctx, reply, &calc.AddResponse{Result: in.A + in.B}, req))
	return r
}

// openListener opens a listener of its own on a free loopback port.
func openListener(t *testing.T, opts ...channel.Option) *channel.Listener {
	t.Helper()
	l := channel.NewListener(opts...)
	if err := l.Open(context.Background(), "http://127.0.0.1:0/svc"); err != nil {
		t.Fatalf("Listener.Open: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = l.Close(ctx)
	})
	return l
}

// receiveResult waits for the server side's report.
func receiveResult(t *testing.T, results <-chan serverResult) serverResult {
	t.Helper()
	select {
	case r := <-results:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("watchdog: the server side did not report")
	}
	return serverResult{}
}

func TestListenerOpenAcceptClose(t *testing.T) {
	l := openListener(t)
	u := l.URL()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || strings.HasPrefix(u, "http://127.0.0.1:0/") || !strings.HasSuffix(u, "/svc") {
		t.Fatalf("URL %q: want http://127.0.0.1:<port>/svc with the port picked", u)
	}
	wantCode(t, l.Open(context.Background(), "http://127.0.0.1:0/other"), errors.InvalidOperation)
	results := make(chan serverResult, 64)
	wait := acceptLoop(l, results, serveAdd)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Both SOAP versions, with and without WS-Addressing, several calls
	// each at once: the listener answers each request in its own version.
	var wg sync.WaitGroup
	for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
		for _, addr := range []message.AddressingVersion{message.AddressingTransport, message.Addressing1_0} {
			ch, err := channel.New(channel.Request, channel.WithEnvelope(env), channel.WithAddressing(addr))
			if err != nil {
				t.Fatal(err)
			}
			if err := ch.Open(ctx, u); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if err := callAdd(ctx, ch, actionAdd, int32(i), 10); err != nil {
						t.Errorf("%v %v: %v", env, addr, err)
					}
				}()
			}
			defer ch.Close(ctx)
		}
	}
	wg.Wait()
	for i := 0; i < 16; i++ {
		r := receiveResult(t, results)
		if r.receiveErr != nil || len(r.replyErr) != 1 || r.replyErr[0] != nil {
			t.Errorf("server side: receive %v, reply %v", r.receiveErr, r.replyErr)
		}
	}

	if err := l.Close(ctx); err != nil {
		t.Fatalf("Listener.Close: %v", err)
	}
	wantCode(t, wait(), errors.OperationAborted)
	wantCode(t, func() error { _, err := l.Accept(ctx); return err }(), errors.OperationAborted)
	// The listener's own server is gone.
	ch := openSOAP11Channel(t, u)
	wantCode(t, callAdd(ctx, ch, actionAdd, 1, 1), errors.EndpointUnreachable)
}

func TestListenerOpenFailures(t *testing.T) {
	l := openListener(t)
	taken := strings.TrimPrefix(strings.TrimSuffix(l.URL(), "/svc"), "http://")
	for _, tc := range []struct {
		address string
		code    errors.Code
	}{
		{"http://" + taken + "/again", errors.AddressInUse},
		{"https://127.0.0.1:0/svc", errors.InvalidEndpointURL},
		{"http:///svc", errors.InvalidEndpointURL},
		{"http://127.0.0.1:0/svc?x=1", errors.InvalidEndpointURL},
	} {
		t.Run(tc.address, func(t *testing.T) {
			wantCode(t, channel.NewListener().Open(context.Background(), tc.address), tc.code)
		})
	}
}

func TestListenerAcceptContext(t *testing.T) {
	l := channel.NewListener()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := l.Accept(ctx)
	wantCode(t, err, errors.OperationTimedOut)
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = l.Accept(cancelled)
	wantCode(t, err, errors.OperationAborted)
}

// TestListenerRequestTooLarge: a request over the listener's quota is
// answered 413, which the client reports as QuotaExceeded naming the
// server's quota; the server side's Receive names its own.
func TestListenerRequestTooLarge(t *testing.T) {
	l := openListener(t)
	results := make(chan serverResult, 1)
	acceptLoop(l, results, serveEcho)
	ch := openSOAP11Channel(t, l.URL(), channel.WithMaxBufferedMessageSize(1<<20))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var out calc.EchoResponse
	err := ch.Request(ctx, req, &calc.Echo{Text: strings.Repeat("x", 100<<10)}, reply, &out)
	wantCode(t, err, errors.QuotaExceeded)
	if q := err.(*errors.Error).Quota; q != "ServerMaxRequestSize" {
		t.Errorf("client quota %q, want ServerMaxRequestSize", q)
	}
	var se *channel.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("want a 413 StatusError, got %v", err)
	}
	if st := ch.State(); st != channel.Open {
		t.Errorf("client state %v, want Open (an HTTP status does not fault the channel)", st)
	}
	r := receiveResult(t, results)
	wantCode(t, r.receiveErr, errors.QuotaExceeded)
	if q := r.receiveErr.(*errors.Error).Quota; q != "MaxBufferedMessageSize" {
		t.Errorf("server quota %q, want MaxBufferedMessageSize", q)
	}
}

// TestListenerStreamedRequestTooLarge: the same for a streamed listener
// and a chunked request, whose size is known only once read. (The request
// is posted by net/http: a StreamedOutput channel would race, see the
// report of stream_mem_test.go.)
func TestListenerStreamedRequestTooLarge(t *testing.T) {
	l := openListener(t, channel.WithTransferMode(channel.StreamedInput), channel.WithMaxStreamedMessageSize(64<<10))
	results := make(chan serverResult, 1)
	acceptLoop(l, results, serveEcho)
	body := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Echo xmlns="http://example.com/calc"><text>` +
		strings.Repeat("x", 100<<10) + `</text></Echo></s:Body></s:Envelope>`
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	hreq, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.URL(), io.MultiReader(strings.NewReader(body))) // no length: chunked
	hreq.Header.Set("Content-Type", "text/xml")
	resp, err := http.DefaultTransport.RoundTrip(hreq)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if len(hreq.TransferEncoding) == 0 && hreq.ContentLength > 0 {
		t.Fatalf("the request was not chunked")
	}
	r := receiveResult(t, results)
	var re *errors.Error
	if errors.As(r.receiveErr, &re) && re.Quota == "MaxBytes" {
		t.Fatalf("regression (fixed bug): reply.go receive renames the reader's MaxBytes quota to the listener's only for ReadStart's error; "+
			"a streamed request over MaxStreamedMessageSize in its body fails in readBody with Quota \"MaxBytes\", so "+
			"answerReceiveError (listener.go) answers HTTP %d with a Sender fault whose reason is only the reader's "+
			"context (%q) instead of 413", resp.StatusCode, re.Strings[0])
	}
	wantCode(t, r.receiveErr, errors.QuotaExceeded)
	if re.Quota != "MaxStreamedMessageSize" {
		t.Errorf("server quota %q, want MaxStreamedMessageSize", re.Quota)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413: %s", resp.StatusCode, answer)
	}
}

// serveEcho receives an Echo and answers nothing (Close answers what fits
// a failed Receive).
func serveEcho(ctx context.Context, ch *channel.Channel) serverResult {
	req, _ := ch.NewMessage()
	var in calc.Echo
	return serverResult{receiveErr: ch.Receive(ctx, req, &in)}
}

// rawPost posts body with content type ct (method POST unless method is
// set) and returns the status, headers and body of the answer.
func rawPost(t *testing.T, method, url, ct, body string) (int, http.Header, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return resp.StatusCode, resp.Header, string(data)
}

// readFault parses a fault envelope of version env.
func readFault(t *testing.T, env message.EnvelopeVersion, body string) *errors.Fault {
	t.Helper()
	m, err := message.New(env, message.AddressingTransport, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ReadStart(xmlio.NewReader([]byte(body), nil)); err != nil {
		t.Fatalf("the answer is not a %v envelope: %v\n%s", env, err, body)
	}
	if !m.IsFault() {
		t.Fatalf("the answer is not a fault:\n%s", body)
	}
	var f errors.Fault
	if err := m.ReadBody(&f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// TestListenerUnreadableRequests: each way a request can fail to be read
// gets its documented answer, and Receive its code.
func TestListenerUnreadableRequests(t *testing.T) {
	for _, tc := range []struct {
		name       string
		listener   []channel.Option
		method, ct string
		body       string
		status     int
		receive    errors.Code
		check      func(t *testing.T, h http.Header, body string)
	}{
		{name: "wrong content type", method: "POST", ct: "application/json", body: `{"a": 1}`,
			status: http.StatusUnsupportedMediaType, receive: errors.InvalidFormat,
			check: func(t *testing.T, _ http.Header, body string) {
				if !strings.Contains(body, "application/json") {
					t.Errorf("the 415 does not name the content type: %q", body)
				}
			}},
		{name: "GET", method: "GET", status: http.StatusMethodNotAllowed, receive: errors.InvalidFormat,
			check: func(t *testing.T, h http.Header, _ string) {
				if h.Get("Allow") != "POST" {
					t.Errorf("Allow %q, want POST", h.Get("Allow"))
				}
			}},
		{name: "malformed SOAP 1.1", method: "POST", ct: "text/xml", body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Add>`,
			status: http.StatusInternalServerError, receive: errors.InvalidFormat,
			check: func(t *testing.T, _ http.Header, body string) {
				f := readFault(t, message.SOAP11, body)
				if f.Code.Value != message.FaultSender.Name(message.SOAP11) {
					t.Errorf("fault code %v, want SOAP 1.1 Client", f.Code.Value)
				}
				if !strings.Contains(f.Reason(), "could not be read") {
					t.Errorf("fault reason %q does not say why", f.Reason())
				}
			}},
		{name: "malformed SOAP 1.2", method: "POST", ct: "application/soap+xml", body: `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body></e:Envelope>`,
			status: http.StatusBadRequest, receive: errors.InvalidFormat,
			check: func(t *testing.T, _ http.Header, body string) {
				f := readFault(t, message.SOAP12, body)
				if f.Code.Value != message.FaultSender.Name(message.SOAP12) {
					t.Errorf("fault code %v, want SOAP 1.2 Sender", f.Code.Value)
				}
			}},
		{name: "SOAP 1.1 to a SOAP 1.2 listener", listener: []channel.Option{channel.WithEnvelope(message.SOAP12)},
			method: "POST", ct: "text/xml", body: soap11AddRequest,
			status: http.StatusInternalServerError, receive: errors.InvalidFormat,
			check: func(t *testing.T, _ http.Header, body string) {
				f := readFault(t, message.SOAP11, body) // SOAP 1.2 Part 1 Appendix A: in the sender's version
				if f.Code.Value != message.FaultVersionMismatch.Name(message.SOAP11) {
					t.Errorf("fault code %v, want VersionMismatch", f.Code.Value)
				}
				if !strings.Contains(body, "Upgrade") {
					t.Errorf("no Upgrade header in the VersionMismatch fault:\n%s", body)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := openListener(t, tc.listener...)
			results := make(chan serverResult, 1)
			acceptLoop(l, results, serveAdd)
			status, h, body := rawPost(t, tc.method, l.URL(), tc.ct, tc.body)
			if status != tc.status {
				t.Errorf("status %d, want %d; body %q", status, tc.status, body)
			}
			r := receiveResult(t, results)
			wantCode(t, r.receiveErr, tc.receive)
			if tc.check != nil {
				tc.check(t, h, body)
			}
		})
	}
}

// TestListenerVersionMismatchToClient: a SOAP 1.1 channel calling a
// SOAP 1.2-only listener gets the VersionMismatch fault as
// EndpointFaultReceived.
func TestListenerVersionMismatchToClient(t *testing.T) {
	l := openListener(t, channel.WithEnvelope(message.SOAP12))
	results := make(chan serverResult, 1)
	acceptLoop(l, results, serveAdd)
	ch := openSOAP11Channel(t, l.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := callAdd(ctx, ch, actionAdd, 1, 2)
	wantCode(t, err, errors.EndpointFaultReceived)
	if f := err.(*errors.Error).Fault; f == nil || f.Code.Value.Local != "VersionMismatch" {
		t.Errorf("want a VersionMismatch fault, got %v", err)
	}
	r := receiveResult(t, results)
	if !message.IsVersionMismatch(r.receiveErr) {
		t.Errorf("server Receive: want a version mismatch, got %v", r.receiveErr)
	}
}

// TestListenerWrongContentTypeToClient: a channel whose mapped header
// overrides the content type gets the 415 as InvalidFormat.
func TestListenerWrongContentTypeToClient(t *testing.T) {
	l := openListener(t)
	acceptLoop(l, nil, serveAdd)
	ch := openSOAP11Channel(t, l.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := ch.NewMessage()
	_ = req.Initialize(message.Request, nil)
	if err := req.AddMappedHeader("Content-Type", "application/json"); err != nil {
		t.Fatal(err)
	}
	reply, _ := ch.NewMessage()
	err := ch.Request(ctx, req, &calc.Add{A: 1, B: 2}, reply, nil)
	wantCode(t, err, errors.InvalidFormat)
	var se *channel.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("want a 415 StatusError, got %v", err)
	}
}

// TestListenerOneWay: closing a Reply channel after Receive without a
// reply answers 202, which Send takes as success.
func TestListenerOneWay(t *testing.T) {
	l := openListener(t)
	results := make(chan serverResult, 2)
	acceptLoop(l, results, func(ctx context.Context, ch *channel.Channel) serverResult {
		req, _ := ch.NewMessage()
		var in calc.Add
		return serverResult{receiveErr: ch.Receive(ctx, req, &in)}
	})
	ch := openSOAP11Channel(t, l.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := sendOneWay(ctx, ch, actionOneWay); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r := receiveResult(t, results); r.receiveErr != nil {
		t.Errorf("server Receive: %v", r.receiveErr)
	}
	status, _, body := rawPost(t, "POST", l.URL(), "text/xml", soap11AddRequest)
	if status != http.StatusAccepted || body != "" {
		t.Errorf("one-way answer: %d %q, want 202 and no body", status, body)
	}
	receiveResult(t, results)
}

// TestListenerSendReplyTwice: the second reply is refused, and the client
// gets the first.
func TestListenerSendReplyTwice(t *testing.T) {
	l := openListener(t)
	results := make(chan serverResult, 1)
	acceptLoop(l, results, func(ctx context.Context, ch *channel.Channel) serverResult {
		r := serveAdd(ctx, ch)
		reply, _ := ch.NewReplyMessage(nil)
		r.replyErr = append(r.replyErr, ch.SendReply(ctx, reply, &calc.AddResponse{Result: -1}, nil))
		reply2, _ := ch.NewReplyMessage(nil)
		r.replyErr = append(r.replyErr, ch.SendFault(ctx, reply2, message.NewFault(ch.EnvelopeVersion(), message.FaultReceiver, "late"), nil))
		return r
	})
	ch := openSOAP11Channel(t, l.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := callAdd(ctx, ch, actionAdd, 2, 5); err != nil {
		t.Fatalf("Request: %v", err)
	}
	r := receiveResult(t, results)
	if len(r.replyErr) != 3 {
		t.Fatalf("server side: %+v", r)
	}
	wantCode(t, r.replyErr[0], errors.OK)
	wantCode(t, r.replyErr[1], errors.InvalidOperation)
	wantCode(t, r.replyErr[2], errors.InvalidOperation)
}

// TestListenerCloseAnswersWaiting: requests waiting to be accepted when
// the listener closes are answered 503 with Retry-After (EndpointTooBusy),
// and so is every later one.
func TestListenerCloseAnswersWaiting(t *testing.T) {
	l := channel.NewListener()
	arrived := make(chan struct{}, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		l.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ch := openSOAP11Channel(t, srv.URL+"/svc")
	const waiting = 3
	errs := make(chan error, waiting)
	for i := 0; i < waiting; i++ {
		go func() { errs <- callAdd(ctx, ch, actionAdd, 1, 1) }()
	}
	for i := 0; i < waiting; i++ {
		select {
		case <-arrived:
		case <-ctx.Done():
			t.Fatal("watchdog: the requests did not arrive")
		}
	}
	if err := l.Close(ctx); err != nil {
		t.Fatalf("Listener.Close: %v", err)
	}
	check := func(err error) {
		t.Helper()
		wantCode(t, err, errors.EndpointTooBusy)
		if d, ok := channel.RetryAfter(err); !ok || d <= 0 {
			t.Errorf("no Retry-After in %v", err)
		}
	}
	for i := 0; i < waiting; i++ {
		select {
		case err := <-errs:
			check(err)
		case <-ctx.Done():
			t.Fatal("watchdog: the waiting requests were not answered")
		}
	}
	check(callAdd(ctx, ch, actionAdd, 1, 1))
	if st := ch.State(); st != channel.Open {
		t.Errorf("client state %v, want Open", st)
	}
}

// TestListenerNobodyAccepts: a request no one accepts within the
// listener's Receive timeout is answered 503.
func TestListenerNobodyAccepts(t *testing.T) {
	l := openListener(t, channel.WithTimeouts(channel.Timeouts{Receive: 200 * time.Millisecond}))
	ch := openSOAP11Channel(t, l.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := callAdd(ctx, ch, actionAdd, 1, 1)
	wantCode(t, err, errors.EndpointTooBusy)
	if _, ok := channel.RetryAfter(err); !ok {
		t.Errorf("no Retry-After in %v", err)
	}
}

// TestHandlerAnswers: NewHandler closes the channel its function leaves
// open: 202 after a Receive, a Receiver fault when the request was never
// read.
func TestHandlerAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fn      func(ctx context.Context, ch *channel.Channel)
		send    bool
		code    errors.Code
		faultIs string
	}{
		{name: "reply", fn: func(ctx context.Context, ch *channel.Channel) { serveAdd(ctx, ch) }},
		{name: "received, no reply", send: true, fn: func(ctx context.Context, ch *channel.Channel) {
			req, _ := ch.NewMessage()
			_ = ch.Receive(ctx, req, nil)
		}},
		{name: "never read", fn: func(ctx context.Context, ch *channel.Channel) {},
			code: errors.EndpointFaultReceived, faultIs: "Server"},
		{name: "fault", fn: func(ctx context.Context, ch *channel.Channel) {
			req, _ := ch.NewMessage()
			_ = ch.Receive(ctx, req, nil)
			reply, _ := ch.NewReplyMessage(req)
			_ = ch.SendFault(ctx, reply, message.NewFault(message.SOAP11, message.FaultSender, "no such operand"), req)
		}, code: errors.EndpointFaultReceived, faultIs: "Client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(channel.NewHandler(tc.fn))
			defer srv.Close()
			ch := openSOAP11Channel(t, srv.URL+"/svc")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var err error
			if tc.send {
				err = sendOneWay(ctx, ch, actionOneWay)
			} else {
				err = callAdd(ctx, ch, actionAdd, 3, 4)
			}
			wantCode(t, err, tc.code)
			if tc.faultIs != "" {
				if f := err.(*errors.Error).Fault; f == nil || f.Code.Value.Local != tc.faultIs {
					t.Errorf("want a %s fault, got %v", tc.faultIs, err)
				}
			}
		})
	}
}
