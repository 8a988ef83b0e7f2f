package channel_test

import (
	"bytes"
	"context"
	"fmt"
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
)

// The state-table tests call every operation of a Channel in every state
// it can be driven into from outside, and compare the outcome with an
// expectation table written here from doc.go's state table (not derived
// from the code's own table): the result code, and the state afterwards.

// Actions the state-test service knows.
const (
	actionAdd    = "http://example.com/calc/Add"
	actionBlock  = "urn:wsgo-test:block"  // the handler waits until released
	actionOneWay = "urn:wsgo-test:oneway" // the handler answers 202
)

// stateOutcome is the expected result of one operation in one state.
type stateOutcome struct {
	code  errors.Code   // errors.OK for success
	after channel.State // the state once the operation returned
}

func okTo(s channel.State) stateOutcome { return stateOutcome{errors.OK, s} }

// refused is an illegal call: it fails with code and leaves the state as it
// was.
func refused(code errors.Code, s channel.State) stateOutcome { return stateOutcome{code, s} }

// requestChannelTable is doc.go's table for a Request channel, state by
// state. Opening is not reachable from outside (Open makes no connection
// and never blocks), so it has no row.
var requestChannelTable = map[channel.State]map[string]stateOutcome{
	channel.Created: {
		"Open":    okTo(channel.Open),
		"Request": refused(errors.InvalidOperation, channel.Created),
		"Send":    refused(errors.InvalidOperation, channel.Created),
		"Close":   refused(errors.InvalidOperation, channel.Created),
		"Abort":   okTo(channel.Created),
		"Reset":   okTo(channel.Created),
	},
	channel.Open: {
		"Open":    refused(errors.InvalidOperation, channel.Open),
		"Request": okTo(channel.Open),
		"Send":    okTo(channel.Open),
		"Close":   okTo(channel.Closed),
		"Abort":   okTo(channel.Faulted),
		"Reset":   refused(errors.InvalidOperation, channel.Open),
	},
	channel.Faulted: {
		"Open":    refused(errors.InvalidOperation, channel.Faulted),
		"Request": refused(errors.ObjectFaulted, channel.Faulted),
		"Send":    refused(errors.ObjectFaulted, channel.Faulted),
		"Close":   okTo(channel.Closed),
		"Abort":   okTo(channel.Faulted),
		"Reset":   refused(errors.InvalidOperation, channel.Faulted),
	},
	channel.Closing: {
		"Open":    refused(errors.InvalidOperation, channel.Closing),
		"Request": refused(errors.InvalidOperation, channel.Closing),
		"Send":    refused(errors.InvalidOperation, channel.Closing),
		"Close":   refused(errors.InvalidOperation, channel.Closing),
		"Abort":   okTo(channel.Closing), // doc.go: only Open/Opening become Faulted
		"Reset":   refused(errors.InvalidOperation, channel.Closing),
	},
	channel.Closed: {
		"Open":    refused(errors.InvalidOperation, channel.Closed),
		"Request": refused(errors.InvalidOperation, channel.Closed),
		"Send":    refused(errors.InvalidOperation, channel.Closed),
		"Close":   refused(errors.InvalidOperation, channel.Closed),
		"Abort":   okTo(channel.Closed),
		"Reset":   okTo(channel.Created),
	},
}

