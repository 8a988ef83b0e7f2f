package interop_test

import (
	"crypto/tls"
	"crypto/x509"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/security"
)

// proxyCase is one call through an authenticating proxy, to the plain
// backend (the proxy forwards the request) and to the TLS backend (through
// a CONNECT tunnel wsgo opens and authenticates itself).
type proxyCase struct {
	name    string
	schemes security.Scheme
	cred    security.Credentials
	want    errors.Code
}

func runProxyCases(t *testing.T, proxy *peers.Proxy, cases []proxyCase) {
	t.Helper()
	plain := startBackend(t)
	tlsBE := startTLSBackend(t)
	for _, c := range cases {
		for _, be := range []*backend{plain, tlsBE} {
			name := c.name + "/http"
			if be.roots != nil {
				name = c.name + "/https-connect"
			}
			t.Run(name, func(t *testing.T) {
				opts := []channel.Option{channel.WithCustomProxy(proxy.URL)}
				if c.schemes != 0 {
					opts = append(opts, channel.WithProxyAuth(c.schemes, c.cred))
				}
				if be.roots != nil {
					opts = append(opts, channel.WithTransportSecurity(*be.roots))
				}
				wantCode(t, callAdd(t, be.URL, opts...), c.want)
			})
		}
	}
}

// TestProxyAuthSquid covers proxy Basic, Digest, NTLM and Negotiate with
// squid 5, for requests squid forwards and for CONNECT tunnels.
func TestProxyAuthSquid(t *testing.T) {
	t.Run("basic", func(t *testing.T) {
		p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"basic"}})
		runProxyCases(t, p, []proxyCase{
			{"ok", security.Basic, goodUser, 0},
			{"no credentials", 0, security.Credentials{}, errors.ProxyRequiresBasicAuth},
			{"wrong password", security.Basic, wrongUser, errors.ProxyAccessDenied},
			{"not allowed", security.Digest, goodUser, errors.ProxyRequiresBasicAuth},
		})
	})
	t.Run("digest", func(t *testing.T) {
		p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"digest"}})
		runProxyCases(t, p, []proxyCase{
			{"ok", security.Digest, goodUser, 0},
			{"wrong password", security.Digest, wrongUser, errors.ProxyAccessDenied},
			{"not allowed", security.Basic, goodUser, errors.ProxyRequiresDigestAuth},
		})
	})
	t.Run("ntlm", func(t *testing.T) {
		// squid's ntlm_fake_auth runs the real handshake but accepts any
		// password, so there is no wrong-password case here (apache's
		// /ntlm/ has one).
		p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"ntlm"}})
		runProxyCases(t, p, []proxyCase{
			{"ok", security.NTLM, goodUser, 0},
			{"not allowed", security.Basic | security.Digest, goodUser, errors.ProxyRequiresNTLMAuth},
		})
	})
	t.Run("negotiate", func(t *testing.T) {
		kdc := peers.StartKDC(t)
		p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"negotiate"}, KDC: kdc})
		krb := security.Credentials{Username: kdc.Principal, Password: peers.Password,
			Kerberos: &security.Kerberos{ConfigPath: kdc.ConfigPath}}
		krbWrong := krb
		krbWrong.Password = peers.WrongPassword
		runProxyCases(t, p, []proxyCase{
			{"ok", security.Negotiate, krb, 0},
			{"wrong password", security.Negotiate, krbWrong, errors.ProxyAccessDenied},
			{"not allowed", security.NTLM | security.Digest | security.Basic, goodUser, errors.ProxyRequiresNegotiateAuth},
		})
	})
	t.Run("strongest of several", func(t *testing.T) {
		// squid offers NTLM, Digest and Basic; a channel allowing Digest
		// and Basic must pick Digest, and one allowing all, NTLM.
		p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"ntlm", "digest", "basic"}})
		runProxyCases(t, p, []proxyCase{
			{"digest or basic", security.Digest | security.Basic, goodUser, 0},
			{"any", security.AnyScheme, goodUser, 0},
		})
	})
}

// TestProxyAuthTinyproxy covers proxy Basic with tinyproxy 1.11, which
// answers in HTTP/1.0 and closes the connection after each 407.
func TestProxyAuthTinyproxy(t *testing.T) {
	p := peers.StartTinyproxy(t, peers.TinyproxyOptions{BasicAuth: true})
	runProxyCases(t, p, []proxyCase{
		{"ok", security.Basic, goodUser, 0},
		{"not allowed", security.NTLM, goodUser, errors.ProxyRequiresBasicAuth},
	})
	// tinyproxy answers a forwarded POST without credentials with 407 and
	// closes at once, without reading the body: the kernel then resets
	// the connection and drops the unread 407 (EndpointDisconnected). A
	// CONNECT has no body, so its 407 arrives.
	be := startTLSBackend(t)
	t.Run("no credentials/https-connect", func(t *testing.T) {
		err := callAdd(t, be.URL, channel.WithCustomProxy(p.URL), channel.WithTransportSecurity(*be.roots))
		wantCode(t, err, errors.ProxyRequiresBasicAuth)
	})
	// Wrong credentials get "HTTP/1.0 401" with WWW-Authenticate from
	// tinyproxy itself. To a CONNECT that can only be the proxy speaking.
	// (For a forwarded request it cannot be told from the service's 401;
	// there wsgo reports ServerRequiresBasicAuth.)
	t.Run("wrong password/https-connect", func(t *testing.T) {
		err := callAdd(t, be.URL, channel.WithCustomProxy(p.URL), channel.WithTransportSecurity(*be.roots),
			channel.WithProxyAuth(security.Basic, wrongUser))
		wantCode(t, err, errors.ProxyAccessDenied)
	})
}

