package channel_test

import (
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// addService is a Reply-channel handler answering Add with the sum; it
// also echoes the X-Echo HTTP header and sets a cookie on the first call.
func addService(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = reply.Initialize(message.Reply, req)
		if v, ok := req.MappedHeader("X-Echo"); ok {
			_ = reply.AddMappedHeader("X-Echoed", v)
		}
		if _, ok := req.MappedHeader("Cookie"); !ok {
			_ = reply.AddMappedHeader("Set-Cookie", "session=s1; Path=/")
		} else {
			c, _ := req.MappedHeader("Cookie")
			_ = reply.AddMappedHeader("X-Cookie", c)
		}
		_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// call opens a channel with opts to url, makes one Add call and closes it.
func call(t *testing.T, url string, opts ...channel.Option) (*message.Message, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ch, err := channel.New(channel.Request, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Open(ctx, url); err != nil {
		t.Fatal(err)
	}
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var out AddResponse
	err = ch.Request(ctx, req, &Add{A: 20, B: 22}, reply, &out)
	if err == nil && out.Result != 42 {
		t.Fatalf("result %d", out.Result)
	}
	return reply, err
}

// forwardProxy is a minimal HTTP forward proxy that counts what it relays.
func forwardProxy(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		n.Add(1)
		out, _ := http.NewRequestWithContext(r.Context(), r.Method, r.URL.String(), r.Body)
		out.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(p.Close)
	return p, &n
}

func TestCustomProxyAndBypass(t *testing.T) {
	svc := addService(t)
	proxy, relayed := forwardProxy(t)
	if _, err := call(t, svc.URL, channel.WithCustomProxy(proxy.URL)); err != nil {
		t.Fatal(err)
	}
	if relayed.Load() != 1 {
		t.Fatalf("proxy relayed %d requests, want 1", relayed.Load())
	}
	if _, err := call(t, svc.URL, channel.WithCustomProxy(proxy.URL, "127.0.0.0/8")); err != nil {
		t.Fatal(err)
	}
	if relayed.Load() != 1 {
		t.Fatalf("a bypassed host went through the proxy (%d relays)", relayed.Load())
	}
	// A proxy that is not there is a ProxyFailure, not an endpoint error.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err := call(t, svc.URL, channel.WithCustomProxy(dead.URL))
	if errors.CodeOf(err) != errors.ProxyFailure {
		t.Fatalf("dead proxy: %v (code %v), want ProxyFailure", err, errors.CodeOf(err))
	}
}

type countingRT struct{ n atomic.Int32 }

func (c *countingRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestRoundTripperIsUsed(t *testing.T) {
	svc := addService(t)
	rt := &countingRT{}
	if _, err := call(t, svc.URL, channel.WithRoundTripper(rt)); err != nil {
		t.Fatal(err)
	}
	if rt.n.Load() != 1 {
		t.Fatalf("round tripper saw %d requests", rt.n.Load())
	}
}

func TestMappedAndChannelHeaders(t *testing.T) {
	var got http.Header
	inner := addService(t)
	spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		u, _ := url.Parse(inner.URL)
		r.URL.Scheme, r.URL.Host, r.RequestURI = u.Scheme, u.Host, ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer spy.Close()

	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport), channel.WithHTTPHeader("X-Tenant", "t1"))
	_ = ch.Open(ctx, spy.URL)
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	_ = req.Initialize(message.Request, nil)
	_ = req.SetAction("urn:a/Add")
	_ = req.AddMappedHeader("X-Echo", "hello")
	reply, _ := ch.NewMessage()
	var out AddResponse
	if err := ch.Request(ctx, req, &Add{A: 1, B: 1}, reply, &out); err != nil {
		t.Fatal(err)
	}
	if got.Get("SOAPAction") != `"urn:a/Add"` || !strings.HasPrefix(got.Get("Content-Type"), "text/xml") ||
		got.Get("X-Tenant") != "t1" || got.Get("X-Echo") != "hello" {
		t.Fatalf("request headers: %v", got)
	}
	if v, _ := reply.MappedHeader("X-Echoed"); v != "hello" {
		t.Fatalf("reply mapped header X-Echoed = %q", v)
	}
}

func TestSOAP12ActionParameter(t *testing.T) {
	var ct string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct = r.Header.Get("Content-Type")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithAddressing(message.AddressingTransport))
	_ = ch.Open(ctx, srv.URL)
	msg, _ := ch.NewMessage()
	_ = msg.Initialize(message.Request, nil)
	_ = msg.SetAction(`urn:x/"Q"`)
	if err := ch.Send(ctx, msg, &Add{A: 1}); err != nil {
		t.Fatal(err)
	}
	if ct != `application/soap+xml; charset=utf-8; action="urn:x/\"Q\""` {
		t.Fatalf("content type %s", ct)
	}
}

func TestCookieModes(t *testing.T) {
	svc := addService(t)
	for _, mode := range []channel.CookieMode{channel.AutoCookies, channel.ManualCookies} {
		ctx := context.Background()
		ch, _ := channel.New(channel.Request, channel.WithCookies(mode))
		_ = ch.Open(ctx, svc.URL)
		var sent string
		for i := 0; i < 2; i++ {
			req, _ := ch.NewMessage()
			reply, _ := ch.NewMessage()
			var out AddResponse
			if err := ch.Request(ctx, req, &Add{A: 1, B: 2}, reply, &out); err != nil {
				t.Fatal(err)
			}
			sent, _ = reply.MappedHeader("X-Cookie")
		}
		_ = ch.Close(ctx)
		if (mode == channel.AutoCookies) != (sent == "session=s1") {
			t.Errorf("%v: second request sent cookie %q", mode, sent)
		}
	}
}

func TestRedirectPolicy(t *testing.T) {
	svc := addService(t)
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, svc.URL+"/moved", http.StatusTemporaryRedirect)
	}))
	defer redir.Close()
	_, err := call(t, redir.URL)
	if errors.CodeOf(err) != errors.EndpointNotFound || !strings.Contains(err.Error(), "/moved") {
		t.Fatalf("redirect off: %v", err)
	}
	if _, err := call(t, redir.URL, channel.WithRedirects(channel.FollowRedirects)); err != nil {
		t.Fatalf("redirect followed: %v", err)
	}
	deny := func(orig, next *url.URL) bool { return next.Host == orig.Host }
	if _, err := call(t, redir.URL, channel.WithRedirects(deny)); errors.CodeOf(err) != errors.EndpointNotFound {
		t.Fatalf("redirect refused by policy: %v", err)
	}
}

