package channel_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security/wssec"
	"github.com/wsgo/wsgo/service"
)

// The WS-Security interface checks: the wssec values are what the
// channel hooks expect.
var (
	_ channel.MessageSecurity    = (*wssec.Client)(nil)
	_ channel.MessageSecurity    = (*wssec.Server)(nil)
	_ channel.HeaderUnderstander = (*wssec.Server)(nil)
	_ channel.SecurityFaulter    = (*wssec.Failure)(nil)
)

// wssecPKI is a CA with a signing certificate for the client and one for
// the server, and a self-signed certificate nobody trusts.
type wssecPKI struct {
	root                *testcert.Authority
	client, server, bad *testcert.Leaf
}

func newWSSecPKI(t testing.TB) *wssecPKI {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "wssec channel test root", Key: testcert.RSA2048})
	leaf := func(cn string) *testcert.Leaf {
		return root.Leaf(t, testcert.Options{CommonName: cn, Key: testcert.RSA2048, NoExtKeyUsage: true, NoSANs: true})
	}
	return &wssecPKI{
		root:   root,
		client: leaf("wssec channel client"),
		server: leaf("wssec channel server"),
		bad:    testcert.SelfSigned(t, testcert.Options{CommonName: "wssec channel rogue", Key: testcert.RSA2048, NoExtKeyUsage: true, NoSANs: true}),
	}
}

func mustSecurer(t testing.TB, cfg wssec.Config) *wssec.Securer {
	t.Helper()
	s, err := wssec.NewSecurer(cfg)
	if err != nil {
		t.Fatalf("NewSecurer: %v", err)
	}
	return s
}

func mustVerifier(t testing.TB, p wssec.Policy) *wssec.Verifier {
	t.Helper()
	v, err := wssec.NewVerifier(p)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

// clientConfig signs with the client certificate and sends alice's
// digest UsernameToken.
func (p *wssecPKI) clientConfig() wssec.Config {
	return wssec.Config{
		Username: "alice", Password: "secret", PasswordDigest: true,
		Signer: p.client.Key, Certificates: []*x509.Certificate{p.client.Cert},
	}
}

// serverPolicy requires a signed, timestamped request with alice's
// UsernameToken.
func (p *wssecPKI) serverPolicy() wssec.Policy {
	return wssec.Policy{
		RequireUsernameToken: true, RequireSignature: true, RequirePasswordDigest: true,
		Password: func(_ context.Context, user string) (string, error) {
			if user != "alice" {
				return "", errors.Errorf(errors.SecurityVerificationFailure, "no such user")
			}
			return "secret", nil
		},
		Roots: p.root.Pool(),
	}
}

// securedCalc is a loopback calc server whose Reply channels verify
// requests (and sign replies with the server certificate); it counts the
// requests its handler saw and keeps the last one's security result.
type securedCalc struct {
	srv     *httptest.Server
	handled atomic.Int32
	mu      sync.Mutex
	result  *wssec.Result
	notUnd  []xml.Name
}

func newSecuredCalc(t *testing.T, sec channel.MessageSecurity) *securedCalc {
	sc := &securedCalc{}
	h := channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in calc.Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return // Close answers with the fault
		}
		sc.handled.Add(1)
		sc.mu.Lock()
		sc.result, _ = channel.SecurityResult(req).(*wssec.Result)
		sc.notUnd = req.NotUnderstood()
		sc.mu.Unlock()
		reply, _ := ch.NewReplyMessage(req)
		_ = reply.Initialize(message.Reply, req)
		_ = reply.SetAction("http://example.com/calc/AddResponse")
		if err := ch.SendReply(ctx, reply, &calc.AddResponse{Result: in.A + in.B}, req); err != nil {
			t.Errorf("SendReply: %v", err)
		}
	}, channel.WithMessageSecurity(sec))
	sc.srv = httptest.NewServer(h)
	t.Cleanup(sc.srv.Close)
	return sc
}

