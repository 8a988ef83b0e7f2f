package security_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/security"
)

// certSet is a trusted root and server chains wrong in one or two ways
// each, for host "localhost".
type certSet struct {
	root                                   *testcert.Authority
	good, expired, notYet, wrongHost       []*x509.Certificate
	unknownCA, selfSigned, clientOnly      []*x509.Certificate
	expiredWrongHost, untrustedWrongHost   []*x509.Certificate
	expiredIntermediate, clientOnlyMid     []*x509.Certificate
	noEKU, ipOnly, brokenChain, unknownMid []*x509.Certificate
}

func chainOf(l *testcert.Leaf) []*x509.Certificate {
	return append([]*x509.Certificate{l.Cert}, l.Chain...)
}

func newCertSet(t *testing.T) *certSet {
	t.Helper()
	now := time.Now()
	past := testcert.Options{NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)}
	future := testcert.Options{NotBefore: now.Add(24 * time.Hour), NotAfter: now.Add(48 * time.Hour)}
	root := testcert.NewRoot(t, testcert.Options{CommonName: "verify root"})
	other := testcert.NewRoot(t, testcert.Options{CommonName: "verify unknown CA"})
	mid := root.Intermediate(t, testcert.Options{CommonName: "verify mid"})
	oldMid := root.Intermediate(t, testcert.Options{CommonName: "verify expired mid",
		NotBefore: now.Add(-72 * time.Hour), NotAfter: now.Add(-24 * time.Hour)})
	clientMid := root.Intermediate(t, testcert.Options{CommonName: "verify client-only mid",
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	otherMid := other.Intermediate(t, testcert.Options{CommonName: "verify unknown mid"})

	expiredWrongHost := past
	expiredWrongHost.DNSNames = []string{"other.example"}
	s := &certSet{
		root:               root,
		good:               chainOf(root.Leaf(t, testcert.Options{})),
		expired:            chainOf(root.Leaf(t, past)),
		notYet:             chainOf(root.Leaf(t, future)),
		wrongHost:          chainOf(root.Leaf(t, testcert.Options{DNSNames: []string{"other.example"}})),
		unknownCA:          chainOf(other.Leaf(t, testcert.Options{})),
		selfSigned:         chainOf(testcert.SelfSigned(t, testcert.Options{})),
		clientOnly:         chainOf(root.Leaf(t, testcert.Options{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})),
		expiredWrongHost:   chainOf(root.Leaf(t, expiredWrongHost)),
		untrustedWrongHost: chainOf(other.Leaf(t, testcert.Options{DNSNames: []string{"other.example"}})),
		expiredIntermediate: chainOf(oldMid.Leaf(t, testcert.Options{
			NotBefore: now.Add(-60 * time.Hour), NotAfter: now.Add(24 * time.Hour)})),
		clientOnlyMid: chainOf(clientMid.Leaf(t, testcert.Options{})),
		noEKU:         chainOf(mid.Leaf(t, testcert.Options{NoExtKeyUsage: true})),
		ipOnly:        chainOf(root.Leaf(t, testcert.Options{IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})),
		unknownMid:    chainOf(otherMid.Leaf(t, testcert.Options{})),
	}
	// A leaf of the unknown CA presented with an unrelated intermediate:
	// the presented chain itself is broken.
	s.brokenChain = []*x509.Certificate{s.unknownCA[0], mid.Cert}
	return s
}

// verify runs ClientConfig's certificate check on certs as a handshake
// would, without a network.
func verify(t *testing.T, cfg security.TLS, host string, certs []*x509.Certificate) error {
	t.Helper()
	c, err := cfg.ClientConfig(host)
	if err != nil {
		t.Fatal(err)
	}
	return c.VerifyConnection(tls.ConnectionState{PeerCertificates: certs, ServerName: host})
}

func TestVerifyClasses(t *testing.T) {
	s := newCertSet(t)
	const (
		cn    = security.CertCNMismatch
		date  = security.CertInvalidDate
		root  = security.CertUntrustedRoot
		usage = security.CertWrongUsage
		revoc = security.CertRevocationOffline
	)
	rows := []struct {
		name    string
		certs   []*x509.Certificate
		host    string
		ignore  security.CertFailure
		code    errors.Code          // OK: accepted
		failed  security.CertFailure // CertError.Failures
		ignored security.CertFailure // CertError.Ignored
	}{
		{name: "good", certs: s.good, code: errors.OK},
		{name: "good, revocation ignored", certs: s.good, ignore: revoc, code: errors.OK},
		{name: "good with intermediate, no EKU", certs: s.noEKU, code: errors.OK},
		{name: "IP SAN", certs: s.ipOnly, host: "127.0.0.1", code: errors.OK},
		{name: "IP SAN, other IP", certs: s.ipOnly, host: "127.0.0.2", code: errors.CertCNNoMatch, failed: cn},

		{name: "expired", certs: s.expired, code: errors.CertExpired, failed: date},
		{name: "expired, date ignored", certs: s.expired, ignore: date, code: errors.OK},
		{name: "not yet valid", certs: s.notYet, code: errors.CertExpired, failed: date},
		{name: "not yet valid, date ignored", certs: s.notYet, ignore: date, code: errors.OK},
		{name: "wrong host", certs: s.wrongHost, code: errors.CertCNNoMatch, failed: cn},
		{name: "wrong host, cn ignored", certs: s.wrongHost, ignore: cn, code: errors.OK},
		{name: "unknown CA", certs: s.unknownCA, code: errors.CertUntrustedRoot, failed: root},
		{name: "unknown CA, root ignored", certs: s.unknownCA, ignore: root, code: errors.OK},
		{name: "unknown CA with its intermediate, root ignored", certs: s.unknownMid, ignore: root, code: errors.OK},
		{name: "self-signed", certs: s.selfSigned, code: errors.CertUntrustedRoot, failed: root},
		{name: "self-signed, root ignored", certs: s.selfSigned, ignore: root, code: errors.OK},
		{name: "client auth only", certs: s.clientOnly, code: errors.CertWrongUsage, failed: usage},
		{name: "client auth only, usage ignored", certs: s.clientOnly, ignore: usage, code: errors.OK},
		{name: "intermediate for client auth only", certs: s.clientOnlyMid, code: errors.CertWrongUsage, failed: usage},
		{name: "intermediate for client auth only, usage ignored", certs: s.clientOnlyMid, ignore: usage, code: errors.OK},
		// crypto/x509 reports an expired intermediate as an unknown
		// authority; it is a date failure, and ignoring the root does not
		// accept it.
		{name: "expired intermediate", certs: s.expiredIntermediate, code: errors.CertExpired, failed: date},
		{name: "expired intermediate, date ignored", certs: s.expiredIntermediate, ignore: date, code: errors.OK},
		{name: "expired intermediate, root ignored", certs: s.expiredIntermediate, ignore: root, code: errors.CertExpired, failed: date},

		// Two failures: ignoring one leaves the other.
		{name: "expired for another host", certs: s.expiredWrongHost, code: errors.CertExpired, failed: date | cn},
		{name: "expired for another host, date ignored", certs: s.expiredWrongHost, ignore: date,
			code: errors.CertCNNoMatch, failed: cn, ignored: date},
		{name: "expired for another host, cn ignored", certs: s.expiredWrongHost, ignore: cn,
			code: errors.CertExpired, failed: date, ignored: cn},
		{name: "expired for another host, both ignored", certs: s.expiredWrongHost, ignore: cn | date, code: errors.OK},
		{name: "untrusted for another host", certs: s.untrustedWrongHost, code: errors.CertUntrustedRoot, failed: root | cn},
		{name: "untrusted for another host, cn ignored", certs: s.untrustedWrongHost, ignore: cn,
			code: errors.CertUntrustedRoot, failed: root, ignored: cn},
		{name: "untrusted for another host, root ignored", certs: s.untrustedWrongHost, ignore: root,
			code: errors.CertCNNoMatch, failed: cn, ignored: root},

		// Ignoring the root still needs the presented chain to hold
		// together.
		{name: "broken chain", certs: s.brokenChain, code: errors.CertUntrustedRoot, failed: root},
		{name: "broken chain, root ignored", certs: s.brokenChain, ignore: root,
			code: errors.SecurityVerificationFailure, failed: 0, ignored: root},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			host := r.host
			if host == "" {
				host = "localhost"
			}
			err := verify(t, security.TLS{RootCAs: s.root.Pool(), IgnoreCertFailures: r.ignore}, host, r.certs)
			if r.code == errors.OK {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			var ce *security.CertError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v, want *security.CertError", err, err)
			}
			if ce.Code() != r.code || errors.CodeOf(err) != r.code || !errors.Is(err, r.code) {
				t.Errorf("code %v (CodeOf %v), want %v: %v", ce.Code(), errors.CodeOf(err), r.code, err)
			}
			if ce.Failures != r.failed || ce.Ignored != r.ignored {
				t.Errorf("failures %v ignored %v, want %v and %v", ce.Failures, ce.Ignored, r.failed, r.ignored)
			}
			if ce.Host != host || ce.Err == nil {
				t.Errorf("host %q, cause %v", ce.Host, ce.Err)
			}
			msg := err.Error()
			if !strings.Contains(msg, host) {
				t.Errorf("message does not name the host %q: %s", host, msg)
			}
			if r.failed != 0 && !strings.Contains(msg, "-ignore-cert "+r.failed.String()) {
				t.Errorf("message does not say how to ignore %v: %s", r.failed, msg)
			}
		})
	}
}