func TestGzipReplyDecoded(t *testing.T) {
	const env = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><AddResponse xmlns="http://example.com/calc"><result>42</result></AddResponse></s:Body></s:Envelope>`
	var accept string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Type", "application/soap+xml")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, env)
		_ = zw.Close()
	}))
	defer srv.Close()
	if _, err := call(t, srv.URL, channel.WithAddressing(message.AddressingTransport)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(accept, "gzip") {
		t.Fatalf("Accept-Encoding %q", accept)
	}
}

func TestStreamedRequestReply(t *testing.T) {
	srv := httptest.NewServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		sum := 0
		err := ch.Receive(ctx, req, channel.BodyFunc(func(m *message.Message) error {
			for m.HasMoreBody() {
				var in Add
				if err := m.ReadBody(&in); err != nil {
					return err
				}
				sum += in.A + in.B
			}
			return nil
		}))
		if err != nil {
			t.Error(err)
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = ch.SendReply(ctx, reply, channel.BodyFunc(func(m *message.Message) error {
			for i := 0; i < 3; i++ {
				if err := m.WriteBody(&AddResponse{Result: sum + i}); err != nil {
					return err
				}
			}
			return nil
		}), req)
	}, channel.WithTransferMode(channel.Streamed)))
	defer srv.Close()

	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithTransferMode(channel.Streamed))
	_ = ch.Open(ctx, srv.URL)
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var got []int
	err := ch.Request(ctx, req, channel.BodyFunc(func(m *message.Message) error {
		for i := 1; i <= 100; i++ {
			if err := m.WriteBody(&Add{A: i, B: 0}); err != nil {
				return err
			}
		}
		return nil
	}), reply, channel.BodyFunc(func(m *message.Message) error {
		for m.HasMoreBody() {
			var r AddResponse
			if err := m.ReadBody(&r); err != nil {
				return err
			}
			got = append(got, r.Result)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != 5050 || got[2] != 5052 {
		t.Fatalf("got %v", got)
	}
}

func TestEnvelopeNoneRawXML(t *testing.T) {
	var body, ct string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body, ct = string(b), r.Header.Get("Content-Type")
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<AddResponse xmlns="http://example.com/calc"><result>3</result></AddResponse>`)
	}))
	defer srv.Close()
	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithEnvelope(message.EnvelopeNone))
	_ = ch.Open(ctx, srv.URL)
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	rep, _ := ch.NewMessage()
	var out AddResponse
	if err := ch.Request(ctx, req, &Add{A: 1, B: 2}, rep, &out); err != nil {
		t.Fatal(err)
	}
	if out.Result != 3 || !strings.HasPrefix(ct, "application/xml") || strings.Contains(body, "Envelope") || !strings.HasPrefix(body, "<Add") {
		t.Fatalf("raw exchange: result %d, content type %q, body %q", out.Result, ct, body)
	}
}