// add calls Add(2, 3) on a new client channel with sec and returns the
// reply message, the error and the HTTP status.
func (sc *securedCalc) add(t *testing.T, env message.EnvelopeVersion, sec channel.MessageSecurity, opts ...channel.Option) (*message.Message, *channel.Channel, int, error) {
	t.Helper()
	var status int
	opts = append([]channel.Option{channel.WithEnvelope(env), channel.WithMessageSecurity(sec),
		channel.WithTrace(&channel.Trace{Response: func(r *http.Response) { status = r.StatusCode }})}, opts...)
	ch, err := channel.New(channel.Request, opts...)
	if err != nil {
		t.Fatalf("channel.New: %v", err)
	}
	ctx := context.Background()
	if err := ch.Open(ctx, sc.srv.URL+"/calc"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ch.Close(ctx) })
	req, _ := ch.NewMessage()
	_ = req.Initialize(message.Request, nil)
	_ = req.SetAction("http://example.com/calc/Add")
	reply, _ := ch.NewMessage()
	var out calc.AddResponse
	err = ch.Request(ctx, req, &calc.Add{A: 2, B: 3}, reply, &out)
	if err == nil && out.Result != 5 {
		t.Errorf("Add(2, 3) = %d", out.Result)
	}
	return reply, ch, status, err
}

func TestMessageSecurityRoundTrip(t *testing.T) {
	p := newWSSecPKI(t)
	server := &wssec.Server{
		Requests:      mustVerifier(t, p.serverPolicy()),
		SecureReplies: mustSecurer(t, wssec.Config{Signer: p.server.Key, Certificates: []*x509.Certificate{p.server.Cert}}),
	}
	sc := newSecuredCalc(t, server)
	client := &wssec.Client{
		Requests:      mustSecurer(t, p.clientConfig()),
		VerifyReplies: mustVerifier(t, wssec.Policy{RequireSignature: true, Roots: p.root.Pool()}),
	}
	for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
		t.Run(env.String(), func(t *testing.T) {
			reply, ch, _, err := sc.add(t, env, client)
			if err != nil {
				t.Fatalf("Request: %v", err)
			}
			sc.mu.Lock()
			res, notUnd := sc.result, sc.notUnd
			sc.mu.Unlock()
			if res == nil || res.Username != "alice" || res.Certificate == nil || res.Certificate.Subject.CommonName != "wssec channel client" {
				t.Errorf("the handler's security result = %+v", res)
			}
			if len(notUnd) != 0 {
				t.Errorf("headers not understood in the verified request: %v", notUnd)
			}
			got, _ := channel.SecurityResult(reply).(*wssec.Result)
			if got == nil || got.Certificate == nil || got.Certificate.Subject.CommonName != "wssec channel server" {
				t.Errorf("the reply's security result = %+v", got)
			}
			if len(reply.NotUnderstood()) != 0 {
				t.Errorf("reply headers not understood: %v", reply.NotUnderstood())
			}
			if ch.State() != channel.Open {
				t.Errorf("state %v", ch.State())
			}
		})
	}
	if n := sc.handled.Load(); n != 2 {
		t.Errorf("handler ran %d times, want 2", n)
	}
}

// tampering wraps a client's message security and changes the secured
// request before it is sent.
type tampering struct {
	channel.MessageSecurity
	tamper func(env []byte) []byte
}

func (tp *tampering) Secure(ctx context.Context, env []byte) ([]byte, error) {
	out, err := tp.MessageSecurity.Secure(ctx, env)
	if err != nil {
		return nil, err
	}
	return tp.tamper(out), nil
}