// replyChannelTable is the same for a Reply channel, which a handler
// receives Open. The client-side operations are refused in every state.
var replyChannelTable = map[channel.State]map[string]stateOutcome{
	channel.Open: {
		"Receive":   okTo(channel.Open),
		"SendReply": okTo(channel.Open),
		"SendFault": okTo(channel.Open),
		"Close":     okTo(channel.Closed),
		"Abort":     okTo(channel.Faulted),
		"Open":      refused(errors.InvalidOperation, channel.Open),
		"Reset":     refused(errors.InvalidOperation, channel.Open),
		"Request":   refused(errors.InvalidOperation, channel.Open),
		"Send":      refused(errors.InvalidOperation, channel.Open),
	},
	channel.Faulted: {
		"Receive":   refused(errors.ObjectFaulted, channel.Faulted),
		"SendReply": refused(errors.ObjectFaulted, channel.Faulted),
		"SendFault": refused(errors.ObjectFaulted, channel.Faulted),
		"Close":     okTo(channel.Closed),
		"Abort":     okTo(channel.Faulted),
		"Open":      refused(errors.InvalidOperation, channel.Faulted),
		"Reset":     refused(errors.InvalidOperation, channel.Faulted),
		"Request":   refused(errors.InvalidOperation, channel.Faulted),
		"Send":      refused(errors.InvalidOperation, channel.Faulted),
	},
	channel.Closed: {
		"Receive":   refused(errors.InvalidOperation, channel.Closed),
		"SendReply": refused(errors.InvalidOperation, channel.Closed),
		"SendFault": refused(errors.InvalidOperation, channel.Closed),
		"Close":     refused(errors.InvalidOperation, channel.Closed),
		"Abort":     okTo(channel.Closed),
		"Open":      refused(errors.InvalidOperation, channel.Closed),
		"Reset":     refused(errors.InvalidOperation, channel.Closed),
		"Request":   refused(errors.InvalidOperation, channel.Closed),
		"Send":      refused(errors.InvalidOperation, channel.Closed),
	},
}

// blockingService is a loopback SOAP service for lifecycle tests: Add
// answers at once, actionOneWay answers 202, actionBlock waits until
// release is closed (or the client goes away), announcing itself on
// arrived first.
type blockingService struct {
	srv     *httptest.Server
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

func newBlockingService(t *testing.T) *blockingService {
	t.Helper()
	s := &blockingService{arrived: make(chan struct{}, 1024), release: make(chan struct{})}
	s.srv = httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in calc.Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return
		}
		action, _ := req.Action()
		switch action {
		case actionOneWay:
			return // Close answers 202
		case actionBlock:
			s.arrived <- struct{}{}
			select {
			case <-s.release:
			case <-ctx.Done():
				return
			}
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = ch.SendReply(ctx, reply, &calc.AddResponse{Result: in.A + in.B}, req)
	}))
	t.Cleanup(s.srv.Close)
	t.Cleanup(s.unblock) // runs before the server's Close
	return s
}

func (s *blockingService) unblock() { s.once.Do(func() { close(s.release) }) }

// url is the service's address.
func (s *blockingService) url() string { return s.srv.URL + "/calc" }

// waitArrived waits for a blocking request to reach the handler.
func (s *blockingService) waitArrived(t *testing.T) {
	t.Helper()
	select {
	case <-s.arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("watchdog: the blocking request never reached the service")
	}
}

// newSOAP11Channel returns a Created SOAP 1.1 Request channel without
// WS-Addressing, the shape most of these tests use.
func newSOAP11Channel(t *testing.T, opts ...channel.Option) *channel.Channel {
	t.Helper()
	all := append([]channel.Option{
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
	}, opts...)
	ch, err := channel.New(channel.Request, all...)
	if err != nil {
		t.Fatalf("channel.New: %v", err)
	}
	t.Cleanup(func() {
		ch.Abort()
		if st := ch.State(); st == channel.Open || st == channel.Faulted {
			_ = ch.Close(context.Background())
		}
	})
	return ch
}

// openSOAP11Channel returns a SOAP 1.1 Request channel opened to address.
func openSOAP11Channel(t *testing.T, address string, opts ...channel.Option) *channel.Channel {
	t.Helper()
	ch := newSOAP11Channel(t, opts...)
	if err := ch.Open(context.Background(), address); err != nil {
		t.Fatalf("Open %s: %v", address, err)
	}
	return ch
}

