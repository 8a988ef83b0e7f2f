package security_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/security"
)

// tlsServer starts an HTTPS server on loopback presenting leaf, answering
// with the CN of the client certificate it got ("-" without one). setup
// may change the server's tls.Config.
func tlsServer(t *testing.T, leaf *testcert.Leaf, setup func(*tls.Config)) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cn := "-"
		if pc := r.TLS.PeerCertificates; len(pc) > 0 {
			cn = pc[0].Subject.CommonName
		}
		io.WriteString(w, cn)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}}
	if setup != nil {
		setup(srv.TLS)
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// get makes one HTTPS request to srv with a client configured by cfg for
// host, and returns the body.
func get(t *testing.T, srv *httptest.Server, cfg security.TLS, host string) (string, error) {
	t.Helper()
	c, err := cfg.ClientConfig(host)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{TLSClientConfig: c, ForceAttemptHTTP2: false}
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // watchdog
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}

// Real handshakes on loopback, each certificate class failing and ignored
// on its own, and a certificate failing two classes.
func TestHandshakeCertificateClasses(t *testing.T) {
	now := time.Now()
	root := testcert.NewRoot(t, testcert.Options{CommonName: "handshake root"})
	unknown := testcert.NewRoot(t, testcert.Options{CommonName: "handshake unknown CA"})
	rows := []struct {
		name   string
		leaf   *testcert.Leaf
		ignore security.CertFailure
		code   errors.Code
	}{
		{"valid", root.Leaf(t, testcert.Options{}), 0, errors.OK},
		{"expired", root.Leaf(t, testcert.Options{NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-time.Hour)}), 0, errors.CertExpired},
		{"not yet valid", root.Leaf(t, testcert.Options{NotBefore: now.Add(time.Hour), NotAfter: now.Add(72 * time.Hour)}), 0, errors.CertExpired},
		{"wrong host", root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"}}), 0, errors.CertCNNoMatch},
		{"CN only, no SAN", root.Leaf(t, testcert.Options{NoSANs: true}), 0, errors.CertCNNoMatch},
		{"unknown CA", unknown.Leaf(t, testcert.Options{}), 0, errors.CertUntrustedRoot},
		{"client auth only", root.Leaf(t, testcert.Options{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}), 0, errors.CertWrongUsage},
		{"RSA, valid", root.Leaf(t, testcert.Options{CommonName: "handshake rsa", Key: testcert.RSA2048}), 0, errors.OK},
	}
	ignoreOf := map[errors.Code]security.CertFailure{
		errors.CertExpired: security.CertInvalidDate, errors.CertCNNoMatch: security.CertCNMismatch,
		errors.CertUntrustedRoot: security.CertUntrustedRoot, errors.CertWrongUsage: security.CertWrongUsage,
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			srv := tlsServer(t, r.leaf, nil)
			body, err := get(t, srv, security.TLS{RootCAs: root.Pool()}, "localhost")
			if r.code == errors.OK {
				if err != nil || body != "-" {
					t.Fatalf("%q, %v", body, err)
				}
				return
			}
			if errors.CodeOf(err) != r.code {
				t.Fatalf("code %v, want %v: %v", errors.CodeOf(err), r.code, err)
			}
			var ce *security.CertError
			if !errors.As(err, &ce) {
				t.Fatalf("no *security.CertError in %v", err)
			}
			// The class ignored on its own: accepted.
			if body, err := get(t, srv, security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: ignoreOf[r.code]}, "localhost"); err != nil || body != "-" {
				t.Errorf("with %v ignored: %q, %v", ignoreOf[r.code], body, err)
			}
		})
	}

	t.Run("expired for another host", func(t *testing.T) {
		srv := tlsServer(t, root.Leaf(t, testcert.Options{DNSNames: []string{"elsewhere.example"},
			NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-time.Hour)}), nil)
		for _, c := range []struct {
			ignore security.CertFailure
			code   errors.Code
		}{
			{0, errors.CertExpired},
			{security.CertInvalidDate, errors.CertCNNoMatch},
			{security.CertCNMismatch, errors.CertExpired},
			{security.CertInvalidDate | security.CertCNMismatch, errors.OK},
		} {
			_, err := get(t, srv, security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: c.ignore}, "localhost")
			if errors.CodeOf(err) != c.code {
				t.Errorf("ignoring %v: code %v, want %v: %v", c.ignore, errors.CodeOf(err), c.code, err)
			}
		}
	})

	t.Run("ServerName", func(t *testing.T) {
		srv := tlsServer(t, root.Leaf(t, testcert.Options{DNSNames: []string{"svc.internal"}}), nil)
		if _, err := get(t, srv, security.TLS{RootCAs: root.Pool(), ServerName: "svc.internal"}, "127.0.0.1"); err != nil {
			t.Errorf("ServerName svc.internal: %v", err)
		}
		if _, err := get(t, srv, security.TLS{RootCAs: root.Pool()}, "127.0.0.1"); errors.CodeOf(err) != errors.CertCNNoMatch {
			t.Errorf("no ServerName: %v, want CertCNNoMatch", err)
		}
	})
}

