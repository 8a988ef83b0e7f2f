package channel_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
)

// secureAddService is an HTTPS Add service on loopback presenting leaf;
// setup may change its tls.Config. The returned counter holds the CN of
// the last client certificate the server saw.
func secureAddService(t *testing.T, leaf *testcert.Leaf, setup func(*tls.Config)) (*httptest.Server, *atomic.Value) {
	t.Helper()
	var clientCN atomic.Value
	clientCN.Store("")
	h := channel.NewHandler(func(ctx context.Context, ch *channel.Channel) {
		req, _ := ch.NewMessage()
		var in Add
		if err := ch.Receive(ctx, req, &in); err != nil {
			return
		}
		reply, _ := ch.NewReplyMessage(req)
		_ = reply.Initialize(message.Reply, req)
		_ = ch.SendReply(ctx, reply, &AddResponse{Result: in.A + in.B}, req)
	})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if pc := r.TLS.PeerCertificates; len(pc) > 0 {
			clientCN.Store(pc[0].Subject.CommonName)
		}
		h.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}}
	if setup != nil {
		setup(srv.TLS)
	}
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &clientCN
}

// Each certificate class through the channel: its own code, a message that
// says how to ignore it, and the class ignored on its own accepted.
func TestTLSCertificateClasses(t *testing.T) {
	now := time.Now()
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls root"})
	unknown := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls unknown CA"})
	rows := []struct {
		name   string
		leaf   *testcert.Leaf
		code   errors.Code
		ignore security.CertFailure
		says   string
	}{
		{"valid", root.Leaf(t, testcert.Options{}), errors.OK, 0, ""},
		{"expired", root.Leaf(t, testcert.Options{NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-time.Hour)}),
			errors.CertExpired, security.CertInvalidDate, "-ignore-cert expired"},
		{"not yet valid", root.Leaf(t, testcert.Options{NotBefore: now.Add(time.Hour), NotAfter: now.Add(72 * time.Hour)}),
			errors.CertExpired, security.CertInvalidDate, "not valid before"},
		{"wrong host", root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"}}),
			errors.CertCNNoMatch, security.CertCNMismatch, "elsewhere.example"},
		{"unknown CA", unknown.Leaf(t, testcert.Options{}),
			errors.CertUntrustedRoot, security.CertUntrustedRoot, "-ignore-cert untrusted-root"},
		{"self-signed", testcert.SelfSigned(t, testcert.Options{CommonName: "channel tls self-signed"}),
			errors.CertUntrustedRoot, security.CertUntrustedRoot, "RootCAs"},
		{"client auth only", root.Leaf(t, testcert.Options{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}),
			errors.CertWrongUsage, security.CertWrongUsage, "clientAuth"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			srv, _ := secureAddService(t, r.leaf, nil)
			_, err := call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
			wantCode(t, err, r.code)
			if r.code == errors.OK {
				return
			}
			t.Logf("%v: %v", errors.CodeOf(err), err)
			if !strings.Contains(err.Error(), r.says) {
				t.Errorf("message does not say %q: %v", r.says, err)
			}
			var ce *security.CertError
			if !errors.As(err, &ce) || ce.Host != "127.0.0.1" {
				t.Errorf("no *security.CertError for 127.0.0.1 in %v", err)
			}
			_, err = call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: r.ignore}))
			wantCode(t, err, errors.OK)
		})
	}
}

// A certificate failing two classes: ignoring one fails with the other.
func TestTLSTwoFailures(t *testing.T) {
	now := time.Now()
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls root"})
	srv, _ := secureAddService(t, root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"},
		NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-time.Hour)}), nil)
	for _, c := range []struct {
		ignore security.CertFailure
		code   errors.Code
	}{
		{0, errors.CertExpired},
		{security.CertInvalidDate, errors.CertCNNoMatch},
		{security.CertCNMismatch, errors.CertExpired},
		{security.CertUntrustedRoot | security.CertWrongUsage | security.CertRevocationOffline, errors.CertExpired},
		{security.CertInvalidDate | security.CertCNMismatch, errors.OK},
	} {
		_, err := call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: c.ignore}))
		if errors.CodeOf(err) != c.code {
			t.Errorf("ignoring %v: code %v, want %v: %v", c.ignore, errors.CodeOf(err), c.code, err)
		}
	}
}