func TestKeepAliveReusesConnections(t *testing.T) {
	for _, keep := range []bool{true, false} {
		var conns atomic.Int32
		srv := httptest.NewUnstartedServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
			req, _ := ch.NewMessage()
			var in Add
			if ch.Receive(ctx, req, &in) == nil {
				reply, _ := ch.NewReplyMessage(req)
				_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
			}
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		ctx := context.Background()
		ch, _ := channel.New(channel.Request, channel.WithKeepAlive(keep))
		_ = ch.Open(ctx, srv.URL)
		for i := 0; i < 10; i++ {
			req, _ := ch.NewMessage()
			reply, _ := ch.NewMessage()
			var out AddResponse
			if err := ch.Request(ctx, req, &Add{A: i, B: 1}, reply, &out); err != nil || out.Result != i+1 {
				t.Fatalf("call %d: %v %d", i, err, out.Result)
			}
		}
		_ = ch.Close(ctx)
		srv.Close()
		if want := map[bool]int32{true: 1, false: 10}[keep]; conns.Load() != want {
			t.Errorf("keep-alive %v: %d connections for 10 calls, want %d", keep, conns.Load(), want)
		}
	}
}

func TestMaxConnsPerHostBoundsConnections(t *testing.T) {
	var conns, inflight atomic.Int32
	release := make(chan struct{})
	var once sync.Once
	srv := httptest.NewUnstartedServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if ch.Receive(ctx, req, &in) == nil {
			// Hold the first two requests until both are in: with the
			// bound at 2, the other four wait for these connections.
			if inflight.Add(1) >= 2 {
				once.Do(func() { close(release) })
			}
			select {
			case <-release:
			case <-time.After(10 * time.Second): // watchdog
			}
			reply, _ := ch.NewReplyMessage(req)
			_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithMaxConnsPerHost(2))
	_ = ch.Open(ctx, srv.URL)
	defer ch.Close(ctx)
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		go func() {
			req, _ := ch.NewMessage()
			reply, _ := ch.NewMessage()
			var out AddResponse
			errs <- ch.Request(ctx, req, &Add{A: 1, B: 1}, reply, &out)
		}()
	}
	for i := 0; i < 6; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("%d connections for 6 concurrent calls with MaxConnsPerHost 2, want 2", n)
	}
}

