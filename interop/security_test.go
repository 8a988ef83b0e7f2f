package interop_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
	"github.com/wsgo/wsgo/service"
)

// The security interop tests put third-party web servers and proxies
// (apache, lighttpd, squid, tinyproxy, MIT Kerberos; internal/peers) between
// wsgo's client and a wsgo calc host, and check each scheme with the right
// password, a wrong one, and a channel that does not allow the scheme the
// peer demands: each must end in its exact code.

// backend is a wsgo calc host on loopback, plain HTTP or TLS.
type backend struct {
	URL   string // base URL ending in "/"
	roots *security.TLS
}

// startBackend serves the calc host over plain HTTP on 127.0.0.1.
func startBackend(t *testing.T) *backend {
	t.Helper()
	ts := httptest.NewServer(hostFor(t))
	t.Cleanup(ts.Close)
	return &backend{URL: ts.URL + "/"}
}

// startTLSBackend serves the calc host over TLS with a certificate for
// localhost from a test CA, and returns the TLS settings that trust it.
func startTLSBackend(t *testing.T) *backend {
	t.Helper()
	ca := testcert.NewRoot(t, testcert.Options{CommonName: "wsgo interop backend CA"})
	leaf := ca.Leaf(t, testcert.Options{})
	ts := httptest.NewUnstartedServer(hostFor(t))
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}}
	ts.StartTLS()
	t.Cleanup(ts.Close)
	u := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	return &backend{URL: u + "/", roots: &security.TLS{RootCAs: ca.Pool()}}
}

// hostFor returns a calc host shut down at the end of the test.
func hostFor(t *testing.T) http.Handler {
	h := newCalcHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP11)))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		_ = h.Shutdown(ctx)
	})
	return h
}

// callAdd calls Add(2, 3) on url through a new SOAP 1.1 client with opts,
// and checks the answer when the call succeeds.
func callAdd(t *testing.T, url string, opts ...channel.Option) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	opts = append([]channel.Option{
		channel.WithEnvelope(message.SOAP11),
		channel.WithAddressing(message.AddressingTransport),
		channel.WithProxy(channel.ProxyNone),
	}, opts...)
	client, err := service.NewClient(ctx, url, opts...)
	if err != nil {
		return err
	}
	defer func() {
		if err := client.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	out, err := service.Call[calc.AddResponse](ctx, client, actionAdd, &calc.Add{A: 2, B: 3})
	if err == nil && out.Result != 5 {
		t.Errorf("Add(2, 3) = %d, want 5", out.Result)
	}
	return err
}

// wantCode fails the test unless err has code want (0: no error).
func wantCode(t *testing.T, err error, want errors.Code) {
	t.Helper()
	switch {
	case want == 0 && err != nil:
		t.Fatalf("call failed: %v (code %v)", err, errors.CodeOf(err))
	case want != 0 && err == nil:
		t.Fatalf("call succeeded, want code %v", want)
	case want != 0 && errors.CodeOf(err) != want:
		t.Fatalf("code %v, want %v: %v", errors.CodeOf(err), want, err)
	}
	if err != nil && strings.Contains(err.Error(), peers.Password) {
		t.Errorf("the error shows the password: %v", err)
	}
}

var (
	goodUser  = security.Credentials{Username: peers.User, Password: peers.Password}
	wrongUser = security.Credentials{Username: peers.User, Password: peers.WrongPassword}
)

// authCase is one call through an authenticating peer.
type authCase struct {
	name string
	path string
	opts []channel.Option
	want errors.Code
}

func runAuthCases(t *testing.T, base string, cases []authCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, callAdd(t, base+c.path, c.opts...), c.want)
		})
	}
}