// callAdd sends Add{a, b} with the given action and checks a successful
// reply's result.
func callAdd(ctx context.Context, ch *channel.Channel, action string, a, b int32) error {
	req, err := ch.NewMessage()
	if err != nil {
		return err
	}
	if err := req.Initialize(message.Request, nil); err != nil {
		return err
	}
	if err := req.SetAction(action); err != nil {
		return err
	}
	reply, err := ch.NewMessage()
	if err != nil {
		return err
	}
	var out calc.AddResponse
	if err := ch.Request(ctx, req, &calc.Add{A: a, B: b}, reply, &out); err != nil {
		return err
	}
	if out.Result != a+b {
		return errors.Errorf(errors.InvalidFormat, "Add(%d, %d) answered %d", a, b, out.Result)
	}
	return nil
}

// sendOneWay sends Add as a one-way message with the given action.
func sendOneWay(ctx context.Context, ch *channel.Channel, action string) error {
	msg, err := ch.NewMessage()
	if err != nil {
		return err
	}
	if err := msg.Initialize(message.Request, nil); err != nil {
		return err
	}
	if err := msg.SetAction(action); err != nil {
		return err
	}
	return ch.Send(ctx, msg, &calc.Add{A: 1, B: 2})
}

// wantCode fails the test unless err is an *errors.Error with code (or
// nil when code is OK).
func wantCode(t *testing.T, err error, code errors.Code) {
	t.Helper()
	if code == errors.OK {
		if err != nil {
			t.Fatalf("want success, got %v", err)
		}
		return
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("want an *errors.Error with code %v, got %T %v", code, err, err)
	}
	if e.Code != code {
		t.Fatalf("want code %v, got %v: %v", code, e.Code, err)
	}
}

// waitState polls until ch reaches want (a state entered by another
// goroutine).
func waitState(t *testing.T, ch *channel.Channel, want channel.State) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for ch.State() != want {
		if time.Now().After(deadline) {
			t.Fatalf("watchdog: channel stayed %v, never became %v", ch.State(), want)
		}
		time.Sleep(time.Millisecond)
	}
}

// requestChannelInState drives a fresh Request channel into state s. It
// returns the channel and a function that ends what the driving left
// running (for Closing: the pending exchange and the Close waiting on it)
// and returns the error of that Close.
func requestChannelInState(t *testing.T, svc *blockingService, s channel.State) (*channel.Channel, func() error) {
	t.Helper()
	ctx := context.Background()
	ch := newSOAP11Channel(t)
	none := func() error { return nil }
	if s == channel.Created {
		return ch, none
	}
	if err := ch.Open(ctx, svc.url()); err != nil {
		t.Fatalf("Open: %v", err)
	}
	switch s {
	case channel.Open:
		return ch, none
	case channel.Faulted:
		ch.Abort()
		return ch, none
	case channel.Closed:
		if err := ch.Close(ctx); err != nil {
			t.Fatalf("Close: %v", err)
		}
		return ch, none
	case channel.Closing:
		// A pending exchange holds Close in Closing.
		pending := make(chan error, 1)
		go func() { pending <- callAdd(ctx, ch, actionBlock, 1, 2) }()
		svc.waitArrived(t)
		closed := make(chan error, 1)
		go func() { closed <- ch.Close(ctx) }()
		waitState(t, ch, channel.Closing)
		return ch, func() error {
			svc.unblock()
			select {
			case <-pending:
			case <-time.After(10 * time.Second):
				t.Fatal("watchdog: the pending exchange did not end")
			}
			select {
			case err := <-closed:
				return err
			case <-time.After(10 * time.Second):
				t.Fatal("watchdog: Close did not return")
			}
			return nil
		}
	}
	t.Fatalf("no way to drive a Request channel into %v", s)
	return nil, nil
}

// requestChannelOp runs operation name on a Request channel.
func requestChannelOp(ctx context.Context, ch *channel.Channel, name, address string) error {
	switch name {
	case "Open":
		return ch.Open(ctx, address)
	case "Request":
		return callAdd(ctx, ch, actionAdd, 2, 3)
	case "Send":
		return sendOneWay(ctx, ch, actionOneWay)
	case "Close":
		return ch.Close(ctx)
	case "Abort":
		ch.Abort()
		return nil
	case "Reset":
		return ch.Reset()
	}
	panic("unknown operation " + name)
}

