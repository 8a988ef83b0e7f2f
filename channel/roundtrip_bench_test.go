package channel_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooklift/gowsdl/soap"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
)

// The round-trip benchmarks (issue 3) send a ~1 KB SOAP 1.1 Echo request
// over loopback HTTP and read a ~1 KB EchoResponse, with three clients
// against one server: wsgo's Request channel, hooklift/gowsdl's
// soap.Client, and a bare net/http POST of pre-built bytes whose reply is
// read and discarded (the floor). Each runs sequentially and with 64
// concurrent callers sharing b.N.

const (
	echoAction = "http://example.com/calc/Echo"
	// roundTripCallers is the number of concurrent callers of the -64
	// variants, whatever GOMAXPROCS is.
	roundTripCallers = 64
)

var (
	// echoText is the request and reply text: 720 characters, some of
	// them escaped, so that each envelope is about 1 KB.
	echoText = strings.Repeat("The quick brown fox & the lazy dog jump 13 <fences>. ", 14)[:720]

	// echoReply is the server's fixed reply: a SOAP 1.1 envelope both
	// clients parse (wsgo's reader and gowsdl's namespace-less response
	// envelope alike).
	echoReply = []byte(`<?xml version="1.0" encoding="utf-8"?>` +
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
		`<EchoResponse xmlns="http://example.com/calc"><text>` + xmlEscape(echoText) + `</text></EchoResponse>` +
		`</soap:Body></soap:Envelope>`)

	// echoRequest is the pre-built request the rawhttp client posts; the
	// same envelope wsgo writes (TestRoundTripClients checks the server
	// sees the same bytes from both).
	echoRequest = []byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
		`<Echo xmlns="http://example.com/calc"><text>` + xmlEscape(echoText) + `</text></Echo>` +
		`</s:Body></s:Envelope>`)
)

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// echoServer is the one server of all round-trip benchmarks: a plain
// net/http handler that reads the whole request and writes echoReply, so
// it costs the same whichever client calls it. It records the size of the
// last request and counts requests that were not SOAP 1.1 Echo calls.
type echoServer struct {
	srv      *httptest.Server
	bad      atomic.Int64
	lastSize atomic.Int64
	lastBody atomic.Pointer[[]byte] // the last request body, when keep is set
	keep     atomic.Bool
}

func newEchoServer() *echoServer {
	s := &echoServer{}
	length := []string{fmt.Sprint(len(echoReply))}
	contentType := []string{"text/xml; charset=utf-8"}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int64
		if s.keep.Load() {
			body, _ := io.ReadAll(r.Body)
			s.lastBody.Store(&body)
			n = int64(len(body))
		} else {
			n, _ = io.Copy(io.Discard, r.Body)
		}
		s.lastSize.Store(n)
		if r.Method != http.MethodPost || strings.Trim(r.Header.Get("SOAPAction"), `"`) != echoAction ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
			s.bad.Add(1)
		}
		h := w.Header()
		h["Content-Type"] = contentType
		h["Content-Length"] = length
		_, _ = w.Write(echoReply)
	}))
	return s
}

func (s *echoServer) url() string { return s.srv.URL + "/calc" }

func (s *echoServer) close() { s.srv.Close() }

// caller is one client's way of making one Echo call; a round-trip client
// makes one caller per goroutine.
type caller func() error

// roundTripClient sets up one client against srv and returns its caller
// factory and a cleanup.
type roundTripClient func(tb testing.TB, srv *echoServer) (newCaller func() caller, cleanup func())

var roundTripClients = []struct {
	name  string
	setup roundTripClient
}{
	{"wsgo", wsgoClient},
	{"gowsdl", gowsdlClient},
	{"rawhttp", rawHTTPClient},
}

// wsgoClient is one Request channel (SOAP 1.1, transport addressing,
// keep-alive) shared by all callers; each caller reuses its own request
// and reply messages and out value.
func wsgoClient(tb testing.TB, srv *echoServer) (func() caller, func()) {
	ctx := context.Background()
	ch, err := channel.New(channel.Request,
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
		channel.WithKeepAlive(true))
	if err != nil {
		tb.Fatal(err)
	}
	if err := ch.Open(ctx, srv.url()); err != nil {
		tb.Fatal(err)
	}
	newCaller := func() caller {
		req, err := ch.NewMessage()
		if err != nil {
			tb.Fatal(err)
		}
		reply, err := ch.NewMessage()
		if err != nil {
			tb.Fatal(err)
		}
		in := &calc.Echo{Text: echoText}
		var out calc.EchoResponse
		return func() error {
			req.Reset()
			reply.Reset()
			if err := req.Initialize(message.Request, nil); err != nil {
				return err
			}
			if err := req.SetAction(echoAction); err != nil {
				return err
			}
			out.Text = ""
			if err := ch.Request(ctx, req, in, reply, &out); err != nil {
				return err
			}
			return checkEcho(out.Text)
		}
	}
	return newCaller, func() {
		if err := ch.Close(ctx); err != nil {
			tb.Error(err)
		}
	}
}

// gowsdlClient is hooklift/gowsdl's soap.Client as its generated code uses
// it: NewClient(url) and Call with the generated types.
func gowsdlClient(tb testing.TB, srv *echoServer) (func() caller, func()) {
	client := soap.NewClient(srv.url())
	newCaller := func() caller {
		in := &calc.Echo{Text: echoText}
		return func() error {
			out := new(calc.EchoResponse)
			if err := client.Call(echoAction, in, out); err != nil {
				return err
			}
			return checkEcho(out.Text)
		}
	}
	return newCaller, func() {}
}

