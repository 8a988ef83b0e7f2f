package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security/wssec"
	"github.com/wsgo/wsgo/service"
)

func TestSecurityUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-password-file", "pw", "http://h/"},
		{"-password-env", "X", "http://h/"},
		{"-auth", "ntlm", "http://h/"},
		{"-auth", "kerberos", "-user", "u", "http://h/"},
		{"-user", "u", "-password-file", "a", "-password-env", "B", "http://h/"},
		{"-ignore-cert", "all", "http://h/"},
		{"-ignore-cert", "expired,whatever", "http://h/"},
		{"-tls-min", "1.1", "http://h/"},
		{"-keytab", "k", "-user", "u", "-auth", "basic", "http://h/"},
		{"-keytab", "k", "-ccache", "c", "-auth", "negotiate", "http://h/"},
		{"-wss-digest", "http://h/"},
		{"-wss-password-env", "X", "http://h/"},
		{"-wss-timestamp", "-5m", "http://h/"},
		{"-proxy-user", "u", "-proxy", "none", "http://h/"},
		{"-envelope", "-wss-user", "u", "http://h/"},
	} {
		r := runWith(t, "", args...)
		if r.status != exitUsage {
			t.Errorf("wssend %q: exit %d, want %d (usage)\n%s", args, r.status, exitUsage, r.stderr)
		}
	}
}

func TestJoinTwoArgFlags(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"-wss-sign", "c.pem", "k.pem", "http://h/", "b.xml"}, []string{"-wss-sign", "c.pem\x00k.pem", "http://h/", "b.xml"}},
		{[]string{"-wss-sign", "both.pem", "http://h/"}, []string{"-wss-sign", "both.pem", "http://h/"}},
		{[]string{"-wss-sign", "c.pem", "-v", "http://h/"}, []string{"-wss-sign", "c.pem", "-v", "http://h/"}},
		{[]string{"-v", "http://h/", "b.xml"}, []string{"-v", "http://h/", "b.xml"}},
	} {
		if diff := cmp.Diff(c.want, joinTwoArgFlags(c.in)); diff != "" {
			t.Errorf("joinTwoArgFlags(%q) (-want +got):\n%s", c.in, diff)
		}
	}
	o, err := parseArgs([]string{"-wss-sign", "c.pem", "k.pem", "http://h/"})
	if err != nil || o.sec.wss.signCert != "c.pem" || o.sec.wss.signKey != "k.pem" {
		t.Errorf("parseArgs: %+v, %v", o.sec.wss, err)
	}
	if o.sec.wss.timestamp != 5*time.Minute {
		t.Errorf("signing without -wss-timestamp: timestamp %v, want 5m", o.sec.wss.timestamp)
	}
}

func TestPasswordSources(t *testing.T) {
	file := writeFile(t, "pw", "s3cret\r\nsecond line\n")
	t.Setenv("WSSEND_TEST_PW", "from-env")
	t.Setenv(envPassword, "from-default-env")
	prompted := ""
	prompter = func(prompt string) (string, error) { prompted = prompt; return "typed", nil }
	t.Cleanup(func() { prompter = promptTerminal })

	for _, c := range []struct {
		src  passwordSource
		want string
	}{
		{passwordSource{what: "service", user: "u", file: file, defaultEnv: envPassword}, "s3cret"},
		{passwordSource{what: "service", user: "u", env: "WSSEND_TEST_PW", defaultEnv: envPassword}, "from-env"},
		{passwordSource{what: "service", user: "u", defaultEnv: envPassword}, "from-default-env"},
		{passwordSource{what: "proxy", user: "p", defaultEnv: "WSSEND_TEST_UNSET"}, "typed"},
	} {
		got, ok, err := c.src.resolve()
		if err != nil || !ok || got != c.want {
			t.Errorf("%+v: %q, %v, %v; want %q", c.src, got, ok, err, c.want)
		}
	}
	if prompted != "proxy password for p: " {
		t.Errorf("prompt %q", prompted)
	}
	if _, _, err := (passwordSource{what: "service", user: "u", env: "WSSEND_TEST_UNSET"}).resolve(); err == nil {
		t.Errorf("an unset -password-env variable was accepted")
	}
	if _, ok, err := (passwordSource{what: "service", user: "u", defaultEnv: "WSSEND_TEST_UNSET", optional: true}).resolve(); ok || err != nil {
		t.Errorf("optional password: %v, %v; want none", ok, err)
	}
	prompter = func(string) (string, error) { return "", errors.New("no terminal") }
	if _, _, err := (passwordSource{what: "service", user: "u", defaultEnv: "WSSEND_TEST_UNSET"}).resolve(); err == nil {
		t.Errorf("no password and no terminal was accepted")
	}
}