// Each failure class, ignored on its own, accepts a certificate failing
// that class and nothing else: every other class ignored alone leaves it
// rejected with its own code.
func TestVerifyEachClassAlone(t *testing.T) {
	s := newCertSet(t)
	failing := []struct {
		class security.CertFailure
		certs []*x509.Certificate
		code  errors.Code
	}{
		{security.CertInvalidDate, s.expired, errors.CertExpired},
		{security.CertInvalidDate, s.notYet, errors.CertExpired},
		{security.CertCNMismatch, s.wrongHost, errors.CertCNNoMatch},
		{security.CertUntrustedRoot, s.unknownCA, errors.CertUntrustedRoot},
		{security.CertUntrustedRoot, s.selfSigned, errors.CertUntrustedRoot},
		{security.CertWrongUsage, s.clientOnly, errors.CertWrongUsage},
	}
	classes := []security.CertFailure{security.CertCNMismatch, security.CertInvalidDate,
		security.CertUntrustedRoot, security.CertWrongUsage, security.CertRevocationOffline}
	for _, f := range failing {
		for _, ignore := range classes {
			err := verify(t, security.TLS{RootCAs: s.root.Pool(), IgnoreCertFailures: ignore}, "localhost", f.certs)
			switch {
			case ignore == f.class && err != nil:
				t.Errorf("%v failure with %v ignored: rejected: %v", f.class, ignore, err)
			case ignore != f.class && errors.CodeOf(err) != f.code:
				t.Errorf("%v failure with %v ignored: code %v, want %v (%v)", f.class, ignore, errors.CodeOf(err), f.code, err)
			}
		}
	}
}