func editXML(t *testing.T, env []byte, fn func(doc *etree.Document)) []byte {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(env); err != nil {
		t.Fatalf("parse: %v", err)
	}
	fn(doc)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMessageSecurityTamperingOnTheWire: each tampered or wrong request is
// refused before the handler sees it, with the WSS fault on the wire
// (SOAP 1.1 faultcode wsse:…, SOAP 1.2 Sender/wsse:…) and its HTTP status;
// the client channel stays Open.
func TestMessageSecurityTamperingOnTheWire(t *testing.T) {
	p := newWSSecPKI(t)
	sc := newSecuredCalc(t, &wssec.Server{Requests: mustVerifier(t, p.serverPolicy())})
	good := p.clientConfig()
	at := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(d) } }

	stale, future, rogue, wrongPW, noUser := good, good, good, good, good
	stale.Now = at(-11 * time.Minute)
	future.Now = at(6 * time.Minute)
	rogue.Signer, rogue.Certificates = p.bad.Key, []*x509.Certificate{p.bad.Cert}
	wrongPW.Password = "guess"
	noUser.Username, noUser.Password = "", ""

	var replayed []byte
	tests := []struct {
		name   string
		cfg    wssec.Config
		tamper func(t *testing.T, env []byte) []byte
		twice  bool
		sub    xml.Name
	}{
		{name: "changed body", cfg: good, tamper: func(_ *testing.T, env []byte) []byte {
			return bytes.Replace(env, []byte(">2<"), []byte(">9<"), 1)
		}, sub: wssec.FailedCheck},
		{name: "stale timestamp", cfg: stale, sub: wssec.MessageExpired},
		{name: "future timestamp", cfg: future, sub: wssec.InvalidSecurity},
		{name: "replayed nonce", cfg: good, twice: true, tamper: func(_ *testing.T, env []byte) []byte {
			if replayed == nil {
				replayed = env
			}
			return replayed
		}, sub: wssec.InvalidSecurity},
		{name: "untrusted certificate", cfg: rogue, sub: wssec.InvalidSecurityToken},
		{name: "signature wrapping", cfg: good, tamper: func(t *testing.T, env []byte) []byte {
			return editXML(t, env, func(doc *etree.Document) {
				root := doc.Root()
				body := root.SelectElement(root.Space + ":Body")
				header := root.SelectElement(root.Space + ":Header")
				root.RemoveChild(body)
				w := header.CreateElement("x:Wrapper")
				w.CreateAttr("xmlns:x", "urn:attack")
				w.AddChild(body)
				evil := root.CreateElement(body.FullTag())
				add := body.ChildElements()[0].Copy()
				add.ChildElements()[0].SetText("40")
				evil.AddChild(add)
			})
		}, sub: wssec.InvalidSecurity},
		{name: "wrong password", cfg: wrongPW, sub: wssec.FailedAuthentication},
		{name: "missing UsernameToken", cfg: noUser, sub: wssec.InvalidSecurity},
	}
	for _, env := range []message.EnvelopeVersion{message.SOAP11, message.SOAP12} {
		for _, tt := range tests {
			t.Run(env.String()+"/"+tt.name, func(t *testing.T) {
				replayed = nil
				var sec channel.MessageSecurity = &wssec.Client{Requests: mustSecurer(t, tt.cfg)}
				if tt.tamper != nil {
					sec = &tampering{MessageSecurity: sec, tamper: func(b []byte) []byte { return tt.tamper(t, b) }}
				}
				before := sc.handled.Load()
				if tt.twice {
					if _, _, _, err := sc.add(t, env, sec); err != nil {
						t.Fatalf("first request: %v", err)
					}
					before++
				}
				_, ch, status, err := sc.add(t, env, sec)
				if sc.handled.Load() != before {
					t.Errorf("the handler saw the refused request")
				}
				var e *errors.Error
				if !errors.As(err, &e) || e.Code != errors.EndpointFaultReceived || e.Fault == nil {
					t.Fatalf("error %v, want a fault", err)
				}
				f := e.Fault
				wantStatus := http.StatusInternalServerError
				if env == message.SOAP11 {
					if f.Code.Value != tt.sub || f.Code.Subcode != nil {
						t.Errorf("faultcode %v, want %v", f.Code.Value, tt.sub)
					}
				} else {
					wantStatus = http.StatusBadRequest
					if f.Code.Value.Local != "Sender" || f.Code.Subcode == nil || f.Code.Subcode.Value != tt.sub {
						t.Errorf("fault code %+v, want Sender/%v", f.Code, tt.sub)
					}
				}
				if status != wantStatus {
					t.Errorf("HTTP status %d, want %d", status, wantStatus)
				}
				if strings.Contains(f.Reason(), "alice") || strings.Contains(f.Reason(), "guess") {
					t.Errorf("the fault reason leaks details: %q", f.Reason())
				}
				if ch.State() != channel.Open {
					t.Errorf("client state %v", ch.State())
				}
			})
		}
	}
}

