package channel_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/message"
)

// Tests of review_perf: defects of commit 3348087 ("channel: cheaper
// exchange bookkeeping ..."). Each test fails on that commit.

// perfSeenServer answers every POST with the Add reply and records, per
// request, the request's path and the X-Seen header it carried.
type perfSeenServer struct {
	srv *httptest.Server

	mu    sync.Mutex
	paths []string
	seen  []string
}

func newPerfSeenServer(t *testing.T) *perfSeenServer {
	t.Helper()
	s := &perfSeenServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.paths = append(s.paths, r.URL.Path)
		s.seen = append(s.seen, r.Header.Get("X-Seen"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(soap11AddReply)))
		_, _ = io.WriteString(w, soap11AddReply)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *perfSeenServer) requests() (paths, seen []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...), append([]string(nil), s.seen...)
}

// TestReviewPerf_ResponseHookSharedRequest: a Trace with a Response hook
// (and no Request hook) still counts as "only net/http's transport sees
// the request" (sharesRequest checks Trace.Request only), so the
// *http.Request the Response hook gets as resp.Request carries the
// channel's shared per-action header map and the channel's own parsed
// address (c.address) as its URL. Anything the hook does to them — tag the
// request it saw, rewrite the URL for a log — lands in every later request
// of the channel (and races with the transports of concurrent exchanges
// reading the same map): before 3348087 each exchange had its own header
// and URL copy. Fix: sharesRequest must also refuse when Trace.Response is
// set (or hand the hook a request with a copied Header and URL).
func TestReviewPerf_ResponseHookSharedRequest(t *testing.T) {
	s := newPerfSeenServer(t)
	tr := &channel.Trace{Response: func(resp *http.Response) {
		// A hook that marks the request it has seen the answer of, and
		// a log that rewrites the URL it prints.
		resp.Request.Header.Set("X-Seen", "yes")
		resp.Request.URL.Path = "/rewritten-by-a-hook"
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ch := openSOAP11Channel(t, s.srv.URL+"/svc", channel.WithTrace(tr))
	for i := 0; i < 2; i++ {
		if err := callAdd(ctx, ch, actionAdd, 1, 2); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	paths, seen := s.requests()
	if len(paths) != 2 {
		t.Fatalf("the server got %d requests, want 2", len(paths))
	}
	if paths[1] != "/svc" || seen[1] != "" {
		t.Fatalf("the second request went to %q with X-Seen %q: the Response hook's changes to the first "+
			"request leaked into the channel's shared header and address (want /svc, no X-Seen)", paths[1], seen[1])
	}
}

// reviewPerfChild names the child process of
// TestReviewPerf_H2ResetCrashesServer.
const reviewPerfChild = "WSGO_REVIEW_PERF_H2_CHILD"

// TestReviewPerf_H2ResetCrashesServer (pre-existing since 027a0be, found
// while checking 3348087's pooled reply writer, which is itself safe:
// net/http's HTTP/1 writer copies synchronously and its HTTP/2 server
// encodes DATA frames in the serve goroutine, go.dev/issue/58446).
// sendReply (and Receive) arm context.AfterFunc(ctx, SetWriteDeadline(now))
// and only call the stop function on return; stop does not wait for an f
// that already started. Over HTTP/2, a client that resets the stream while
// the reply is being written cancels r.Context(): f starts on its own
// goroutine, the blocked Write fails with "stream closed", the handler
// returns and net/http clears the response writer (handlerDone), and f then
// calls ResponseController.SetWriteDeadline on it: a data race, and a nil
// pointer panic on a goroutine nobody recovers, which takes the whole
// server process down (any wsgo service on an https http.Server, where
// HTTP/2 is on by default). The scenario runs in a child process so that
// the crash fails this test instead of the package's test binary.
// Fix: make the AfterFunc callback and the return of Receive/sendReply
// exclusive — e.g. f takes a mutex and checks a "returned" flag that the
// caller sets under the same mutex after stop() returns false (or wait for
// f: a done channel f closes, awaited when stop() reports it already ran).
func TestReviewPerf_H2ResetCrashesServer(t *testing.T) {
	if os.Getenv(reviewPerfChild) == "1" {
		reviewPerfH2Resets(t)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestReviewPerf_H2ResetCrashesServer$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), reviewPerfChild+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		s := string(out)
		if i := strings.Index(s, "WARNING: DATA RACE"); i >= 0 {
			s = s[i:]
		} else if i := strings.Index(s, "panic:"); i >= 0 {
			s = s[i:]
		}
		if len(s) > 3000 {
			s = s[:3000]
		}
		t.Fatalf("the HTTP/2 server process failed (%v) after clients reset streams during SendReply:\n%s", err, s)
	}
}

// reviewPerfH2Resets serves replies larger than the client's HTTP/2 stream
// window, so that SendReply blocks in Write, and resets each stream once
// the response headers arrive.
func reviewPerfH2Resets(t *testing.T) {
	big := strings.Repeat("x", 5<<20) // over the client's 4 MiB stream window
	srv := httptest.NewUnstartedServer(channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		if ch.Receive(ctx, req, nil) != nil {
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = reply.Initialize(message.Reply, req)
		_ = ch.SendReply(ctx, reply, &reviewPerfBig{Data: big}, req)
	}, channel.WithMaxBufferedMessageSize(16<<20)))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	cl := srv.Client()
	const env = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
		`<Add xmlns="http://example.com/calc"><a>1</a><b>2</b></Add></s:Body></s:Envelope>`
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; i < 100 && time.Now().Before(deadline); i++ {
		ctx, cancel := context.WithCancel(context.Background())
		r, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(env))
		r.Header.Set("Content-Type", "text/xml; charset=utf-8")
		resp, err := cl.Do(r)
		if err != nil {
			cancel()
			t.Fatalf("request %d: %v", i, err)
		}
		if resp.ProtoMajor != 2 {
			cancel()
			t.Fatalf("the test server speaks %s, want HTTP/2", resp.Proto)
		}
		cancel() // RST_STREAM while the server is blocked writing the reply
		resp.Body.Close()
	}
	// Let late callbacks run before the process exits.
	time.Sleep(200 * time.Millisecond)
}

type reviewPerfBig struct {
	XMLName struct{} `xml:"http://example.com/calc Big"`
	Data    string   `xml:"data"`
}
