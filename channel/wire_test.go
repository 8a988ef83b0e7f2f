package channel_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/loopback"
)

// Tests of the wire (wire.go), the channel's own HTTP/1.1 client, against
// keep-alive servers scripted byte by byte: what a connection pool that
// has no reader goroutine per connection must still get right.

// wireAddReply is a SOAP 1.2 reply to Add, framed with Content-Length.
func wireAddReply(result int, extraHeaders ...string) string {
	env := fmt.Sprintf(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><AddResponse xmlns="http://example.com/calc"><result>%d</result></AddResponse></s:Body></s:Envelope>`, result)
	h := "HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\n"
	for _, x := range extraHeaders {
		h += x + "\r\n"
	}
	return h + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(env)) + env
}

// keepAliveServer serves keep-alive connections, handing each request to
// answer with its number on its connection (loopback.Requests).
func keepAliveServer(t *testing.T, answer func(c *net.TCPConn, req *http.Request, n int) bool) *loopback.Server {
	return loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, _, n int) bool {
		return answer(c, req, n)
	}))
}

// addCall makes one Add call on ch.
func addCall(ctx context.Context, ch *channel.Channel, a, b int) (int, error) {
	req, _ := ch.NewMessage()
	reply, _ := ch.NewMessage()
	var out AddResponse
	err := ch.Request(ctx, req, &Add{A: a, B: b}, reply, &out)
	return out.Result, err
}

// wantConnections makes calls Add calls on ch, each answered 3, and checks
// that srv saw want connections for them.
func wantConnections(t *testing.T, ch *channel.Channel, srv *loopback.Server, calls int, want int32) {
	t.Helper()
	for i := 0; i < calls; i++ {
		if got, err := addCall(context.Background(), ch, 1, 2); err != nil || got != 3 {
			t.Fatalf("call %d: %d, %v", i, got, err)
		}
	}
	if n := srv.Accepts.Load(); n != want {
		t.Errorf("%d connections for %d calls, want %d", n, calls, want)
	}
}

// openWireChannel is openChannel, aborted at the test's end.
func openWireChannel(t *testing.T, url string, opts ...channel.Option) *channel.Channel {
	t.Helper()
	ch := openChannel(t, url, opts...)
	t.Cleanup(ch.Abort)
	return ch
}

// A service that closes an idle keep-alive connection without saying so
// (no Connection: close) must not make the next call fail: the probe
// before reuse finds the connection closed and the call takes a new one.
func TestWireIdleConnectionClosedByService(t *testing.T) {
	srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, _ int) bool {
		_, _ = io.WriteString(c, wireAddReply(3))
		time.Sleep(20 * time.Millisecond)
		return false // close it, unannounced
	})
	ch := openWireChannel(t, srv.URL("/svc"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		if _, err := addCall(ctx, ch, 1, 2); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		time.Sleep(100 * time.Millisecond) // the service closes meanwhile
	}
	if n := srv.Accepts.Load(); n != 3 {
		t.Errorf("%d connections for 3 calls on connections the service closes, want 3", n)
	}
}

// Bytes the service writes on an idle connection (an unasked 408, as some
// servers send before closing) are not taken as the next call's response.
func TestWireUnaskedResponseOnIdleConnection(t *testing.T) {
	srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, n int) bool {
		_, _ = io.WriteString(c, wireAddReply(3+n))
		time.Sleep(20 * time.Millisecond)
		_, _ = io.WriteString(c, "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n")
		return true // and keep reading: a reuse would get the 408
	})
	ch := openWireChannel(t, srv.URL("/svc"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		got, err := addCall(ctx, ch, 1, 2)
		if err != nil || got != 3 {
			t.Fatalf("call %d: %d, %v; want 3 from a fresh connection", i, got, err)
		}
		time.Sleep(60 * time.Millisecond)
	}
}

// A response the service sends before it has read the request body (a
// 413 for a body too large, then closing) is what the call reports, for
// bodies written before the response is read and for those written
// alongside it.
func TestWireEarlyResponse(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		opts []channel.Option
	}{
		{"small", 2 << 10, nil},
		{"under the sync limit", 60 << 10, nil},
		{"large", 4 << 20, nil},
		{"streamed", 4 << 20, []channel.Option{channel.WithTransferMode(channel.StreamedOutput)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				_, _ = io.WriteString(c, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				time.Sleep(50 * time.Millisecond) // let the response go before the close
			}()
			opts := append([]channel.Option{channel.WithMaxBufferedMessageSize(64 << 20), channel.WithMaxStreamedMessageSize(64 << 20)}, tc.opts...)
			ch := openWireChannel(t, "http://"+ln.Addr().String()+"/svc", opts...)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			req, _ := ch.NewMessage()
			reply, _ := ch.NewMessage()
			var out AddResponse
			start := time.Now()
			err = ch.Request(ctx, req, &echoBig{Text: strings.Repeat("x", tc.size)}, reply, &out)
			var se *channel.StatusError
			if !errors.As(err, &se) || se.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("err = %v, want the service's 413 (a *StatusError)", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
			ch.Abort()
		})
	}
}

type echoBig struct {
	XMLName struct{} `xml:"http://example.com/calc Echo"`
	Text    string   `xml:"text"`
}

// 1xx responses before the final one are skipped.
func TestWireInformationalResponses(t *testing.T) {
	srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, _ int) bool {
		_, _ = io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>; rel=preload\r\n\r\n"+wireAddReply(3))
		return true
	})
	ch := openWireChannel(t, srv.URL("/svc"))
	wantConnections(t, ch, srv, 2, 1) // kept alive through the 1xx responses
}

// Connection: close and HTTP/1.0 responses end their connection; the next
// call makes a new one.
func TestWireConnectionCloseResponses(t *testing.T) {
	for _, tc := range []struct{ name, reply string }{
		{"Connection: close", wireAddReply(3, "Connection: close")},
		{"HTTP/1.0", strings.Replace(wireAddReply(3), "HTTP/1.1", "HTTP/1.0", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, _ int) bool {
				_, _ = io.WriteString(c, tc.reply)
				return true // a client that reused the connection would hang
			})
			ch := openWireChannel(t, srv.URL("/svc"), channel.WithTimeouts(channel.Timeouts{ReceiveResponse: 2 * time.Second}))
			wantConnections(t, ch, srv, 3, 3)
		})
	}
}

// A reply that is not read to its end (an error status whose body is cut
// short by the channel) does not leave its connection in the pool.
func TestWireUnreadBodyIsNotReused(t *testing.T) {
	body := strings.Repeat("<p>error</p>", 20000) // beyond what the channel reads of an HTML page
	var calls atomic.Int32
	srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, _ int) bool {
		if calls.Add(1) == 1 {
			fmt.Fprintf(c, "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			return true
		}
		_, _ = io.WriteString(c, wireAddReply(3))
		return true
	})
	ch := openWireChannel(t, srv.URL("/svc"))
	if _, err := addCall(context.Background(), ch, 1, 2); err == nil {
		t.Fatal("the 500 was taken for a reply")
	}
	if got, err := addCall(context.Background(), ch, 1, 2); err != nil || got != 3 {
		t.Fatalf("second call: %d, %v", got, err)
	}
	if n := srv.Accepts.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the first one's reply was not read to its end)", n)
	}
}

// The httptrace hooks the wire calls, in order, for a first call on a new
// connection and a second on the kept one.
func TestWireTraceHooks(t *testing.T) {
	srv := keepAliveServer(t, func(c *net.TCPConn, _ *http.Request, _ int) bool {
		_, _ = io.WriteString(c, "HTTP/1.1 100 Continue\r\n\r\n"+wireAddReply(3))
		return true
	})
	var (
		mu     sync.Mutex
		events []string
	)
	note := func(e string) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}
	trace := &httptrace.ClientTrace{
		GetConn:      func(string) { note("GetConn") },
		GotConn:      func(i httptrace.GotConnInfo) { note(fmt.Sprintf("GotConn reused=%v", i.Reused)) },
		ConnectStart: func(string, string) { note("ConnectStart") },
		ConnectDone:  func(string, string, error) { note("ConnectDone") },
		WroteHeaderField: func(k string, _ []string) {
			if k == "Host" || k == "Content-Type" {
				note("WroteHeaderField " + k)
			}
		},
		WroteHeaders:         func() { note("WroteHeaders") },
		WroteRequest:         func(i httptrace.WroteRequestInfo) { note(fmt.Sprintf("WroteRequest err=%v", i.Err)) },
		GotFirstResponseByte: func() { note("GotFirstResponseByte") },
		Got1xxResponse:       func(code int, _ textproto.MIMEHeader) error { note(fmt.Sprint("Got1xxResponse ", code)); return nil },
	}
	ch := openWireChannel(t, srv.URL("/svc"), channel.WithTrace(&channel.Trace{HTTP: trace}))
	for i := 0; i < 2; i++ {
		if _, err := addCall(context.Background(), ch, 1, 2); err != nil {
			t.Fatal(err)
		}
	}
	call := func(reused bool, connect ...string) []string {
		e := append([]string{"GetConn"}, connect...)
		return append(e, fmt.Sprintf("GotConn reused=%v", reused), "WroteHeaderField Host", "WroteHeaderField Content-Type",
			"WroteHeaders", "WroteRequest err=<nil>", "GotFirstResponseByte", "Got1xxResponse 100")
	}
	want := append(call(false, "ConnectStart", "ConnectDone"), call(true)...)
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("trace events (-want +got):\n%s", diff)
	}
}