// With nothing ignored the check accepts exactly what crypto/tls's own
// verification accepts, and keeps its error as the cause.
func TestVerifyMatchesCryptoTLS(t *testing.T) {
	s := newCertSet(t)
	for name, certs := range map[string][]*x509.Certificate{
		"good": s.good, "expired": s.expired, "notYet": s.notYet, "wrongHost": s.wrongHost,
		"unknownCA": s.unknownCA, "selfSigned": s.selfSigned, "clientOnly": s.clientOnly,
		"expiredWrongHost": s.expiredWrongHost, "expiredIntermediate": s.expiredIntermediate,
		"clientOnlyMid": s.clientOnlyMid, "noEKU": s.noEKU, "ipOnly": s.ipOnly, "brokenChain": s.brokenChain,
	} {
		inter := x509.NewCertPool()
		for _, c := range certs[1:] {
			inter.AddCert(c)
		}
		_, stdErr := certs[0].Verify(x509.VerifyOptions{Roots: s.root.Pool(), Intermediates: inter, DNSName: "localhost"})
		err := verify(t, security.TLS{RootCAs: s.root.Pool()}, "localhost", certs)
		if (err == nil) != (stdErr == nil) {
			t.Errorf("%s: ours %v, crypto/x509 %v", name, err, stdErr)
		}
		var ce *security.CertError
		if err != nil && (!errors.As(err, &ce) || ce.Err.Error() != stdErr.Error()) {
			t.Errorf("%s: cause %v, want crypto/x509's %v", name, err, stdErr)
		}
	}
	// The cause keeps crypto/x509's types.
	err := verify(t, security.TLS{RootCAs: s.root.Pool()}, "localhost", s.wrongHost)
	var he x509.HostnameError
	if !errors.As(err, &he) {
		t.Errorf("wrong host: no x509.HostnameError in %v", err)
	}
}