func TestStreamedStartSizeBoundsHeaders(t *testing.T) {
	// A reply whose header block never ends: the streamed reader must stop
	// near MaxStreamedStartSize, not at MaxStreamedMessageSize.
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/soap+xml")
		_, _ = io.WriteString(w, `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>`)
		hdr := `<h:Pad xmlns:h="urn:pad">` + strings.Repeat("x", 1000) + `</h:Pad>`
		for i := 0; i < 4000 && r.Context().Err() == nil; i++ { // up to 4 MB
			n, err := io.WriteString(w, hdr)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	_, err := call(t, srv.URL, channel.WithTransferMode(channel.StreamedInput),
		channel.WithAddressing(message.AddressingTransport),
		channel.WithMessageOptions(&message.Options{MaxProcessedHeaders: 10000}))
	var e *errors.Error
	if !errors.As(err, &e) || e.Code != errors.QuotaExceeded || e.Quota != "MaxStreamedStartSize" {
		t.Fatalf("endless headers: %v", err)
	}
}

func TestSOAPActionSpellingAndOverride(t *testing.T) {
	var raw []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw = nil
		for k, v := range r.Header {
			if strings.EqualFold(k, "SOAPAction") {
				raw = append(raw, v...)
			}
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	// The wire spelling: read the raw request line by line.
	var wire string
	spy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer spy.Close()
	go func() {
		c, err := spy.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		wire = string(buf[:n])
		_, _ = io.WriteString(c, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	}()
	ctx := context.Background()
	send := func(url string, override bool) error {
		ch, _ := channel.New(channel.Request, channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport))
		_ = ch.Open(ctx, url)
		defer ch.Close(ctx)
		m, _ := ch.NewMessage()
		_ = m.Initialize(message.Request, nil)
		_ = m.SetAction("urn:a")
		if override {
			_ = m.AddMappedHeader("soapaction", `"urn:b"`)
		}
		return ch.Send(ctx, m, &Add{A: 1})
	}
	if err := send("http://"+spy.Addr().String()+"/", false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(wire, "\r\nSOAPAction: \"urn:a\"\r\n") {
		t.Fatalf("SOAPAction not spelled as in SOAP 1.1:\n%s", wire)
	}
	if err := send(srv.URL, true); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 1 || raw[0] != `"urn:b"` {
		t.Fatalf("overridden SOAPAction arrived as %q, want one \"urn:b\"", raw)
	}
}

func TestTraceProgress(t *testing.T) {
	const big = 300 << 10
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = io.WriteString(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><EchoResponse xmlns="urn:e"><text>`+
			strings.Repeat("r", big)+`</text></EchoResponse></s:Body></s:Envelope>`)
	}))
	defer srv.Close()
	type Echo struct {
		XMLName xml.Name `xml:"urn:e Echo"`
		Text    string   `xml:"text"`
	}
	var mu sync.Mutex
	var calls int
	var lastSent, lastRecv int64
	var reqLen int64
	tr := &channel.Trace{
		Request: func(r *http.Request, _ []byte) { reqLen = r.ContentLength },
		Progress: func(sent, received int64) {
			mu.Lock()
			defer mu.Unlock()
			calls++
			if sent < lastSent || received < lastRecv {
				t.Errorf("progress went backwards: %d/%d after %d/%d", sent, received, lastSent, lastRecv)
			}
			lastSent, lastRecv = sent, received
		},
	}
	ctx := context.Background()
	ch, _ := channel.New(channel.Request, channel.WithEnvelope(message.SOAP11), channel.WithAddressing(message.AddressingTransport),
		channel.WithMaxBufferedMessageSize(1<<20), channel.WithTrace(tr))
	_ = ch.Open(ctx, srv.URL)
	defer ch.Close(ctx)
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	if err := ch.Request(ctx, req, &Echo{Text: strings.Repeat("q", big)}, reply, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if lastSent != reqLen || lastRecv < big || calls < 8 {
		t.Fatalf("progress: %d calls, last %d sent (request %d), %d received (reply > %d)", calls, lastSent, reqLen, lastRecv, big)
	}
}