func TestTLSServerName(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls root"})
	srv, _ := secureAddService(t, root.Leaf(t, testcert.Options{DNSNames: []string{"svc.internal"}}), nil)
	_, err := call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), ServerName: "svc.internal"}))
	wantCode(t, err, errors.OK)
	// A host name in the address is checked against the certificate.
	local, _ := secureAddService(t, root.Leaf(t, testcert.Options{DNSNames: []string{"localhost"}}), nil)
	_, err = call(t, strings.Replace(local.URL, "127.0.0.1", "localhost", 1), channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
	wantCode(t, err, errors.OK)
	_, err = call(t, local.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
	wantCode(t, err, errors.CertCNNoMatch)
}

func TestTLSMutual(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel mtls root"})
	clientCA := testcert.NewRoot(t, testcert.Options{CommonName: "channel mtls client CA"})
	client := clientCA.Leaf(t, testcert.Options{CommonName: "channel mtls client", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	certFile, keyFile := client.WriteFiles(t)
	clientCert, err := security.LoadClientCertificate(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	serverLeaf := root.Leaf(t, testcert.Options{})
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(map[uint16]string{tls.VersionTLS12: "TLS 1.2", tls.VersionTLS13: "TLS 1.3"}[v], func(t *testing.T) {
			srv, seen := secureAddService(t, serverLeaf, func(c *tls.Config) {
				c.ClientAuth = tls.RequireAndVerifyClientCert
				c.ClientCAs = clientCA.Pool()
				c.MaxVersion = v
			})
			_, err := call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), Certificates: []tls.Certificate{clientCert}}))
			wantCode(t, err, errors.OK)
			if cn := seen.Load(); cn != "channel mtls client" {
				t.Errorf("the server saw client certificate %q", cn)
			}
			_, err = call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
			wantCode(t, err, errors.SecurityVerificationFailure)
			if !strings.Contains(err.Error(), "client certificate") {
				t.Errorf("without a client certificate: %v", err)
			}
			t.Logf("%v: %v", errors.CodeOf(err), err)
		})
	}
}

func TestTLSMinVersion(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls root"})
	srv, _ := secureAddService(t, root.Leaf(t, testcert.Options{}), func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 })
	_, err := call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), MinVersion: tls.VersionTLS13}))
	// The server's alert comes back as a net.OpError "remote error" (not
	// tls.AlertError, which is QUIC's): still a TLS failure, not Other.
	if errors.CodeOf(err) != errors.SecurityVerificationFailure || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("TLS 1.3 minimum against a TLS 1.2 server: %v (code %v), want SecurityVerificationFailure naming the protocol version alert", err, errors.CodeOf(err))
	}
	_, err = call(t, srv.URL, channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
	wantCode(t, err, errors.OK)
}

// WithTLSConfig and WithTransportSecurity together: the transport
// security's fields win where set, the rest comes from the tls.Config, and
// its certificate check always runs.
func TestTLSWithTLSConfig(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls root"})
	unknown := testcert.NewRoot(t, testcert.Options{CommonName: "channel tls unknown CA"})
	wrongHost, _ := secureAddService(t, root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"}}), nil)
	stranger, _ := secureAddService(t, unknown.Leaf(t, testcert.Options{}), nil)

	// Roots from the tls.Config, the CN class ignored by the transport
	// security.
	_, err := call(t, wrongHost.URL, channel.WithTLSConfig(&tls.Config{RootCAs: root.Pool()}),
		channel.WithTransportSecurity(security.TLS{IgnoreCertFailures: security.CertCNMismatch}))
	wantCode(t, err, errors.OK)
	// The tls.Config's InsecureSkipVerify does not switch the check off.
	_, err = call(t, stranger.URL, channel.WithTLSConfig(&tls.Config{InsecureSkipVerify: true}),
		channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool()}))
	wantCode(t, err, errors.CertUntrustedRoot)
	// The tls.Config's own VerifyConnection runs after the check.
	var ran atomic.Bool
	_, err = call(t, wrongHost.URL, channel.WithTLSConfig(&tls.Config{VerifyConnection: func(tls.ConnectionState) error {
		ran.Store(true)
		return nil
	}}), channel.WithTransportSecurity(security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: security.CertCNMismatch}))
	wantCode(t, err, errors.OK)
	if !ran.Load() {
		t.Error("the tls.Config's VerifyConnection did not run")
	}
}
