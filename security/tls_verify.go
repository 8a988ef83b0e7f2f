package security

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// CertError is the failure of a server certificate check made by a
// ClientConfig: the certificate failure classes that rejected it (WWSAPI's
// CERT_E_* results). It is what a TLS handshake returns; a channel turns
// it into an *errors.Error with the same Code.
type CertError struct {
	// Failures are the classes found and not ignored. Empty when the
	// chain failed for a reason outside the classes (a broken signature
	// in a chain whose root is ignored, say).
	Failures CertFailure
	// Ignored are the classes also found, and accepted by
	// TLS.IgnoreCertFailures.
	Ignored CertFailure
	// Host is the name the certificate was checked against.
	Host string
	// Err is crypto/x509's verification error.
	Err error

	details map[CertFailure]string // what failed, per class
}

// Code returns the code of the most severe failure (in this order:
// CertUntrustedRoot, CertExpired, CertCNNoMatch, CertWrongUsage), or
// SecurityVerificationFailure when the failure is outside the classes.
func (e *CertError) Code() errors.Code {
	for _, c := range certClasses {
		if e.Failures&c.flag != 0 {
			return certCode(c.flag)
		}
	}
	return errors.SecurityVerificationFailure
}

// Error says what was wrong with the certificate and what to do about it.
func (e *CertError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the server's certificate for host %q is rejected: ", e.Host)
	if e.Failures == 0 {
		if e.Ignored != 0 {
			fmt.Fprintf(&b, "its chain does not verify even with the ignored checks (%s) relaxed: %v", e.Ignored, e.Err)
		} else {
			fmt.Fprintf(&b, "its chain does not verify: %v", e.Err)
		}
		return b.String()
	}
	var todo []string
	n := 0
	for _, c := range certClasses {
		if e.Failures&c.flag == 0 {
			continue
		}
		if n > 0 {
			b.WriteString("; ")
		}
		n++
		what := e.details[c.flag]
		if what == "" {
			what = certFailureText[c.flag]
		}
		fmt.Fprintf(&b, "%s [%s]", what, c.name)
		todo = append(todo, certRemedy[c.flag])
	}
	if e.Ignored != 0 {
		fmt.Fprintf(&b, " (also found and ignored: %s)", e.Ignored)
	}
	fmt.Fprintf(&b, ". To fix: %s; or, only if you accept the risk, ignore the class on its own (TLS.IgnoreCertFailures, wssend -ignore-cert %s)",
		strings.Join(todo, "; "), e.Failures)
	return b.String()
}

// Unwrap returns the failure's Code (so errors.Is(err, errors.CertExpired)
// and errors.CodeOf see it) and crypto/x509's error.
func (e *CertError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Code()}
	}
	return []error{e.Code(), e.Err}
}

// certCode is the code of one failure class.
func certCode(f CertFailure) errors.Code {
	switch f {
	case CertUntrustedRoot:
		return errors.CertUntrustedRoot
	case CertInvalidDate:
		return errors.CertExpired
	case CertCNMismatch:
		return errors.CertCNNoMatch
	case CertWrongUsage:
		return errors.CertWrongUsage
	case CertRevocationOffline:
		return errors.CertRevocationOffline
	}
	return errors.SecurityVerificationFailure
}

// certFailureText describes a class when a CertError carries no details
// (one made outside this package).
var certFailureText = map[CertFailure]string{
	CertUntrustedRoot:     "it does not lead to a trusted root",
	CertInvalidDate:       "it or a certificate of its chain is expired or not yet valid",
	CertCNMismatch:        "it does not name the host",
	CertWrongUsage:        "it is not for server authentication",
	CertRevocationOffline: "its revocation status could not be checked",
}

var certRemedy = map[CertFailure]string{
	CertUntrustedRoot:     "trust the CA that issued it (TLS.RootCAs)",
	CertInvalidDate:       "have the server's certificate renewed, or check this machine's clock",
	CertCNMismatch:        "use the host name the certificate is for in the address (or TLS.ServerName)",
	CertWrongUsage:        "have the server use a certificate issued for server authentication",
	CertRevocationOffline: "make the revocation servers reachable",
}

// verifier checks a server's certificate chain for ClientConfig.
type verifier struct {
	roots  *x509.CertPool // nil: the system roots
	name   string         // the host; empty: the connection's SNI
	ignore CertFailure
	now    func() time.Time
}