func TestHandshakeMutualTLS(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "mtls root"})
	clientCA := testcert.NewRoot(t, testcert.Options{CommonName: "mtls client CA"})
	serverLeaf := root.Leaf(t, testcert.Options{})
	clientLeaf := clientCA.Leaf(t, testcert.Options{CommonName: "mtls client", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	certFile, keyFile := clientLeaf.WriteFiles(t)
	clientCert, err := security.LoadClientCertificate(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	stranger := root.Leaf(t, testcert.Options{CommonName: "mtls stranger", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		name := map[uint16]string{tls.VersionTLS12: "TLS 1.2", tls.VersionTLS13: "TLS 1.3"}[v]
		t.Run(name, func(t *testing.T) {
			srv := tlsServer(t, serverLeaf, func(c *tls.Config) {
				c.ClientAuth = tls.RequireAndVerifyClientCert
				c.ClientCAs = clientCA.Pool()
				c.MaxVersion = v
			})
			pin := func(c security.TLS) security.TLS { c.MinVersion = v; return c }
			body, err := get(t, srv, pin(security.TLS{RootCAs: root.Pool(), Certificates: []tls.Certificate{clientCert}}), "localhost")
			if err != nil || body != "mtls client" {
				t.Fatalf("with the client certificate: %q, %v", body, err)
			}
			// Without a certificate the server refuses with an alert:
			// "certificate required" in TLS 1.3, "handshake failure" in
			// 1.2.
			_, err = get(t, srv, pin(security.TLS{RootCAs: root.Pool()}), "localhost")
			if err == nil || !strings.Contains(err.Error(), "tls: ") || !isRemoteAlert(err) {
				t.Errorf("without a client certificate: %v, want the server's alert", err)
			}
			t.Logf("without a client certificate: %v", err)
			// A certificate from a CA the server does not trust.
			_, err = get(t, srv, pin(security.TLS{RootCAs: root.Pool(), Certificates: []tls.Certificate{stranger.TLSCertificate()}}), "localhost")
			if err == nil || !isRemoteAlert(err) {
				t.Errorf("with an untrusted client certificate: %v, want the server's alert", err)
			}
		})
	}
}

// isRemoteAlert reports an alert the peer sent (crypto/tls returns it as
// a net.OpError "remote error").
func isRemoteAlert(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error"
}

func TestHandshakeMinVersion(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "version root"})
	leaf := root.Leaf(t, testcert.Options{})
	tls12 := tlsServer(t, leaf, func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 })
	_, err := get(t, tls12, security.TLS{RootCAs: root.Pool(), MinVersion: tls.VersionTLS13}, "localhost")
	if err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("TLS 1.3 client, TLS 1.2 server: %v, want a protocol version failure", err)
	}
	if _, err := get(t, tls12, security.TLS{RootCAs: root.Pool()}, "localhost"); err != nil {
		t.Errorf("default minimum against TLS 1.2: %v", err)
	}
	// The default minimum is TLS 1.2: a TLS 1.1 server is refused.
	tls11 := tlsServer(t, leaf, func(c *tls.Config) { c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS11 })
	if _, err := get(t, tls11, security.TLS{RootCAs: root.Pool()}, "localhost"); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("default client, TLS 1.1 server: %v, want a protocol version failure", err)
	}
}
