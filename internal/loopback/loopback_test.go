package loopback_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wsgo/wsgo/internal/loopback"
)

// Requests answers several requests on one connection and counts it once;
// Close ends the handlers.
func TestRequestsKeepAlive(t *testing.T) {
	defer goleak.VerifyNone(t)
	s := loopback.Listen(t, loopback.Requests(func(c *net.TCPConn, req *http.Request, conn, n int) bool {
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n%d/%d", conn, n)
		return true
	}))
	client := &http.Client{}
	for i := 0; i < 3; i++ {
		resp, err := client.Post(s.URL("/x"), "text/plain", strings.NewReader("body"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := fmt.Sprintf("0/%d", i); string(b) != want {
			t.Errorf("response %d = %q, want %q", i, b, want)
		}
	}
	client.CloseIdleConnections()
	s.Close()
	if a, m := s.Accepts.Load(), s.MaxLive.Load(); a != 1 || m != 1 {
		t.Errorf("accepts %d, max live %d; want 1, 1", a, m)
	}
}

// Once answers one request per connection, and a handler waiting on stop
// ends at Close.
func TestOnceAndStop(t *testing.T) {
	defer goleak.VerifyNone(t)
	stalling := make(chan struct{})
	s := loopback.Listen(t, loopback.Once(func(c *net.TCPConn, req *http.Request, stop <-chan struct{}) {
		if req.URL.Path == "/stall" {
			close(stalling)
			<-stop
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 204 No Content\r\n\r\n")
	}))
	c, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%v %v", resp, err)
	}
	stalled, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	fmt.Fprintf(stalled, "GET /stall HTTP/1.1\r\nHost: h\r\n\r\n")
	select {
	case <-stalling:
	case <-time.After(5 * time.Second):
		t.Fatal("the stalling request was not served")
	}
	s.Close() // ends the stalled handler through stop
	if n := s.Live.Load(); n != 0 {
		t.Errorf("%d connections still open after Close", n)
	}
}