// rawHTTPClient posts echoRequest with net/http and discards the reply:
// the floor. Its transport is tuned as wsgo's is (keep-alive, no
// transparent compression, enough idle connections for every caller).
func rawHTTPClient(tb testing.TB, srv *echoServer) (func() caller, func()) {
	tr := &http.Transport{
		DisableCompression:  true,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: channel.DefaultMaxConnsPerHost,
		MaxConnsPerHost:     channel.DefaultMaxConnsPerHost,
		IdleConnTimeout:     90 * time.Second,
	}
	client := &http.Client{Transport: tr}
	url := srv.url()
	header := http.Header{
		"Content-Type": {"text/xml; charset=utf-8"},
		"Soapaction":   {`"` + echoAction + `"`},
	}
	newCaller := func() caller {
		return func() error {
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(echoRequest))
			if err != nil {
				return err
			}
			req.Header = header
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK || n != int64(len(echoReply)) {
				return fmt.Errorf("reply: HTTP %s with %d bytes, want 200 with %d", resp.Status, n, len(echoReply))
			}
			return nil
		}
	}
	return newCaller, tr.CloseIdleConnections
}

func checkEcho(got string) error {
	if got != echoText {
		return fmt.Errorf("reply text is %d characters %.40q..., want the %d-character echo text", len(got), got, len(echoText))
	}
	return nil
}

// TestRoundTripClients checks the benchmarks' setup: each client's call
// succeeds against the shared server, the server sees a SOAP 1.1 Echo
// call from each, and wsgo sends exactly the bytes rawhttp posts, so the
// floor carries the same request.
func TestRoundTripClients(t *testing.T) {
	srv := newEchoServer()
	defer srv.close()
	srv.keep.Store(true)
	bodies := map[string][]byte{}
	for _, c := range roundTripClients {
		newCaller, cleanup := c.setup(t, srv)
		call := newCaller()
		for i := range 3 { // the reused messages and connections too
			if err := call(); err != nil {
				t.Fatalf("%s call %d: %v", c.name, i, err)
			}
		}
		cleanup()
		bodies[c.name] = *srv.lastBody.Load()
	}
	if n := srv.bad.Load(); n != 0 {
		t.Errorf("the server saw %d requests that were not SOAP 1.1 Echo calls", n)
	}
	if !bytes.Equal(bodies["wsgo"], echoRequest) {
		t.Errorf("wsgo sent\n%s\nrawhttp posts\n%s", bodies["wsgo"], echoRequest)
	}
	for name, body := range bodies {
		if n := len(body); n < 900 || n > 1200 {
			t.Errorf("%s sent %d bytes, want about 1 KB:\n%s", name, n, body)
		}
	}
	if n := len(echoReply); n < 900 || n > 1200 {
		t.Errorf("the reply is %d bytes, want about 1 KB", n)
	}
	t.Logf("request bytes: wsgo %d, gowsdl %d, rawhttp %d; reply %d",
		len(bodies["wsgo"]), len(bodies["gowsdl"]), len(bodies["rawhttp"]), len(echoReply))
}

// BenchmarkRoundTrip measures a ~1 KB request and reply over loopback
// HTTP with keep-alive (gowsdl opens a connection per call: that is how
// soap.Client works). Target: wsgo at least 0.85 times rawhttp's
// throughput, sequential and with 64 callers.
func BenchmarkRoundTrip(b *testing.B) {
	srv := newEchoServer()
	defer srv.close()
	for _, c := range roundTripClients {
		b.Run(c.name, func(b *testing.B) {
			benchSequential(b, srv, c.setup)
		})
	}
	for _, c := range roundTripClients {
		b.Run(fmt.Sprintf("%s-%d", c.name, roundTripCallers), func(b *testing.B) {
			benchConcurrent(b, srv, c.setup, roundTripCallers)
		})
	}
	if n := srv.bad.Load(); n != 0 {
		b.Fatalf("the server saw %d requests that were not SOAP 1.1 Echo calls", n)
	}
}

func benchSequential(b *testing.B, srv *echoServer, setup roundTripClient) {
	newCaller, cleanup := setup(b, srv)
	defer cleanup()
	call := newCaller()
	if err := call(); err != nil { // connect outside the timing
		b.Fatal(err)
	}
	b.SetBytes(int64(len(echoRequest)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
}

// benchConcurrent runs b.N calls on callers goroutines sharing one
// client; the first failure stops them all and fails the benchmark.
func benchConcurrent(b *testing.B, srv *echoServer, setup roundTripClient, callers int) {
	newCaller, cleanup := setup(b, srv)
	defer cleanup()
	calls := make([]caller, callers)
	for i := range calls {
		calls[i] = newCaller()
	}
	// Warm up: one call per caller at once, so the connections exist.
	if err := runCalls(calls, int64(callers)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(echoRequest)))
	b.ReportAllocs()
	b.ResetTimer()
	err := runCalls(calls, int64(b.N))
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
}

// runCalls makes n calls in all, spread over the callers running at once,
// and returns the first error.
func runCalls(calls []caller, n int64) error {
	var (
		left    atomic.Int64
		failed  atomic.Bool
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	left.Store(n)
	for _, call := range calls {
		wg.Go(func() {
			for left.Add(-1) >= 0 && !failed.Load() {
				if err := call(); err != nil {
					errOnce.Do(func() { first = err })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
