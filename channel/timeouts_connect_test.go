//go:build linux

package channel_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
)

// fullBacklog returns the address of a loopback listening socket that
// never accepts and whose accept queue is full: Linux then drops further
// SYNs, so a connect to it hangs until the client gives up. It is how a
// Connect timeout happens without leaving loopback.
func fullBacklog(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(sa.(*syscall.SockaddrInet4).Port))
	// Fill the queue: connects succeed until it is full, then one hangs.
	for i := 0; i < 16; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return addr
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("the kernel kept accepting connections into a queue of backlog 0; cannot make a connect hang here")
	return ""
}

// TestConnectTimeout: a service whose host drops the SYN ends the exchange
// by the Connect timeout, with OperationTimedOut naming the phase; no
// connection was made, so the channel stays Open.
func TestConnectTimeout(t *testing.T) {
	addr := fullBacklog(t)
	ch := openSOAP11Channel(t, "http://"+addr+"/svc", channel.WithTimeouts(channel.Timeouts{Connect: 300 * time.Millisecond}))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // watchdog
	defer cancel()
	start := time.Now()
	err := callAdd(ctx, ch, actionAdd, 1, 2)
	if ctx.Err() != nil {
		t.Fatal("watchdog: the exchange did not end")
	}
	wantCode(t, err, errors.OperationTimedOut)
	if !strings.Contains(err.Error(), "connect timed out") || !strings.Contains(err.Error(), "Timeouts.Connect") {
		t.Errorf("error does not name the Connect timeout: %v", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("ended after %v, before the Connect timeout of 300ms", d)
	}
	if st := ch.State(); st != channel.Open {
		t.Errorf("state %v, want Open: nothing was sent", st)
	}
}