// TestServiceAuthApache covers Basic, Digest MD5, NTLM (gss-ntlmssp, a
// real NTLMv2 password check) and Negotiate (mod_auth_gssapi with a real
// MIT KDC) in front of the calc host.
func TestServiceAuthApache(t *testing.T) {
	be := startBackend(t)
	kdc := peers.StartKDC(t)
	t.Setenv("KRB5_CONFIG", kdc.ConfigPath)
	ap := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL, KDC: kdc})
	krbPassword := security.Credentials{Username: kdc.Principal, Password: peers.Password,
		Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath}}
	krbWrong := krbPassword
	krbWrong.Password = peers.WrongPassword
	krbKeytab := security.Credentials{Username: kdc.Principal,
		Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath, Keytab: kdc.UserKeytab(t)}}
	krbCCache := security.Credentials{
		Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath, CCache: kdc.Kinit(t)}}
	ntlmUser := security.Credentials{Username: peers.Domain + `\` + peers.User, Password: peers.Password}
	ntlmWrong := ntlmUser
	ntlmWrong.Password = peers.WrongPassword
	overHTTP := channel.WithBasicOverHTTP(true)

	runAuthCases(t, ap.URL, []authCase{
		{"open", "/open/", nil, 0},
		{"no credentials", "/basic/", nil, errors.ServerRequiresBasicAuth},
		{"basic", "/basic/", []channel.Option{channel.WithServiceAuth(security.Basic, goodUser), overHTTP}, 0},
		{"basic/wrong password", "/basic/", []channel.Option{channel.WithServiceAuth(security.Basic, wrongUser), overHTTP}, errors.EndpointAccessDenied},
		{"basic/not allowed", "/basic/", []channel.Option{channel.WithServiceAuth(security.Digest|security.NTLM, goodUser)}, errors.ServerRequiresBasicAuth},
		{"basic/plain http refused", "/basic/", []channel.Option{channel.WithServiceAuth(security.Basic, goodUser)}, errors.InvalidArgument},
		{"digest", "/digest/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, 0},
		{"digest/auto", "/digest/", []channel.Option{channel.WithServiceAuth(security.AnyScheme, goodUser)}, 0},
		{"digest/wrong password", "/digest/", []channel.Option{channel.WithServiceAuth(security.Digest, wrongUser)}, errors.EndpointAccessDenied},
		{"digest/not allowed", "/digest/", []channel.Option{channel.WithServiceAuth(security.NTLM, goodUser)}, errors.ServerRequiresDigestAuth},
		{"ntlm", "/ntlm/", []channel.Option{channel.WithServiceAuth(security.NTLM, ntlmUser)}, 0},
		{"ntlm/no domain", "/ntlm/", []channel.Option{channel.WithServiceAuth(security.NTLM, goodUser)}, 0},
		{"ntlm/wrong password", "/ntlm/", []channel.Option{channel.WithServiceAuth(security.NTLM, ntlmWrong)}, errors.EndpointAccessDenied},
		{"ntlm/not allowed", "/ntlm/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, errors.ServerRequiresNegotiateAuth},
		{"negotiate/password", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.Negotiate, krbPassword)}, 0},
		{"negotiate/keytab", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.Negotiate, krbKeytab)}, 0},
		{"negotiate/ccache", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.Negotiate, krbCCache)}, 0},
		{"negotiate/auto", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.AnyScheme, krbPassword)}, 0},
		{"negotiate/wrong password", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.Negotiate, krbWrong)}, errors.EndpointAccessDenied},
		{"negotiate/not allowed", "/negotiate/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, errors.ServerRequiresNegotiateAuth},
	})
}

// TestServiceAuthLighttpd covers Digest SHA-256 (RFC 7616), which apache
// 2.4 does not implement, against lighttpd.
func TestServiceAuthLighttpd(t *testing.T) {
	be := startBackend(t)
	lt := peers.StartLighttpd(t, peers.LighttpdOptions{Backend: strings.TrimSuffix(be.URL, "/")})
	runAuthCases(t, lt.URL, []authCase{
		{"digest-sha256", "/digest-sha256/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, 0},
		{"digest-sha256/wrong password", "/digest-sha256/", []channel.Option{channel.WithServiceAuth(security.Digest, wrongUser)}, errors.EndpointAccessDenied},
		{"digest-sha256/not allowed", "/digest-sha256/", []channel.Option{channel.WithServiceAuth(security.NTLM, goodUser)}, errors.ServerRequiresDigestAuth},
		{"digest-md5", "/digest-md5/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, 0},
		{"digest-multi", "/digest-multi/", []channel.Option{channel.WithServiceAuth(security.Digest, goodUser)}, 0},
		{"basic", "/basic/", []channel.Option{channel.WithServiceAuth(security.Basic, goodUser), channel.WithBasicOverHTTP(true)}, 0},
	})
}