// Whatever is ignored, a server without a certificate, or a connection
// with no name to check, is never accepted.
func TestVerifyNeverWithoutCertificate(t *testing.T) {
	s := newCertSet(t)
	all := security.CertCNMismatch | security.CertInvalidDate | security.CertUntrustedRoot | security.CertWrongUsage | security.CertRevocationOffline
	cfg := security.TLS{RootCAs: s.root.Pool(), IgnoreCertFailures: all}
	c, err := cfg.ClientConfig("localhost")
	if err != nil {
		t.Fatal(err)
	}
	err = c.VerifyConnection(tls.ConnectionState{ServerName: "localhost"})
	if errors.CodeOf(err) != errors.SecurityVerificationFailure || !strings.Contains(err.Error(), "no certificate") {
		t.Errorf("no certificate: %v", err)
	}
	// No host given and no SNI (an IP address): nothing to check the
	// name against.
	c, err = (&security.TLS{RootCAs: s.root.Pool(), IgnoreCertFailures: all}).ClientConfig("")
	if err != nil {
		t.Fatal(err)
	}
	err = c.VerifyConnection(tls.ConnectionState{PeerCertificates: s.good})
	if errors.CodeOf(err) != errors.SecurityVerificationFailure || !strings.Contains(err.Error(), "ServerName") {
		t.Errorf("no host name: %v", err)
	}
	// No host given: the SNI the connection sent is checked.
	c, err = (&security.TLS{RootCAs: s.root.Pool()}).ClientConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyConnection(tls.ConnectionState{PeerCertificates: s.good, ServerName: "localhost"}); err != nil {
		t.Errorf("SNI localhost: %v", err)
	}
	if err := c.VerifyConnection(tls.ConnectionState{PeerCertificates: s.good, ServerName: "other.example"}); errors.CodeOf(err) != errors.CertCNNoMatch {
		t.Errorf("SNI other.example: %v", err)
	}
}

func TestClientConfig(t *testing.T) {
	s := newCertSet(t)
	leaf := s.root.Leaf(t, testcert.Options{CommonName: "client"}).TLSCertificate()
	cfg := security.TLS{RootCAs: s.root.Pool(), Certificates: []tls.Certificate{leaf}}
	c, err := cfg.ClientConfig("svc.example")
	if err != nil {
		t.Fatal(err)
	}
	if c.MinVersion != tls.VersionTLS12 || c.ServerName != "svc.example" || c.RootCAs != cfg.RootCAs ||
		len(c.Certificates) != 1 || !c.InsecureSkipVerify || c.VerifyConnection == nil {
		t.Errorf("config: min %x name %q roots %v certs %d skip %v verify %v",
			c.MinVersion, c.ServerName, c.RootCAs != nil, len(c.Certificates), c.InsecureSkipVerify, c.VerifyConnection != nil)
	}
	cfg.Certificates[0] = tls.Certificate{}
	if c.Certificates[0].Leaf == nil {
		t.Error("the config shares the caller's Certificates slice")
	}

	cfg = security.TLS{ServerName: "override.example", MinVersion: tls.VersionTLS13}
	if c, err = cfg.ClientConfig("svc.example"); err != nil || c.ServerName != "override.example" || c.MinVersion != tls.VersionTLS13 {
		t.Errorf("override: %v %q %x", err, c.ServerName, c.MinVersion)
	}
	for _, bad := range []security.TLS{{MinVersion: 0x0300}, {MinVersion: 0x0305}, {IgnoreCertFailures: 0x20}} {
		if _, err := bad.ClientConfig("x"); errors.CodeOf(err) != errors.InvalidArgument {
			t.Errorf("%+v: %v, want InvalidArgument", bad, err)
		}
	}
}