func TestRequestChannelStateTable(t *testing.T) {
	ops := []string{"Open", "Request", "Send", "Close", "Abort", "Reset"}
	for _, s := range []channel.State{channel.Created, channel.Open, channel.Faulted, channel.Closing, channel.Closed} {
		for _, op := range ops {
			want, ok := requestChannelTable[s][op]
			if !ok {
				t.Fatalf("expectation table has no entry for %v × %s", s, op)
			}
			t.Run(s.String()+"/"+op, func(t *testing.T) {
				svc := newBlockingService(t)
				ch, finish := requestChannelInState(t, svc, s)
				if got := ch.State(); got != s {
					t.Fatalf("driving failed: state %v, want %v", got, s)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				err := requestChannelOp(ctx, ch, op, svc.url())
				if ctx.Err() != nil {
					t.Fatalf("watchdog: %s in state %v did not return", op, s)
				}
				wantCode(t, err, want.code)
				got := ch.State()
				if s == channel.Closing && op == "Abort" && got == channel.Closed {
					got = channel.Closing // the waiting Close may already have finished: not Faulted either way
				}
				if got != want.after {
					t.Errorf("%s in state %v: state afterwards %v, want %v", op, s, got, want.after)
				}
				if want.code == errors.InvalidOperation && !strings.Contains(err.Error(), s.String()) {
					t.Errorf("the message does not name the state %v: %v", s, err)
				}
				closeErr := finish()
				if s == channel.Closing {
					// Abort while Closing aborts the pending exchange: the
					// waiting Close says so. Otherwise Close waited for it.
					wantClose := errors.OK
					if op == "Abort" {
						wantClose = errors.OperationAborted
					}
					wantCode(t, closeErr, wantClose)
					if got := ch.State(); got != channel.Closed {
						t.Errorf("after the waiting Close returned: state %v, want Closed", got)
					}
				}
			})
		}
	}
}

// TestRequestChannelAbortWhileClosingEndsPending checks the other half of
// Abort in Closing: the exchange Close was waiting for ends with
// OperationAborted at once rather than when the service answers.
func TestRequestChannelAbortWhileClosingEndsPending(t *testing.T) {
	svc := newBlockingService(t)
	ctx := context.Background()
	ch := openSOAP11Channel(t, svc.url())
	pending := make(chan error, 1)
	go func() { pending <- callAdd(ctx, ch, actionBlock, 1, 2) }()
	svc.waitArrived(t)
	closed := make(chan error, 1)
	go func() { closed <- ch.Close(ctx) }()
	waitState(t, ch, channel.Closing)
	ch.Abort()
	select {
	case err := <-pending:
		wantCode(t, err, errors.OperationAborted)
	case <-time.After(10 * time.Second):
		t.Fatal("watchdog: Abort did not end the pending exchange")
	}
	select {
	case err := <-closed:
		wantCode(t, err, errors.OperationAborted)
	case <-time.After(10 * time.Second):
		t.Fatal("watchdog: Close did not return after Abort")
	}
	if got := ch.State(); got != channel.Closed {
		t.Errorf("state %v, want Closed", got)
	}
}

// TestRequestChannelReuse runs the whole cycle twice: Reset makes a Closed
// channel usable again, at another address.
func TestRequestChannelReuse(t *testing.T) {
	svc1, svc2 := newBlockingService(t), newBlockingService(t)
	ctx := context.Background()
	ch := newSOAP11Channel(t)
	for i, svc := range []*blockingService{svc1, svc2} {
		if err := ch.Open(ctx, svc.url()); err != nil {
			t.Fatalf("round %d: Open: %v", i, err)
		}
		if got := ch.Address(); got != svc.url() {
			t.Errorf("round %d: Address %q, want %q", i, got, svc.url())
		}
		if err := callAdd(ctx, ch, actionAdd, 20, int32(i)); err != nil {
			t.Fatalf("round %d: Request: %v", i, err)
		}
		if err := ch.Close(ctx); err != nil {
			t.Fatalf("round %d: Close: %v", i, err)
		}
		if err := ch.Reset(); err != nil {
			t.Fatalf("round %d: Reset: %v", i, err)
		}
		if got := ch.Address(); got != "" {
			t.Errorf("round %d: Address after Reset %q, want empty", i, got)
		}
	}
	// A channel aborted and closed is reusable too: the abort does not
	// spill over into the next Open.
	if err := ch.Open(ctx, svc1.url()); err != nil {
		t.Fatal(err)
	}
	ch.Abort()
	if err := ch.Close(ctx); err != nil {
		t.Fatalf("Close of an aborted channel: %v", err)
	}
	if err := ch.Reset(); err != nil {
		t.Fatal(err)
	}
	if err := ch.Open(ctx, svc1.url()); err != nil {
		t.Fatal(err)
	}
	if err := callAdd(ctx, ch, actionAdd, 4, 5); err != nil {
		t.Fatalf("Request after Abort, Close, Reset, Open: %v", err)
	}
}

// TestRequestChannelOpenFailures: an Open that fails leaves the channel
// Created, ready for another Open.
func TestRequestChannelOpenFailures(t *testing.T) {
	svc := newBlockingService(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		address string
		code    errors.Code
	}{
		{"not a URL", context.Background(), "http://[::1", errors.InvalidEndpointURL},
		{"wrong scheme", context.Background(), "ftp://example.com/svc", errors.InvalidEndpointURL},
		{"no host", context.Background(), "http:///svc", errors.InvalidEndpointURL},
		{"fragment", context.Background(), "http://example.com/svc#x", errors.InvalidEndpointURL},
		{"cancelled context", cancelled, svc.url(), errors.OperationAborted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := newSOAP11Channel(t)
			wantCode(t, ch.Open(tc.ctx, tc.address), tc.code)
			if got := ch.State(); got != channel.Created {
				t.Fatalf("state %v after a failed Open, want Created", got)
			}
			if err := ch.Open(context.Background(), svc.url()); err != nil {
				t.Fatalf("Open after a failed Open: %v", err)
			}
		})
	}
}

