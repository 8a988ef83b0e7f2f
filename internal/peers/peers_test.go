package peers_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsgo/wsgo/internal/peers"
)

// The raw requests every calc peer must answer, so the harness is checked
// without wsgo in the loop.
const (
	add11 = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
		`<c:Add xmlns:c="http://example.com/calc"><c:a>2</c:a><c:b>3</c:b></c:Add></s:Body></s:Envelope>`
	fault12 = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` +
		`<c:Echo xmlns:c="http://example.com/calc"><c:text>fault</c:text></c:Echo></s:Body></s:Envelope>`
)

func post(t *testing.T, url, contentType, soapAction, body string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if soapAction != "" {
		req.Header.Set("SOAPAction", soapAction)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read reply from %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

func TestServersAnswerRawSOAP(t *testing.T) {
	for _, start := range []func(testing.TB) *peers.Server{peers.StartNodeSOAP, peers.StartSpyne} {
		srv := start(t)
		t.Run(srv.Name, func(t *testing.T) {
			status, body := post(t, srv.URL11, "text/xml; charset=utf-8", `"http://example.com/calc/Add"`, add11)
			if status != http.StatusOK || !strings.Contains(body, ">5</") || !strings.Contains(body, "AddResponse") {
				t.Errorf("SOAP 1.1 Add(2,3): HTTP %d %s, want 200 with AddResponse/result 5", status, body)
			}
			status, body = post(t, srv.URL12, `application/soap+xml; charset=utf-8; action="http://example.com/calc/Echo"`, "", fault12)
			for _, want := range []string{"http://www.w3.org/2003/05/soap-envelope", "Sender", "CalcFault", ">42</", "Echo was asked to fail"} {
				if !strings.Contains(body, want) {
					t.Errorf("SOAP 1.2 Echo(fault): HTTP %d %s, missing %q", status, body, want)
				}
			}
			if status != http.StatusInternalServerError {
				t.Errorf("SOAP 1.2 Echo(fault): HTTP %d, want 500", status)
			}
		})
	}
}

func TestServerStoppedAtCleanup(t *testing.T) {
	var addr string
	t.Run("start", func(t *testing.T) {
		srv := peers.StartNodeSOAP(t)
		u, err := url.Parse(srv.URL11)
		if err != nil {
			t.Fatal(err)
		}
		addr = u.Host
	})
	if addr == "" {
		t.Skip("node-soap did not start")
	}
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err == nil {
		conn.Close()
		t.Fatalf("%s still accepts connections after the test that started node-soap ended", addr)
	}
}

func TestRunZeepAgainstNodeSOAP(t *testing.T) {
	srv := peers.StartNodeSOAP(t)
	for _, opts := range []peers.ZeepOptions{{}, {SOAP12: true, Addressing: true}} {
		t.Run(fmt.Sprintf("soap12=%v", opts.SOAP12), func(t *testing.T) {
			url := srv.URL11
			if opts.SOAP12 {
				url = srv.URL12
			}
			calls := peers.RunZeep(t, peers.CalcWSDLAt(t, srv.URL11, srv.URL12), url, opts)
			if len(calls) != 3 {
				t.Fatalf("zeep reported %d calls, want 3: %+v", len(calls), calls)
			}
			if c := calls[0]; c.Op != "Add" || c.Result == nil || *c.Result != 5 {
				t.Errorf("Add(2,3) = %+v, want result 5", c)
			}
			if c := calls[1]; c.Op != "Echo" || c.Text == nil || *c.Text != "hi" {
				t.Errorf("Echo(hi) = %+v, want text hi", c)
			}
			f := calls[2].Fault
			if f == nil || f.Detail == nil || f.Detail.Code != 42 || f.Message != "echo fault requested" {
				t.Errorf("Echo(fault) = %+v (fault %+v), want the CalcFault 42", calls[2], f)
			}
		})
	}
}

func TestCalcWSDLAt(t *testing.T) {
	path := peers.CalcWSDLAt(t, "http://127.0.0.1:1/a?x=1&y=2", "http://127.0.0.1:2/b")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		`<soap:address location="http://127.0.0.1:1/a?x=1&amp;y=2"/>`,
		`<soap12:address location="http://127.0.0.1:2/b"/>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("rewritten WSDL lacks %s", want)
		}
	}
	if strings.Contains(text, "localhost:8080") {
		t.Errorf("rewritten WSDL still has the original address")
	}
	if filepath.Dir(path) == filepath.Dir(peers.CalcWSDL(t)) {
		t.Errorf("CalcWSDLAt wrote into the repository: %s", path)
	}
}

// recorder is a testing.TB that records how a harness call ended the test.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	ended  string // "fatal" or "skip"
	reason string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.end("fatal", format, args...) }

func (r *recorder) Skipf(format string, args ...any) { r.end("skip", format, args...) }

func (r *recorder) end(how, format string, args ...any) {
	r.mu.Lock()
	r.ended, r.reason = how, fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

// run calls fn with r in a goroutine of its own, as the testing package runs
// a test, so Fatalf and Skipf can end it with runtime.Goexit.
func (r *recorder) run(fn func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
}

func TestMissingPeerSkipsOrFails(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want string
	}{
		{"", "skip"},
		{"require", "fatal"},
	} {
		t.Run("WSGO_PEERS="+tc.env, func(t *testing.T) {
			t.Setenv("WSGO_PEERS", tc.env)
			empty := t.TempDir()
			t.Setenv("WSGO_PEERS_DIR", empty)
			if got := peers.Required(); got != (tc.env == "require") {
				t.Errorf("Required() = %v with WSGO_PEERS=%q", got, tc.env)
			}
			r := &recorder{TB: t}
			r.run(func(tb testing.TB) { peers.StartNodeSOAP(tb) })
			if r.ended != tc.want {
				t.Fatalf("StartNodeSOAP without node-soap ended the test with %q (%s), want %q", r.ended, r.reason, tc.want)
			}
			for _, want := range []string{"node-soap", empty, "scripts/peers.sh install"} {
				if !strings.Contains(r.reason, want) {
					t.Errorf("reason %q does not mention %q", r.reason, want)
				}
			}
		})
	}
}