// TestProxyAuthApacheProxy covers proxy Digest with apache's forward proxy
// (mod_proxy_connect), a second Digest implementation besides squid's.
func TestProxyAuthApacheProxy(t *testing.T) {
	p := peers.StartApacheProxy(t)
	runProxyCases(t, p, []proxyCase{
		{"ok", security.Digest, goodUser, 0},
		{"wrong password", security.Digest, wrongUser, errors.ProxyAccessDenied},
		{"not allowed", security.Basic, goodUser, errors.ProxyRequiresDigestAuth},
	})
}

// TestProxyThenServiceAuth goes through squid demanding NTLM, in a CONNECT
// tunnel, to apache over TLS demanding NTLM for the service: two
// handshakes, one per target, each with its own credentials.
func TestProxyThenServiceAuth(t *testing.T) {
	be := startBackend(t)
	ca := testcert.NewRoot(t, testcert.Options{CommonName: "wsgo interop apache CA"})
	certFile, keyFile := ca.Leaf(t, testcert.Options{}).WriteFiles(t)
	ap := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL, TLSCert: certFile, TLSKey: keyFile})
	p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"ntlm"}})
	proxyUser := security.Credentials{Username: "proxy-only", Password: "proxy-pass"}
	ntlmUser := security.Credentials{Username: peers.Domain + `\` + peers.User, Password: peers.Password}
	trust := channel.WithTransportSecurity(security.TLS{RootCAs: ca.Pool()})
	// auto against /ntlm/: apache offers Negotiate and NTLM; with no
	// Kerberos realm for this user, Negotiate gives way to NTLM.
	for path, cred := range map[string]security.Credentials{"/ntlm/": ntlmUser, "/digest/": goodUser, "/basic/": goodUser} {
		t.Run(path, func(t *testing.T) {
			t.Setenv("KRB5_CONFIG", "/nonexistent/krb5.conf")
			err := callAdd(t, ap.TLSURL+path, trust,
				channel.WithCustomProxy(p.URL),
				channel.WithProxyAuth(security.NTLM, proxyUser),
				channel.WithServiceAuth(security.AnyScheme, cred))
			wantCode(t, err, 0)
		})
	}
	t.Run("service credentials never go to the proxy", func(t *testing.T) {
		err := callAdd(t, ap.TLSURL+"/ntlm/", trust,
			channel.WithCustomProxy(p.URL),
			channel.WithServiceAuth(security.AnyScheme, ntlmUser))
		wantCode(t, err, errors.ProxyRequiresNTLMAuth)
	})
}

// TestMutualTLSApache covers TLS client certificates with apache's
// SSLVerifyClient require.
func TestMutualTLSApache(t *testing.T) {
	be := startBackend(t)
	serverCA := testcert.NewRoot(t, testcert.Options{CommonName: "wsgo interop mtls server CA"})
	clientCA := testcert.NewRoot(t, testcert.Options{CommonName: "wsgo interop mtls client CA"})
	otherCA := testcert.NewRoot(t, testcert.Options{CommonName: "wsgo interop mtls other CA"})
	certFile, keyFile := serverCA.Leaf(t, testcert.Options{}).WriteFiles(t)
	clientCAFile := clientCA.WriteCert(t)
	ap := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL, TLSCert: certFile, TLSKey: keyFile, ClientCA: clientCAFile})
	clientCert := clientCA.Leaf(t, testcert.Options{CommonName: "wsgo client",
		ExtKeyUsage: clientAuthEKU}).TLSCertificate()
	strangerCert := otherCA.Leaf(t, testcert.Options{CommonName: "stranger",
		ExtKeyUsage: clientAuthEKU}).TLSCertificate()

	cases := []struct {
		name string
		tls  security.TLS
		want errors.Code
	}{
		{"client certificate", security.TLS{RootCAs: serverCA.Pool(), Certificates: clientCertList(clientCert)}, 0},
		{"no client certificate", security.TLS{RootCAs: serverCA.Pool()}, errors.SecurityVerificationFailure},
		{"untrusted client certificate", security.TLS{RootCAs: serverCA.Pool(), Certificates: clientCertList(strangerCert)}, errors.SecurityVerificationFailure},
		{"server not trusted", security.TLS{Certificates: clientCertList(clientCert)}, errors.CertUntrustedRoot},
		{"server not trusted, ignored", security.TLS{Certificates: clientCertList(clientCert), IgnoreCertFailures: security.CertUntrustedRoot}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantCode(t, callAdd(t, ap.MTLSURL+"/mtls/", channel.WithTransportSecurity(c.tls)), c.want)
		})
	}
	t.Run("tls without client certificate, basic over https", func(t *testing.T) {
		err := callAdd(t, ap.TLSURL+"/basic/", channel.WithTransportSecurity(security.TLS{RootCAs: serverCA.Pool()}),
			channel.WithServiceAuth(security.Basic, goodUser))
		wantCode(t, err, 0)
	})
}

// clientAuthEKU is the extended key usage of a TLS client certificate.
var clientAuthEKU = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}

func clientCertList(c tls.Certificate) []tls.Certificate { return []tls.Certificate{c} }
