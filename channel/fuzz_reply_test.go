package channel_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/loopback"
	"github.com/wsgo/wsgo/message"
)

// rawReplyServer answers every connection with the bytes most recently
// given to it, as the whole HTTP response, then closes the connection.
type rawReplyServer struct {
	*loopback.Server
	mu    sync.Mutex
	reply []byte
}

func newRawReplyServer(tb testing.TB) *rawReplyServer {
	s := &rawReplyServer{}
	s.Server = loopback.Listen(tb, loopback.Once(func(c *net.TCPConn, _ *http.Request, _ <-chan struct{}) {
		s.mu.Lock()
		reply := s.reply
		s.mu.Unlock()
		_, _ = c.Write(reply)
	}))
	return s
}

// FuzzReply sends a request to a server that answers with arbitrary bytes:
// whatever they are (broken status lines, lying lengths, chunked garbage,
// compressed garbage, HTML, faults, envelopes), Request returns nil or an
// *errors.Error with a code and a message, in bounded time.
func FuzzReply(f *testing.F) {
	env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><AddResponse xmlns="http://example.com/calc"><result>3</result></AddResponse></s:Body></s:Envelope>`
	fault := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>`
	for _, seed := range []string{
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: " + strconv.Itoa(len(env)) + "\r\n\r\n" + env,
		"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/xml\r\nContent-Length: " + strconv.Itoa(len(fault)) + "\r\n\r\n" + fault,
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<s:En\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00",
		"HTTP/1.1 503 Busy\r\nRetry-After: 7\r\nContent-Type: text/html\r\n\r\n<html><title>x</title>",
		"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<short/>",
		"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM, Negotiate\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n",
		"garbage\r\n\r\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	srv := newRawReplyServer(f)
	url := srv.URL("/svc")
	ch, err := channel.New(channel.Request,
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
		channel.WithKeepAlive(false),
		channel.WithTimeouts(channel.Timeouts{Send: time.Second, ReceiveResponse: time.Second, Receive: time.Second}))
	if err != nil {
		f.Fatal(err)
	}
	var mu sync.Mutex // one exchange at a time: the server answers with the current input
	f.Fuzz(func(t *testing.T, reply []byte) {
		mu.Lock()
		defer mu.Unlock()
		srv.mu.Lock()
		srv.reply = reply
		srv.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if ch.State() != channel.Open {
			if ch.State() != channel.Created {
				_ = ch.Close(ctx)
				_ = ch.Reset()
			}
			if err := ch.Open(ctx, url); err != nil {
				t.Fatal(err)
			}
		}
		req, _ := ch.NewMessage()
		rep, _ := ch.NewMessage()
		var out AddResponse
		err := ch.Request(ctx, req, &Add{A: 1, B: 2}, rep, &out)
		if ctx.Err() != nil {
			t.Fatalf("the exchange took longer than its watchdog (err %v)", err)
		}
		if err == nil {
			return
		}
		var e *errors.Error
		if !errors.As(err, &e) || e.Code == errors.OK || err.Error() == "" {
			t.Fatalf("error without a code: %T %v", err, err)
		}
	})
}