func TestMaskPasswords(t *testing.T) {
	in := `<s:Header><wsse:Security><wsse:UsernameToken><wsse:Username>u</wsse:Username>` +
		`<wsse:Password Type="...#PasswordText">s3cret</wsse:Password><Password>two</Password></wsse:UsernameToken></wsse:Security></s:Header>`
	got := string(maskPasswords([]byte(in)))
	if strings.Contains(got, "s3cret") || strings.Contains(got, "two") || !strings.Contains(got, "<wsse:Username>u</wsse:Username>") {
		t.Errorf("maskPasswords: %s", got)
	}
}

// TestHTTPAuthPeers runs wssend's -auth and -proxy-auth flags against the
// third-party peers: apache (Digest, NTLM with a real password check),
// squid (Basic proxy).
func TestHTTPAuthPeers(t *testing.T) {
	url, _ := newService(t)
	backend := strings.TrimSuffix(url, "calc")
	ap := peers.StartApache(t, peers.ApacheOptions{Backend: backend})
	t.Setenv("WSSEND_TEST_PW", peers.Password)
	t.Setenv(envPassword, peers.WrongPassword)
	pwFile := writeFile(t, "pw", peers.Password+"\n")

	runWith(t, addBody, "-auth", "digest", "-user", peers.User, "-password-env", "WSSEND_TEST_PW", "-action", addAction, ap.URL+"/digest/calc").want(t, exitOK)
	runWith(t, addBody, "-user", peers.User, "-password-file", pwFile, "-action", addAction, ap.URL+"/ntlm/calc").want(t, exitOK)
	r := runWith(t, addBody, "-auth", "ntlm", "-user", peers.User, "-action", addAction, ap.URL+"/ntlm/calc") // $WSSEND_PASSWORD: wrong
	r.want(t, exitAuth)
	if !strings.Contains(r.stderr, "[EndpointAccessDenied]") || strings.Contains(r.stderr, peers.WrongPassword) {
		t.Errorf("stderr: %s", r.stderr)
	}
	r = runWith(t, addBody, "-auth", "basic", "-user", peers.User, "-password-file", pwFile, "-action", addAction, ap.URL+"/basic/calc")
	r.want(t, exitUsage) // Basic over plain HTTP is refused unless asked for
	runWith(t, addBody, "-auth", "basic", "-basic-over-http", "-user", peers.User, "-password-file", pwFile, "-action", addAction, ap.URL+"/basic/calc").want(t, exitOK)
	r = runWith(t, addBody, "-action", addAction, ap.URL+"/digest/calc")
	r.want(t, exitAuth)
	if !strings.Contains(r.stderr, "[ServerRequiresDigestAuth]") {
		t.Errorf("stderr: %s", r.stderr)
	}

	p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"basic"}})
	t.Setenv(envProxyPassword, peers.Password)
	r = runWith(t, addBody, "-v", "-proxy", p.URL, "-proxy-user", peers.User, "-action", addAction, url)
	r.want(t, exitOK)
	if strings.Contains(r.stderr, peers.Password) || !strings.Contains(r.stderr, "Proxy-Authorization: Basic") {
		t.Errorf("-v must show the scheme and mask the credentials:\n%s", r.stderr)
	}
	runWith(t, addBody, "-proxy", p.URL, "-action", addAction, url).want(t, exitAuth)
}