// TestNewRefusesReplyType: Reply channels come from a listener only.
func TestNewRefusesReplyType(t *testing.T) {
	ch, err := channel.New(channel.Reply)
	wantCode(t, err, errors.InvalidArgument)
	if ch != nil {
		t.Fatal("New(Reply) returned a channel")
	}
}

// replyStateCase is one (state × operation) run on a Reply channel inside
// the handler.
type replyStateCase struct {
	state channel.State
	op    string
}

// replyStateResult is what the handler observed.
type replyStateResult struct {
	driven channel.State // the state before the operation
	err    error
	after  channel.State
}

// replyChannelInState drives the handler's Open Reply channel into s.
func replyChannelInState(ctx context.Context, ch *channel.Channel, s channel.State) {
	switch s {
	case channel.Faulted:
		ch.Abort()
	case channel.Closed:
		_ = ch.Close(ctx)
	}
}

// replyChannelOp runs operation name on a Reply channel.
func replyChannelOp(ctx context.Context, ch *channel.Channel, name string) error {
	switch name {
	case "Receive":
		msg, err := ch.NewMessage()
		if err != nil {
			return err
		}
		var in calc.Add
		return ch.Receive(ctx, msg, &in)
	case "SendReply":
		reply, err := ch.NewReplyMessage(nil)
		if err != nil {
			return err
		}
		return ch.SendReply(ctx, reply, &calc.AddResponse{Result: 1}, nil)
	case "SendFault":
		reply, err := ch.NewReplyMessage(nil)
		if err != nil {
			return err
		}
		return ch.SendFault(ctx, reply, message.NewFault(message.SOAP11, message.FaultReceiver, "test fault"), nil)
	case "Close":
		return ch.Close(ctx)
	case "Abort":
		ch.Abort()
		return nil
	case "Open":
		return ch.Open(ctx, "http://127.0.0.1:1/x")
	case "Reset":
		return ch.Reset()
	case "Request":
		return callAdd(ctx, ch, actionAdd, 1, 1)
	case "Send":
		return sendOneWay(ctx, ch, actionOneWay)
	}
	panic("unknown operation " + name)
}

