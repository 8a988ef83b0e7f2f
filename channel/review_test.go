package channel_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
)

// Review tests: each guards a defect an adversarial review found (it
// failed before the fix), unless its comment says it covers behaviour that
// was untested.

const reviewAction = "http://example.com/calc/Add"

// reviewFault11 is a SOAP 1.1 fault envelope whose faultstring is n bytes.
func reviewFault11(n int) string {
	return `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>` +
		`<faultcode>s:Server</faultcode><faultstring>` + strings.Repeat("x", n) +
		`</faultstring></s:Fault></s:Body></s:Envelope>`
}

// short clips an error's text for the test log.
func short(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// Fixed in review (regression test): a SOAP fault sent with an error status is read from at most 64 KiB
// (errorBodyLimit) whatever MaxBufferedMessageSize says, so a fault of
// 100 KiB (a WCF fault with exception detail) in an HTTP 500 is reported
// as EndpointFailure "no SOAP fault" although the channel accepts 1 MiB
// replies and the same fault in a 200 is EndpointFaultReceived. doc.go:
// "any status with a SOAP fault body → EndpointFaultReceived".
func TestReviewLargeFaultInErrorStatus(t *testing.T) {
	fault := reviewFault11(100 << 10)
	for _, status := range []int{http.StatusOK, http.StatusInternalServerError} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/xml; charset=utf-8")
				w.WriteHeader(status)
				_, _ = io.WriteString(w, fault)
			}))
			defer srv.Close()
			ch := openSOAP11Channel(t, srv.URL, channel.WithMaxBufferedMessageSize(1<<20))
			err := callAdd(context.Background(), ch, reviewAction, 1, 2)
			if c := errors.CodeOf(err); c != errors.EndpointFaultReceived {
				t.Fatalf("HTTP %d with a 100 KiB fault, MaxBufferedMessageSize 1 MiB: want EndpointFaultReceived, got %v: %s", status, c, short(err))
			}
		})
	}
}

// Fixed in review (regression test): the converse: with MaxBufferedMessageSize below 64 KiB, a fault
// larger than the quota gets through when it comes with an error status
// (a 2xx one is refused with QuotaExceeded).
func TestReviewErrorStatusFaultBypassesQuota(t *testing.T) {
	fault := reviewFault11(20 << 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, fault)
	}))
	defer srv.Close()
	ch := openSOAP11Channel(t, srv.URL, channel.WithMaxBufferedMessageSize(4096))
	err := callAdd(context.Background(), ch, reviewAction, 1, 2)
	if c := errors.CodeOf(err); c != errors.QuotaExceeded {
		t.Fatalf("HTTP 500 with a 20 KiB fault, MaxBufferedMessageSize 4 KiB: want QuotaExceeded, got %v: %s", c, short(err))
	}
}

// stalledClient connects to url and sends a SOAP 1.1 POST whose body
// stops after a few bytes of the announced length; close ends it.
func stalledClient(t *testing.T, url string) (close func()) {
	t.Helper()
	host := strings.TrimPrefix(url, "http://")
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	_, err = fmt.Fprintf(c, "POST /svc HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"%s\"\r\nContent-Length: 1000\r\n\r\n<s:Envelope", host, reviewAction)
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return func() { c.Close() }
}

