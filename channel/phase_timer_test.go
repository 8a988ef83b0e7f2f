package channel_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
)

// TestLaterPhaseOutlivesEarlierTimeout checks the phase timer when a
// phase's deadline lies beyond the timer's firing (the timer is then left
// alone and sets itself again when it fires): a reply that comes after the
// Send limit but within ReceiveResponse succeeds, and a server that never
// answers ends with the ReceiveResponse timeout, not the Send one.
func TestLaterPhaseOutlivesEarlierTimeout(t *testing.T) {
	slow := func(c *net.TCPConn, _ *http.Request, stop <-chan struct{}) {
		select {
		case <-time.After(250 * time.Millisecond):
		case <-stop:
			return
		}
		if writeHead(c, "200 OK", "Content-Type", "text/xml", "Content-Length", strconv.Itoa(len(soap11AddReply))) == nil {
			_, _ = c.Write([]byte(soap11AddReply))
		}
	}
	opts := channel.WithTimeouts(channel.Timeouts{Send: 50 * time.Millisecond, ReceiveResponse: 1500 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	ch := openSOAP11Channel(t, newRawServer(t, slow).URL("/svc"), opts)
	for i := 0; i < 3; i++ {
		wantCode(t, callAdd(ctx, ch, actionAdd, 1, 2), errors.OK)
	}

	ch = openSOAP11Channel(t, newRawServer(t, stallBeforeHeaders).URL("/svc"), opts)
	start := time.Now()
	err := callAdd(ctx, ch, actionAdd, 1, 2)
	wantCode(t, err, errors.OperationTimedOut)
	if !strings.Contains(err.Error(), "ReceiveResponse timeout") {
		t.Fatalf("want the ReceiveResponse timeout, got %v", err)
	}
	if d := time.Since(start); d < 1500*time.Millisecond {
		t.Fatalf("the exchange ended after %v, before the ReceiveResponse limit", d)
	}
}