// TestMessageSecurityRepliesVerified: a client that verifies replies
// refuses an unsigned one and one signed by an untrusted certificate
// with SecurityVerificationFailure, without faulting the channel.
func TestMessageSecurityRepliesVerified(t *testing.T) {
	p := newWSSecPKI(t)
	policy := p.serverPolicy()
	servers := map[string]*wssec.Server{
		"unsigned": {Requests: mustVerifier(t, policy)},
		"untrusted": {Requests: mustVerifier(t, policy),
			SecureReplies: mustSecurer(t, wssec.Config{Signer: p.bad.Key, Certificates: []*x509.Certificate{p.bad.Cert}})},
	}
	for name, server := range servers {
		t.Run(name, func(t *testing.T) {
			sc := newSecuredCalc(t, server)
			client := &wssec.Client{
				Requests:      mustSecurer(t, p.clientConfig()),
				VerifyReplies: mustVerifier(t, wssec.Policy{RequireSignature: true, Roots: p.root.Pool()}),
			}
			reply, ch, _, err := sc.add(t, message.SOAP12, client)
			if errors.CodeOf(err) != errors.SecurityVerificationFailure {
				t.Fatalf("error %v, want SecurityVerificationFailure", err)
			}
			if wssec.Fault(err, message.SOAP12) == nil {
				t.Errorf("the error carries no WSS failure: %v", err)
			}
			if channel.SecurityResult(reply) != nil {
				t.Errorf("a refused reply has a security result")
			}
			if ch.State() != channel.Open {
				t.Errorf("state %v after a refused reply", ch.State())
			}
		})
	}
}

// TestMessageSecuritySecuredSizeQuota: MaxBufferedMessageSize bounds the
// secured envelope, not only the one written.
func TestMessageSecuritySecuredSizeQuota(t *testing.T) {
	p := newWSSecPKI(t)
	sc := newSecuredCalc(t, &wssec.Server{Requests: mustVerifier(t, p.serverPolicy())})
	_, _, _, err := sc.add(t, message.SOAP12, &wssec.Client{Requests: mustSecurer(t, p.clientConfig())},
		channel.WithMaxBufferedMessageSize(2048))
	var e *errors.Error
	if !errors.As(err, &e) || e.Code != errors.QuotaExceeded || e.Quota != "MaxBufferedMessageSize" || !strings.Contains(err.Error(), "secured") {
		t.Fatalf("error %v, want QuotaExceeded on the secured envelope", err)
	}
	if sc.handled.Load() != 0 {
		t.Error("the oversized request reached the handler")
	}
}

func TestMessageSecurityRefusesStreaming(t *testing.T) {
	sec := &wssec.Client{}
	for _, m := range []channel.TransferMode{channel.StreamedInput, channel.StreamedOutput, channel.Streamed} {
		_, err := channel.New(channel.Request, channel.WithMessageSecurity(sec), channel.WithTransferMode(m))
		if errors.CodeOf(err) != errors.InvalidArgument {
			t.Errorf("New with %v: %v, want InvalidArgument", m, err)
		}
	}
}

// TestMessageSecurityHost: a service.Host with message security runs its
// operation for a verified request (the mustUnderstand wsse:Security header
// understood) and the operation reaches the result through its request
// message; an unverified one gets the WSS fault.
func TestMessageSecurityHost(t *testing.T) {
	p := newWSSecPKI(t)
	var user atomic.Value
	h := service.NewHost(service.WithChannelOptions(channel.WithMessageSecurity(&wssec.Server{Requests: mustVerifier(t, p.serverPolicy())})))
	service.Handle(h, "http://example.com/calc/Add", func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		if res, ok := channel.SecurityResult(service.RequestMessage(ctx)).(*wssec.Result); ok {
			user.Store(res.Username)
		}
		return &calc.AddResponse{Result: in.A + in.B}, nil
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	call := func(cfg wssec.Config) error {
		c, err := service.NewClient(ctx, srv.URL, channel.WithMessageSecurity(&wssec.Client{Requests: mustSecurer(t, cfg)}))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close(ctx)
		out, err := service.Call[calc.AddResponse](ctx, c, "http://example.com/calc/Add", &calc.Add{A: 20, B: 22})
		if err == nil && out.Result != 42 {
			t.Errorf("result %d", out.Result)
		}
		return err
	}
	if err := call(p.clientConfig()); err != nil {
		t.Fatalf("verified call: %v", err)
	}
	if u, _ := user.Load().(string); u != "alice" {
		t.Errorf("the operation saw user %q", u)
	}
	bad := p.clientConfig()
	bad.Password = "nope"
	err := call(bad)
	var e *errors.Error
	if !errors.As(err, &e) || e.Fault == nil || e.Fault.Code.Subcode == nil || e.Fault.Code.Subcode.Value != wssec.FailedAuthentication {
		t.Fatalf("wrong password: %v, want a wsse:FailedAuthentication fault", err)
	}
}