// Fixed in review (regression test): Receive on a Reply channel ignores its context: the body read is
// bounded only by the Receive timeout's read deadline (reply.go: begin's
// context is discarded, serverBody only looks at ctx after a read fails).
// A client that stalls mid-body holds Receive(ctx) long after ctx ended.
func TestReviewReceiveHonoursContext(t *testing.T) {
	got := make(chan error, 1)
	h := channel.NewHandler(func(_ context.Context, ch *channel.Channel) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		msg, _ := ch.NewMessage()
		got <- ch.Receive(ctx, msg, nil)
		ch.Abort()
	}, channel.WithTimeouts(channel.Timeouts{Receive: time.Minute}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	stop := stalledClient(t, srv.URL)
	defer stop()
	select {
	case err := <-got:
		if c := errors.CodeOf(err); c != errors.OperationTimedOut {
			t.Fatalf("want OperationTimedOut from the context's deadline, got %v: %s", c, short(err))
		}
	case <-time.After(10 * time.Second):
		stop() // let the blocked Receive end
		t.Fatalf("watchdog: Receive(ctx) still blocked 10 s after its 100 ms context deadline")
	}
}

// Fixed in review (regression test): Close on a Reply channel whose Receive is blocked on a stalled
// client does not return when its ctx ends: Close's abort path cancels the
// exchange contexts (unused on the server side) but not the connection's
// read deadline (srv.abort), then waits for the exchange to end.
func TestReviewReplyCloseHonoursContext(t *testing.T) {
	closed := make(chan error, 1)
	h := channel.NewHandler(func(_ context.Context, ch *channel.Channel) {
		msg, _ := ch.NewMessage()
		recv := make(chan struct{})
		go func() {
			defer close(recv)
			_ = ch.Receive(context.Background(), msg, nil)
		}()
		time.Sleep(50 * time.Millisecond) // let Receive block on the body
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		closed <- ch.Close(ctx)
		<-recv
	}, channel.WithTimeouts(channel.Timeouts{Receive: time.Minute, Close: time.Minute}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	stop := stalledClient(t, srv.URL)
	defer stop()
	select {
	case err := <-closed:
		if c := errors.CodeOf(err); c != errors.OperationTimedOut {
			t.Fatalf("want OperationTimedOut, got %v: %s", c, short(err))
		}
	case <-time.After(10 * time.Second):
		stop()
		t.Fatalf("watchdog: Close(ctx) still blocked 10 s after its 100 ms context deadline")
	}
}

// Fixed in review (regression test): a reply over the quota makes SendReply fail with QuotaExceeded and
// reply.go says "nothing was written: the caller may still send a fault",
// but sendReply's end(...) faults the channel, so SendFault then fails
// with ObjectFaulted, and Close answers the client 202 Accepted: a
// request/reply call whose reply could not be sent looks like a one-way
// success to the client.
func TestReviewOversizedReplyAnswered202(t *testing.T) {
	type result struct{ reply, fault error }
	got := make(chan result, 1)
	h := channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		var r result
		defer func() { got <- r }()
		req, _ := ch.NewMessage()
		var in calc.Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			r.reply = err
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		r.reply = ch.SendReply(ctx, reply, &calc.Echo{Text: strings.Repeat("x", 100<<10)}, req)
		freply, _ := ch.NewReplyMessage(req)
		r.fault = ch.SendFault(ctx, freply, message.NewFault(message.SOAP11, message.FaultReceiver, "reply too large"), req)
	})
	srv := httptest.NewServer(h)
	defer srv.Close()

	body := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Add xmlns="http://example.com/calc"><a>1</a><b>2</b></Add></s:Body></s:Envelope>`
	hreq, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
	hreq.Header.Set("Content-Type", "text/xml; charset=utf-8")
	hreq.Header.Set("SOAPAction", `"`+reviewAction+`"`)
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	r := <-got
	if c := errors.CodeOf(r.reply); c != errors.QuotaExceeded {
		t.Fatalf("SendReply of a 100 KiB reply: want QuotaExceeded, got %v: %s", c, short(r.reply))
	}
	if r.fault != nil {
		t.Errorf("SendFault after the failed SendReply (which wrote nothing): want success, got %s", short(r.fault))
	}
	if resp.StatusCode == http.StatusAccepted || resp.StatusCode < 300 {
		t.Errorf("client got HTTP %d for a request whose reply could not be sent; want a fault (500)", resp.StatusCode)
	}
}

// Fixed in review (regression test): with a redirect policy, credentials set as headers follow an
// https → http redirect to another port of the same host name in clear
// text (net/http copies Authorization when the host name matches, port
// and scheme ignored). options.go promises "Credentials and cookies are
// never carried to another host"; WinHTTP refuses HTTPS → HTTP redirects
// by default.
func TestReviewRedirectDowngradeCarriesAuthorization(t *testing.T) {
	var leaked atomic.Value
	leaked.Store("")
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = io.WriteString(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><AddResponse xmlns="http://example.com/calc"><result>3</result></AddResponse></s:Body></s:Envelope>`)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/svc", http.StatusTemporaryRedirect)
	}))
	defer secure.Close()
	tlsConf := secure.Client().Transport.(*http.Transport).TLSClientConfig
	ch := openSOAP11Channel(t, secure.URL+"/svc",
		channel.WithTLSConfig(tlsConf.Clone()),
		channel.WithRedirects(channel.FollowRedirects),
		channel.WithHTTPHeader("Authorization", "Basic dXNlcjpzZWNyZXQ="))
	_ = callAdd(context.Background(), ch, reviewAction, 1, 2)
	if v := leaked.Load().(string); v != "" {
		t.Fatalf("the Authorization header reached the plain-http server after an https redirect: %q", v)
	}
}

// BUG (quota): response headers are bounded only by net/http's default
// MaxResponseHeaderBytes (10 MiB), and all of them are copied into the
// reply's mapped headers: a reply with 2 MiB of HTTP headers is accepted
// by a channel whose MaxBufferedMessageSize is 64 KiB.
func TestReviewHugeResponseHeadersAccepted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		v := strings.Repeat("y", 8<<10)
		for i := 0; i < 256; i++ {
			w.Header().Add(fmt.Sprintf("X-Pad-%d", i), v)
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = io.WriteString(w, `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><AddResponse xmlns="http://example.com/calc"><result>3</result></AddResponse></s:Body></s:Envelope>`)
	}))
	defer srv.Close()
	ch := openSOAP11Channel(t, srv.URL)
	err := callAdd(context.Background(), ch, reviewAction, 1, 2)
	if c := errors.CodeOf(err); c != errors.QuotaExceeded {
		t.Fatalf("reply with 2 MiB of HTTP headers, MaxBufferedMessageSize 64 KiB: want QuotaExceeded, got %v: %s", c, short(err))
	}
}