func TestParseCertFailures(t *testing.T) {
	rows := []struct {
		in   string
		want security.CertFailure
		str  string
	}{
		{"", 0, "none"},
		{"expired", security.CertInvalidDate, "expired"},
		{"date", security.CertInvalidDate, "expired"},
		{"cn", security.CertCNMismatch, "cn"},
		{"Name", security.CertCNMismatch, "cn"},
		{"untrusted-root", security.CertUntrustedRoot, "untrusted-root"},
		{"root", security.CertUntrustedRoot, "untrusted-root"},
		{"CA", security.CertUntrustedRoot, "untrusted-root"},
		{"usage", security.CertWrongUsage, "usage"},
		{"revocation", security.CertRevocationOffline, "revocation"},
		{" expired , cn ", security.CertInvalidDate | security.CertCNMismatch, "expired,cn"},
		{"usage,root,,cn,date,revocation", 0x1f, "untrusted-root,expired,cn,usage,revocation"},
		{"cn,name", security.CertCNMismatch, "cn"},
	}
	for _, r := range rows {
		got, err := security.ParseCertFailures(r.in)
		if err != nil || got != r.want {
			t.Errorf("ParseCertFailures(%q) = %v, %v; want %v", r.in, got, err, r.want)
			continue
		}
		if got.String() != r.str {
			t.Errorf("%q: String %q, want %q", r.in, got.String(), r.str)
		}
		if back, err := security.ParseCertFailures(got.String()); got != 0 && (err != nil || back != got) {
			t.Errorf("%q: String does not parse back: %v %v", r.in, back, err)
		}
	}
	for _, bad := range []struct{ in, says string }{
		{"all", "no way to ignore every"},
		{"expired,ALL", "no way to ignore every"},
		{"*", "no way to ignore every"},
		{"expird", "unknown certificate failure class"},
		{"cn;expired", "unknown certificate failure class"},
	} {
		_, err := security.ParseCertFailures(bad.in)
		if errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), bad.says) || !strings.Contains(err.Error(), "untrusted-root") {
			t.Errorf("ParseCertFailures(%q): %v", bad.in, err)
		}
	}
	if s := security.CertFailure(0x41).String(); s != "cn,0x40" {
		t.Errorf("undefined bits: %q", s)
	}
}

// BenchmarkVerifyConnection measures the certificate check of a handshake:
// a good chain (one crypto/x509 verification, as crypto/tls makes) and a
// chain failing two classes with both ignored (classification and the
// relaxed verification on top).
func BenchmarkVerifyConnection(b *testing.B) {
	now := time.Now()
	root := testcert.NewRoot(b, testcert.Options{CommonName: "bench root"})
	mid := root.Intermediate(b, testcert.Options{CommonName: "bench mid"})
	good := chainOf(mid.Leaf(b, testcert.Options{}))
	bad := chainOf(mid.Leaf(b, testcert.Options{DNSNames: []string{"other.example"},
		NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)}))
	for _, bc := range []struct {
		name   string
		certs  []*x509.Certificate
		ignore security.CertFailure
	}{
		{"good", good, 0},
		{"two-failures-ignored", bad, security.CertCNMismatch | security.CertInvalidDate},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := (&security.TLS{RootCAs: root.Pool(), IgnoreCertFailures: bc.ignore}).ClientConfig("localhost")
			if err != nil {
				b.Fatal(err)
			}
			cs := tls.ConnectionState{PeerCertificates: bc.certs}
			b.ReportAllocs()
			for b.Loop() {
				if err := c.VerifyConnection(cs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A CertError made outside the package still says what failed.
func TestCertErrorWithoutDetails(t *testing.T) {
	e := &security.CertError{Failures: security.CertWrongUsage | security.CertCNMismatch, Host: "svc.example"}
	msg := e.Error()
	for _, s := range []string{"svc.example", "does not name the host", "not for server authentication", "-ignore-cert cn,usage"} {
		if !strings.Contains(msg, s) {
			t.Errorf("%q does not say %q", msg, s)
		}
	}
	if e.Code() != errors.CertCNNoMatch || !errors.Is(e, errors.CertCNNoMatch) {
		t.Errorf("code %v", e.Code())
	}
	if (&security.CertError{}).Code() != errors.SecurityVerificationFailure {
		t.Error("no failure class: want SecurityVerificationFailure")
	}
}