func (v *verifier) verifyConnection(cs tls.ConnectionState) error {
	host := v.name
	if host == "" {
		host = cs.ServerName
	}
	return v.verify(cs.PeerCertificates, host)
}

// verify accepts certs (leaf first) for host when crypto/x509 verifies
// them as crypto/tls would, or when every failure class they show is
// ignored and they verify with just those checks relaxed.
func (v *verifier) verify(certs []*x509.Certificate, host string) error {
	if len(certs) == 0 {
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the server presented no certificate, so it cannot be authenticated; check the server's TLS setup")
	}
	if host == "" {
		return errors.Errorf(errors.SecurityVerificationFailure,
			"there is no host name to check the server's certificate against (the address is an IP address and no server name was given); set TLS.ServerName to the name the certificate is for")
	}
	now := v.now()
	// crypto/tls's own check, option for option (handshake_client.go,
	// verifyServerCertificate).
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: v.roots, Intermediates: poolOf(certs[1:]), DNSName: host, CurrentTime: now})
	if err == nil {
		return nil
	}
	f := v.classify(certs, host, now)
	ce := &CertError{Failures: f.failures &^ v.ignore, Ignored: f.failures & v.ignore, Host: host, Err: err, details: f.details}
	if ce.Failures == 0 && ce.Ignored != 0 {
		relaxedErr := v.verifyRelaxed(certs, host, now, ce.Ignored)
		if relaxedErr == nil {
			return nil
		}
		ce.Err = relaxedErr
	}
	return ce
}

// findings are the failure classes of a chain, with what failed.
type findings struct {
	failures CertFailure
	details  map[CertFailure]string
}

func (f *findings) add(c CertFailure, format string, args ...any) {
	if f.details == nil {
		f.details = map[CertFailure]string{}
	}
	msg := fmt.Sprintf(format, args...)
	if f.failures&c != 0 {
		f.details[c] += "; " + msg
		return
	}
	f.failures |= c
	f.details[c] = msg
}

// classify finds each failure class of certs separately: whether a chain
// to a trusted root exists at all (with the date, name and usage checks
// out of the way), whether a certificate of that chain (or of the
// presented ones, without a chain) is outside its validity, whether the
// leaf names host, and whether leaf and chain allow server
// authentication. A trusted root that has itself expired yields no chain,
// and so counts as an untrusted root (crypto/x509 says the same).
func (v *verifier) classify(certs []*x509.Certificate, host string, now time.Time) findings {
	var f findings
	leaf := certs[0]
	chain := v.trustedChain(certs, now)
	dated := chain
	if chain == nil {
		top := certs[len(certs)-1]
		f.add(CertUntrustedRoot, "it does not lead to a trusted root (the last certificate presented, %s, is issued by %s, which is not among the trusted roots)",
			subject(top), issuer(top))
		dated = certs
	}
	for _, c := range dated {
		switch {
		case now.Before(c.NotBefore):
			f.add(CertInvalidDate, "%s is not valid before %s", subject(c), c.NotBefore.UTC().Format(time.RFC3339))
		case now.After(c.NotAfter):
			f.add(CertInvalidDate, "%s expired on %s", subject(c), c.NotAfter.UTC().Format(time.RFC3339))
		}
	}
	if leaf.VerifyHostname(host) != nil {
		f.add(CertCNMismatch, "it does not name %q (it names %s)", host, hostNames(leaf))
	}
	if !allowsServerAuth(leaf) {
		f.add(CertWrongUsage, "it is not for server authentication (its extended key usage: %s)", usageNames(leaf))
	} else if chain != nil {
		// An intermediate's extended key usage limits those below it.
		u := undated(certs)
		_, err := u[0].Verify(x509.VerifyOptions{Roots: v.roots, Intermediates: poolOf(u[1:]), CurrentTime: now})
		var ci x509.CertificateInvalidError
		if errors.As(err, &ci) && ci.Reason == x509.IncompatibleUsage {
			f.add(CertWrongUsage, "a CA certificate of its chain does not allow server authentication")
		}
	}
	return f
}

