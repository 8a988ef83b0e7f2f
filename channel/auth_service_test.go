package channel_test

import (
	"context"
	"crypto/md5"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
)

// The credentials of the auth tests; the password must never show in an
// error.
const (
	authUser = "alice"
	authPass = "s3cret-Pa55"
)

var aliceCred = security.Credentials{Username: authUser, Password: authPass}

// addHandler is addService's Reply-channel handler, to wrap in guards.
func addHandler() http.Handler {
	return channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = reply.Initialize(message.Reply, req)
		_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
	})
}

// wireLog records the credentials headers of every request a server gets.
type wireLog struct {
	mu    sync.Mutex
	authz []string // Authorization of each request ("" when absent)
	proxy []string // Proxy-Authorization of each request
}

func (w *wireLog) record(r *http.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.authz = append(w.authz, r.Header.Get("Authorization"))
	w.proxy = append(w.proxy, r.Header.Get("Proxy-Authorization"))
}

func (w *wireLog) requests() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.authz)
}

// credentialsSeen returns the non-empty credentials headers recorded.
func (w *wireLog) credentialsSeen() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, l := range [][]string{w.authz, w.proxy} {
		for _, v := range l {
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// basicGuard answers 401 with challenge unless the request carries
// Basic credentials for user and pass.
func basicGuard(log *wireLog, user, pass string, next http.Handler) http.Handler {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		if r.Header.Get("Authorization") != want {
			drainRequest(r)
			w.Header().Set("WWW-Authenticate", `Basic realm="wsgo-test"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func drainRequest(r *http.Request) {
	buf := make([]byte, 4096)
	for {
		if _, err := r.Body.Read(buf); err != nil {
			return
		}
	}
}

// digestVerifier is a test-only RFC 7616 Digest server (MD5, qop=auth),
// for the service (401) or a proxy (407), with nonce counting and one
// stale nonce on request.
type digestVerifier struct {
	realm, user, pass string
	proxy             bool

	mu         sync.Mutex
	nonces     map[string]uint64 // nonce -> last nc
	n          int
	staleOnce  bool // the next valid answer gets stale=true instead
	challenges int
}

func newDigestVerifier(user, pass string, proxy bool) *digestVerifier {
	return &digestVerifier{realm: "digest@wsgo", user: user, pass: pass, proxy: proxy, nonces: map[string]uint64{}}
}

func (d *digestVerifier) challenge(w http.ResponseWriter, stale bool) {
	d.mu.Lock()
	d.n++
	d.challenges++
	nonce := fmt.Sprintf("nonce-%d-%d", d.n, time.Now().UnixNano())
	d.nonces[nonce] = 0
	d.mu.Unlock()
	v := fmt.Sprintf(`Digest realm=%q, qop="auth", nonce=%q, opaque="op", algorithm=MD5`, d.realm, nonce)
	if stale {
		v += ", stale=true"
	}
	hdr, status := "WWW-Authenticate", http.StatusUnauthorized
	if d.proxy {
		hdr, status = "Proxy-Authenticate", http.StatusProxyAuthRequired
	}
	w.Header().Set(hdr, v)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(status)
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// check verifies the credentials header value for method and uri;
// stale reports a valid answer to a nonce the verifier retired.
func (d *digestVerifier) check(value, method, uri string) (ok, stale bool) {
	chs := security.ParseChallenges([]string{value})
	if len(chs) != 1 || chs[0].Scheme != security.Digest {
		return false, false
	}
	p := chs[0].Params
	if p["username"] != d.user || p["realm"] != d.realm || p["uri"] != uri || p["qop"] != "auth" || p["opaque"] != "op" {
		return false, false
	}
	ha1 := md5hex(d.user + ":" + d.realm + ":" + d.pass)
	ha2 := md5hex(method + ":" + uri)
	want := md5hex(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	if p["response"] != want {
		return false, false
	}
	var nc uint64
	if _, err := fmt.Sscanf(p["nc"], "%x", &nc); err != nil {
		return false, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	last, known := d.nonces[p["nonce"]]
	if !known || nc <= last {
		return false, false
	}
	d.nonces[p["nonce"]] = nc
	if d.staleOnce {
		d.staleOnce = false
		delete(d.nonces, p["nonce"])
		return false, true
	}
	return true, false
}

// guard serves next when the request carries a valid answer.
func (d *digestVerifier) guard(log *wireLog, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		v := r.Header.Get("Authorization")
		if v == "" {
			drainRequest(r)
			d.challenge(w, false)
			return
		}
		ok, stale := d.check(v, r.Method, r.URL.RequestURI())
		if !ok {
			drainRequest(r)
			d.challenge(w, stale)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (d *digestVerifier) challengeCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.challenges
}

// tlsServer starts an https server and returns the option trusting it.
func authTLSServer(t *testing.T, h http.Handler) (*httptest.Server, channel.Option) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, channel.WithTLSConfig(&tls.Config{RootCAs: pool})
}

// wantCode checks err's code and that no error text shows the password.
func wantAuthCode(t *testing.T, err error, code errors.Code, contains ...string) *errors.Error {
	t.Helper()
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want *errors.Error with %v", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code %v, want %v: %v", e.Code, code, err)
	}
	if strings.Contains(err.Error(), authPass) || strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("the error shows the password: %v", err)
	}
	for _, s := range contains {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	return e
}

func TestAuthBasicPreemptiveOverHTTPS(t *testing.T) {
	var log wireLog
	srv, trust := authTLSServer(t, basicGuard(&log, authUser, authPass, addHandler()))
	if _, err := call(t, srv.URL, trust, channel.WithServiceAuth(security.Basic, aliceCred)); err != nil {
		t.Fatal(err)
	}
	if log.requests() != 1 {
		t.Errorf("%d requests, want 1: Basic alone goes up front", log.requests())
	}
}

func TestAuthBasicOverPlainHTTP(t *testing.T) {
	var log wireLog
	srv := httptest.NewServer(basicGuard(&log, authUser, authPass, addHandler()))
	defer srv.Close()

	// Basic alone: refused before anything is sent.
	_, err := call(t, srv.URL, channel.WithServiceAuth(security.Basic, aliceCred))
	wantAuthCode(t, err, errors.InvalidArgument, "in the clear", "WithBasicOverHTTP(true)")
	if log.requests() != 0 {
		t.Fatalf("the server got %d requests; nothing may be sent", log.requests())
	}

	// One of several: never picked, and the error says why.
	_, err = call(t, srv.URL, channel.WithServiceAuth(security.Basic|security.Digest, aliceCred))
	wantAuthCode(t, err, errors.ServerRequiresBasicAuth, "plain HTTP", "offered: Basic")
	if seen := log.credentialsSeen(); len(seen) != 0 {
		t.Fatalf("credentials went over plain HTTP: %q", seen)
	}

	// Allowed explicitly.
	if _, err := call(t, srv.URL, channel.WithServiceAuth(security.Basic, aliceCred), channel.WithBasicOverHTTP(true)); err != nil {
		t.Fatal(err)
	}
}

func TestAuthBasicWrongPassword(t *testing.T) {
	var log wireLog
	srv, trust := authTLSServer(t, basicGuard(&log, authUser, "the-right-one", addHandler()))
	_, err := call(t, srv.URL, trust, channel.WithServiceAuth(security.Basic|security.Digest, aliceCred))
	wantAuthCode(t, err, errors.EndpointAccessDenied, authUser)
	if !errors.Is(err, security.ErrRejected) {
		t.Errorf("%v does not wrap ErrRejected", err)
	}
	if n := log.requests(); n != 2 {
		t.Errorf("%d requests, want 2 (probe, answer): no loop", n)
	}
}

func TestAuthDigestKeptAndStale(t *testing.T) {
	var log wireLog
	d := newDigestVerifier(authUser, authPass, false)
	srv := httptest.NewServer(d.guard(&log, addHandler()))
	defer srv.Close()
	ctx := context.Background()
	ch, err := channel.New(channel.Request, channel.WithServiceAuth(security.AnyScheme, aliceCred))
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Open(ctx, srv.URL); err != nil {
		t.Fatal(err)
	}
	defer ch.Close(ctx)
	add := func() error {
		req, _ := ch.NewMessage()
		reply, _ := ch.NewMessage()
		var out AddResponse
		err := ch.Request(ctx, req, &Add{A: 1, B: 2}, reply, &out)
		if err == nil && out.Result != 3 {
			t.Fatalf("result %d", out.Result)
		}
		return err
	}
	if err := add(); err != nil {
		t.Fatal(err)
	}
	if got := d.challengeCount(); got != 1 {
		t.Fatalf("%d challenges for the first request, want 1", got)
	}
	// The kept session answers up front from its nonce.
	for i := 0; i < 3; i++ {
		if err := add(); err != nil {
			t.Fatal(err)
		}
	}
	if got := d.challengeCount(); got != 1 {
		t.Fatalf("%d challenges after 4 requests, want 1: later requests answer up front", got)
	}
	// A retired nonce: stale=true, answered once with the new nonce.
	d.mu.Lock()
	d.staleOnce = true
	d.mu.Unlock()
	if err := add(); err != nil {
		t.Fatal(err)
	}
	if got := d.challengeCount(); got != 2 {
		t.Fatalf("%d challenges, want 2 after one stale nonce", got)
	}
}

func TestAuthDigestWrongPassword(t *testing.T) {
	var log wireLog
	d := newDigestVerifier(authUser, "the-right-one", false)
	srv := httptest.NewServer(d.guard(&log, addHandler()))
	defer srv.Close()
	_, err := call(t, srv.URL, channel.WithServiceAuth(security.Digest, aliceCred))
	wantAuthCode(t, err, errors.EndpointAccessDenied, authUser, "digest@wsgo")
	if n := log.requests(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// schemeServer answers every request 401 with the given challenges.
func schemeServer(t *testing.T, log *wireLog, challenges ...string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		drainRequest(r)
		for _, c := range challenges {
			w.Header().Add("WWW-Authenticate", c)
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAuthSchemeNotAllowed(t *testing.T) {
	cases := []struct {
		offered []string
		allowed security.Scheme
		code    errors.Code
		says    string
	}{
		{[]string{"NTLM"}, security.Basic | security.Digest, errors.ServerRequiresNTLMAuth, "offered: NTLM"},
		{[]string{"Negotiate", "NTLM"}, security.Digest, errors.ServerRequiresNegotiateAuth, "offered: Negotiate, NTLM"},
		{[]string{`Digest realm="r", nonce="n"`}, security.NTLM, errors.ServerRequiresDigestAuth, "offered: Digest"},
		{[]string{`Bearer realm="api"`}, security.AnyScheme, errors.EndpointAccessDenied, "offered: Bearer"},
	}
	for _, c := range cases {
		var log wireLog
		srv := schemeServer(t, &log, c.offered...)
		_, err := call(t, srv.URL, channel.WithServiceAuth(c.allowed, aliceCred))
		wantAuthCode(t, err, c.code, c.says)
		if seen := log.credentialsSeen(); len(seen) != 0 {
			t.Errorf("%v: credentials sent: %q", c.offered, seen)
		}
	}
}

func TestAuthRedirectToOtherOriginGetsNoCredentials(t *testing.T) {
	var otherLog wireLog
	other := schemeServer(t, &otherLog, `Basic realm="other"`)
	var log wireLog
	home := httptest.NewServer(basicGuard(&log, authUser, authPass, http.RedirectHandler(other.URL+"/svc", http.StatusTemporaryRedirect)))
	defer home.Close()
	_, err := call(t, home.URL, channel.WithServiceAuth(security.Basic, aliceCred), channel.WithBasicOverHTTP(true),
		channel.WithRedirects(channel.FollowRedirects))
	wantAuthCode(t, err, errors.ServerRequiresBasicAuth, "redirected to")
	if otherLog.requests() != 1 {
		t.Fatalf("the other origin got %d requests, want 1", otherLog.requests())
	}
	if seen := otherLog.credentialsSeen(); len(seen) != 0 {
		t.Fatalf("credentials followed the redirect: %q", seen)
	}
	if log.requests() != 1 || log.authz[0] == "" {
		t.Fatalf("home origin: %d requests, credentials %q", log.requests(), log.authz)
	}
}

// proxy407 is a forwarding proxy that answers 407 to everything.
func proxy407(t *testing.T, log *wireLog) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		drainRequest(r)
		w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAuthProxyAsksButOnlyServiceCredentials(t *testing.T) {
	var plog wireLog
	p := proxy407(t, &plog)
	_, err := call(t, "http://service.invalid/svc", channel.WithCustomProxy(p.URL),
		channel.WithServiceAuth(security.Digest|security.NTLM, aliceCred))
	wantAuthCode(t, err, errors.ProxyRequiresBasicAuth, "credentials for the service only")
	if seen := plog.credentialsSeen(); len(seen) != 0 {
		t.Fatalf("the proxy saw credentials: %q", seen)
	}
}

// authForwardProxy is a forwarding proxy that requires Digest proxy
// credentials, then relays the request.
func authForwardProxy(t *testing.T, log *wireLog, d *digestVerifier) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		v := r.Header.Get("Proxy-Authorization")
		if ok, stale := d.check(v, r.Method, r.URL.String()); !ok {
			drainRequest(r)
			d.challenge(w, stale)
			return
		}
		out, err := http.NewRequest(r.Method, r.URL.String(), r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.ContentLength = r.ContentLength
		for k, vs := range r.Header {
			if k != "Proxy-Authorization" {
				out.Header[k] = vs
			}
		}
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		buf := make([]byte, 32<<10)
		for {
			n, err := resp.Body.Read(buf)
			w.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAuthProxyDigestThenServiceBasic(t *testing.T) {
	var plog, slog wireLog
	d := newDigestVerifier("pxuser", "pxpass", true)
	p := authForwardProxy(t, &plog, d)
	svc := httptest.NewServer(basicGuard(&slog, authUser, authPass, addHandler()))
	defer svc.Close()
	var legs atomic.Int32
	trace := &channel.Trace{Response: func(*http.Response) { legs.Add(1) }}
	_, err := call(t, svc.URL, channel.WithCustomProxy(p.URL),
		channel.WithProxyAuth(security.Digest|security.Basic, security.Credentials{Username: "pxuser", Password: "pxpass"}),
		channel.WithServiceAuth(security.Basic|security.Digest, aliceCred), channel.WithBasicOverHTTP(true),
		channel.WithTrace(trace))
	if err != nil {
		t.Fatal(err)
	}
	// probe → 407; proxy answer → 401 from the service; both → 200.
	if n := plog.requests(); n != 3 {
		t.Errorf("the proxy got %d requests, want 3", n)
	}
	if n := legs.Load(); n != 3 {
		t.Errorf("Trace.Response fired %d times, want 3 (407, 401, 200)", n)
	}
	for i, v := range slog.proxy {
		if v != "" {
			t.Errorf("request %d reached the service with Proxy-Authorization %q", i, v)
		}
	}
	if slog.authz[len(slog.authz)-1] == "" {
		t.Errorf("the service never got its credentials: %q", slog.authz)
	}
}

func TestAuthProxyWrongPassword(t *testing.T) {
	var plog wireLog
	d := newDigestVerifier("pxuser", "pxpass", true)
	p := authForwardProxy(t, &plog, d)
	_, err := call(t, "http://service.invalid/svc", channel.WithCustomProxy(p.URL),
		channel.WithProxyAuth(security.Digest, security.Credentials{Username: "pxuser", Password: "wrong-password"}))
	wantAuthCode(t, err, errors.ProxyAccessDenied, "pxuser")
	if n := plog.requests(); n != 2 {
		t.Errorf("the proxy got %d requests, want 2", n)
	}
}

func TestAuthOptionValidation(t *testing.T) {
	cases := []struct {
		name string
		opts []channel.Option
		says string
	}{
		{"proxy anonymous alone", []channel.Option{channel.WithCustomProxy("http://127.0.0.1:1"), channel.WithProxyAuth(security.Anonymous, aliceCred)}, "Anonymous alone"},
		{"streamed digest", []channel.Option{channel.WithTransferMode(channel.StreamedOutput), channel.WithServiceAuth(security.Digest|security.Basic, aliceCred)}, "supports only Basic"},
		{"streamed proxy ntlm", []channel.Option{channel.WithTransferMode(channel.Streamed), channel.WithCustomProxy("http://127.0.0.1:1"), channel.WithProxyAuth(security.NTLM, aliceCred)}, "supports only Basic"},
		{"unknown bits", []channel.Option{channel.WithServiceAuth(0x100, aliceCred)}, "unknown scheme"},
		{"proxy auth without proxy", []channel.Option{channel.WithProxy(channel.ProxyNone), channel.WithProxyAuth(security.Basic, aliceCred)}, "no proxy"},
	}
	for _, c := range cases {
		_, err := channel.New(channel.Request, c.opts...)
		wantAuthCode(t, err, errors.InvalidArgument, c.says)
	}
	if _, err := channel.New(channel.Request, channel.WithTransferMode(channel.StreamedOutput), channel.WithServiceAuth(security.Basic, aliceCred)); err != nil {
		t.Errorf("streamed output with Basic: %v", err)
	}
}

func TestAuthStreamedBasic(t *testing.T) {
	var log wireLog
	srv, trust := authTLSServer(t, basicGuard(&log, authUser, authPass, addHandler()))
	if _, err := call(t, srv.URL, trust, channel.WithTransferMode(channel.Streamed), channel.WithServiceAuth(security.Basic, aliceCred)); err != nil {
		t.Fatal(err)
	}
}