// soap11AddRequest is a SOAP 1.1 Add request envelope.
const soap11AddRequest = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
	`<Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add></s:Body></s:Envelope>`

func TestReplyChannelStateTable(t *testing.T) {
	var mu sync.Mutex
	cases := map[string]replyStateCase{}
	results := make(chan replyStateResult, 1)
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		mu.Lock()
		tc, ok := cases[ch.HTTPRequest().Header.Get("X-Case")]
		mu.Unlock()
		if !ok {
			return
		}
		if ch.Type() != channel.Reply {
			results <- replyStateResult{err: errors.Errorf(errors.Other, "handler got a %v channel", ch.Type())}
			return
		}
		replyChannelInState(ctx, ch, tc.state)
		r := replyStateResult{driven: ch.State()}
		r.err = replyChannelOp(ctx, ch, tc.op)
		r.after = ch.State()
		results <- r
	}))
	defer srv.Close()

	ops := []string{"Receive", "SendReply", "SendFault", "Close", "Abort", "Open", "Reset", "Request", "Send"}
	for _, s := range []channel.State{channel.Open, channel.Faulted, channel.Closed} {
		for _, op := range ops {
			want, ok := replyChannelTable[s][op]
			if !ok {
				t.Fatalf("expectation table has no entry for %v × %s", s, op)
			}
			name := s.String() + "/" + op
			mu.Lock()
			cases[name] = replyStateCase{s, op}
			mu.Unlock()
			t.Run(name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				hreq, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/svc", bytes.NewBufferString(soap11AddRequest))
				hreq.Header.Set("Content-Type", "text/xml; charset=utf-8")
				hreq.Header.Set("SOAPAction", `"`+actionAdd+`"`)
				hreq.Header.Set("X-Case", name)
				if resp, err := srv.Client().Do(hreq); err == nil { // an aborted channel resets the connection
					resp.Body.Close()
				}
				var r replyStateResult
				select {
				case r = <-results:
				case <-ctx.Done():
					t.Fatal("watchdog: the handler did not report")
				}
				if r.driven != s {
					t.Fatalf("driving failed: state %v, want %v", r.driven, s)
				}
				wantCode(t, r.err, want.code)
				if r.after != want.after {
					t.Errorf("%s in state %v: state afterwards %v, want %v", op, s, r.after, want.after)
				}
			})
		}
	}
}

// TestReplyChannelOneExchange: a Reply channel carries one request and one
// reply; a second Receive, SendReply or SendFault is InvalidOperation and
// leaves the channel Open.
func TestReplyChannelOneExchange(t *testing.T) {
	type step struct {
		op    string
		err   error
		after channel.State
	}
	steps := make(chan []step, 1)
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		var got []step
		for _, op := range []string{"Receive", "Receive", "SendReply", "SendReply", "SendFault"} {
			err := replyChannelOp(ctx, ch, op)
			got = append(got, step{op, err, ch.State()})
		}
		steps <- got
	}))
	defer srv.Close()
	ch := openSOAP11Channel(t, srv.URL+"/svc")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var out calc.AddResponse
	if err := ch.Request(ctx, req, &calc.Add{A: 2, B: 3}, reply, &out); err != nil {
		t.Fatalf("Request: %v", err)
	}
	if out.Result != 1 {
		t.Errorf("reply result %d, want the first SendReply's 1", out.Result)
	}
	got := <-steps
	want := []errors.Code{errors.OK, errors.InvalidOperation, errors.OK, errors.InvalidOperation, errors.InvalidOperation}
	for i, code := range want {
		t.Run(fmt.Sprintf("%d-%s", i+1, got[i].op), func(t *testing.T) {
			wantCode(t, got[i].err, code)
			if got[i].after != channel.Open {
				t.Errorf("state afterwards %v, want Open", got[i].after)
			}
		})
	}
}