// trustedChain returns a chain from certs[0] to one of the roots, ignoring
// the host name, the key usage and the validity of the presented
// certificates (the roots must be valid now), with the presented
// certificates as given; nil when there is none.
func (v *verifier) trustedChain(certs []*x509.Certificate, now time.Time) []*x509.Certificate {
	u := undated(certs)
	chains, err := u[0].Verify(x509.VerifyOptions{Roots: v.roots, Intermediates: poolOf(u[1:]), CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return nil
	}
	original := make(map[*x509.Certificate]*x509.Certificate, len(certs))
	for i, c := range u {
		original[c] = certs[i]
	}
	chain := slices.Clone(chains[0])
	for i, c := range chain {
		if o, ok := original[c]; ok {
			chain[i] = o
		}
	}
	return chain
}

// verifyRelaxed runs the x509 verification again with only the checks of
// the ignored classes relaxed: no host name for CertCNMismatch, any usage
// for CertWrongUsage, the presented certificates' validity for
// CertInvalidDate, and for CertUntrustedRoot the last presented
// certificate as the root (so the presented chain must still be signed
// link by link).
func (v *verifier) verifyRelaxed(certs []*x509.Certificate, host string, now time.Time, relax CertFailure) error {
	if relax&CertInvalidDate != 0 {
		certs = undated(certs)
	}
	opts := x509.VerifyOptions{Roots: v.roots, Intermediates: poolOf(certs[1:]), DNSName: host, CurrentTime: now}
	if relax&CertCNMismatch != 0 {
		opts.DNSName = ""
	}
	if relax&CertWrongUsage != 0 {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	if relax&CertUntrustedRoot != 0 {
		last := len(certs) - 1
		opts.Roots = poolOf(certs[last:])
		opts.Intermediates = poolOf(certs[1:max(1, last)])
	}
	_, err := certs[0].Verify(opts)
	return err
}

// undated returns copies of certs valid at any time. crypto/x509 checks a
// certificate's validity from its NotBefore and NotAfter fields and its
// signatures from its raw bytes, so the copies chain exactly as the
// originals do, whatever the moment. (With the system roots on macOS and
// Windows, crypto/x509 asks the platform, which reads the raw bytes: there
// the date is not neutralised, and a chain of an expired certificate
// counts as untrusted too.)
func undated(certs []*x509.Certificate) []*x509.Certificate {
	out := make([]*x509.Certificate, len(certs))
	for i, c := range certs {
		cp := *c
		cp.NotBefore, cp.NotAfter = time.Time{}, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
		out[i] = &cp
	}
	return out
}

func poolOf(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// allowsServerAuth reports whether the leaf's extended key usage allows
// server authentication, as crypto/x509 decides it: no extension at all
// means any usage.
func allowsServerAuth(c *x509.Certificate) bool {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return true
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageServerAuth || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}

func subject(c *x509.Certificate) string {
	if s := c.Subject.String(); s != "" {
		return `"` + s + `"`
	}
	return "a certificate with an empty subject"
}

func issuer(c *x509.Certificate) string {
	if s := c.Issuer.String(); s != "" {
		return `"` + s + `"`
	}
	return "an empty issuer"
}

func hostNames(c *x509.Certificate) string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		if c.Subject.CommonName != "" {
			return fmt.Sprintf("no subject alternative names; its CN %q is not used as a host name", c.Subject.CommonName)
		}
		return "no host names"
	}
	return strings.Join(names, ", ")
}

var ekuNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "any",
	x509.ExtKeyUsageServerAuth:      "serverAuth",
	x509.ExtKeyUsageClientAuth:      "clientAuth",
	x509.ExtKeyUsageCodeSigning:     "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection",
	x509.ExtKeyUsageTimeStamping:    "timeStamping",
	x509.ExtKeyUsageOCSPSigning:     "OCSPSigning",
	x509.ExtKeyUsageIPSECEndSystem:  "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel:     "ipsecTunnel",
	x509.ExtKeyUsageIPSECUser:       "ipsecUser",
}

func usageNames(c *x509.Certificate) string {
	var names []string
	for _, u := range c.ExtKeyUsage {
		if n, ok := ekuNames[u]; ok {
			names = append(names, n)
		} else {
			names = append(names, fmt.Sprintf("ExtKeyUsage(%d)", int(u)))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		names = append(names, oid.String())
	}
	return strings.Join(names, ", ")
}