// TestCertificateFlags covers -ignore-cert, -tls-min and -cert/-key against
// loopback TLS servers with certificates made in the test.
func TestCertificateFlags(t *testing.T) {
	ca := testcert.NewRoot(t, testcert.Options{CommonName: "wssend test CA"})
	caFile := ca.WriteCert(t)
	expired := ca.Leaf(t, testcert.Options{CommonName: "wssend expired",
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)})
	srv := httptest.NewUnstartedServer(newDemoHost())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{expired.TLSCertificate()}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	r := runWith(t, addBody, "-cacert", caFile, "-action", addAction, srv.URL)
	r.want(t, exitTLS)
	if !strings.Contains(r.stderr, "[CertExpired]") {
		t.Errorf("stderr: %s", r.stderr)
	}
	runWith(t, addBody, "-cacert", caFile, "-ignore-cert", "expired", "-action", addAction, srv.URL).want(t, exitOK)
	// Ignoring another class does not let the expired certificate pass.
	runWith(t, addBody, "-cacert", caFile, "-ignore-cert", "cn,usage", "-action", addAction, srv.URL).want(t, exitTLS)

	// Mutual TLS: the server asks for a certificate from the same CA.
	good := ca.Leaf(t, testcert.Options{CommonName: "wssend server"})
	client := ca.Leaf(t, testcert.Options{CommonName: "wssend client", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	certFile, keyFile := client.WriteFiles(t)
	mtls := httptest.NewUnstartedServer(newDemoHost())
	mtls.TLS = &tls.Config{Certificates: []tls.Certificate{good.TLSCertificate()},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: ca.Pool()}
	mtls.StartTLS()
	t.Cleanup(mtls.Close)
	runWith(t, addBody, "-cacert", caFile, "-cert", certFile, "-key", keyFile, "-action", addAction, mtls.URL).want(t, exitOK)
	runWith(t, addBody, "-cacert", caFile, "-action", addAction, mtls.URL).want(t, exitTLS)
	runWith(t, addBody, "-cacert", caFile, "-cert", certFile, "-key", caFile, "-action", addAction, mtls.URL).want(t, exitUsage)

	// -tls-min 1.3 against a server that stops at TLS 1.2.
	old := httptest.NewUnstartedServer(newDemoHost())
	old.TLS = &tls.Config{Certificates: []tls.Certificate{good.TLSCertificate()}, MaxVersion: tls.VersionTLS12}
	old.StartTLS()
	t.Cleanup(old.Close)
	runWith(t, addBody, "-cacert", caFile, "-action", addAction, old.URL).want(t, exitOK)
	if r := runWith(t, addBody, "-cacert", caFile, "-tls-min", "1.3", "-action", addAction, old.URL); r.status == exitOK {
		t.Errorf("-tls-min 1.3 reached a TLS 1.2 server: %s", r.stderr)
	}
}

// TestWSSecurityFlags sends a UsernameToken (digest) and a signature with
// -wss-user and -wss-sign to a host that verifies both.
func TestWSSecurityFlags(t *testing.T) {
	ca := testcert.NewRoot(t, testcert.Options{CommonName: "wssend signing CA"})
	signer := ca.Leaf(t, testcert.Options{CommonName: "wssend signer", Key: testcert.RSA2048, NoExtKeyUsage: true})
	certFile, keyFile := signer.WriteFiles(t)
	caFile := ca.WriteCert(t)
	verifier, err := wssec.NewVerifier(wssec.Policy{
		RequireUsernameToken: true, RequirePasswordDigest: true, RequireSignature: true, Roots: ca.Pool(),
		Password: func(_ context.Context, user string) (string, error) {
			if user != "alice" {
				return "", errors.New("unknown user")
			}
			return "wonderland", nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	signReplies, err := wssec.NewSecurer(wssec.Config{Signer: signer.Key, Certificates: []*x509.Certificate{signer.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	h := newDemoHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP11),
		channel.WithMessageSecurity(&wssec.Server{Requests: verifier, SecureReplies: signReplies})))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	t.Setenv(envWSSPassword, "wonderland")
	args := []string{"-wss-user", "alice", "-wss-digest", "-wss-sign", certFile, keyFile, "-action", addAction}
	r := runWith(t, addBody, append(append([]string{"-v"}, args...), srv.URL)...)
	r.want(t, exitOK)
	if !strings.Contains(r.stdout, "<result>5</result>") || strings.Contains(r.stderr, "wonderland") {
		t.Errorf("stdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	// The reply is signed by the host: -wss-verify-reply checks it.
	runWith(t, addBody, append(append([]string{"-wss-verify-reply", "-cacert", caFile}, args...), srv.URL)...).want(t, exitOK)
	t.Setenv(envWSSPassword, "wrong")
	r = runWith(t, addBody, append(args, srv.URL)...)
	r.want(t, exitFault)
	if !strings.Contains(r.stderr, "FailedAuthentication") {
		t.Errorf("stderr: %s", r.stderr)
	}
	// Reply verification trusts only -cacert, never the system's roots.
	runWith(t, addBody, append(append([]string{"-wss-verify-reply"}, args...), srv.URL)...).want(t, exitUsage)
	// Without a signature the host refuses the request.
	runWith(t, addBody, "-wss-user", "alice", "-wss-digest", "-action", addAction, srv.URL).want(t, exitFault)
}
