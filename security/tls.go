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

// CertFailure is a set of certificate failure classes, WWSAPI's
// WS_CERT_FAILURE_* flags with their values. A channel fails a TLS
// handshake with the class's own code (CertCNNoMatch, CertExpired,
// CertUntrustedRoot, CertWrongUsage, CertRevocationOffline) unless the
// class is in its TLS.IgnoreCertFailures.
type CertFailure uint32

// The certificate failure classes.
const (
	// CertCNMismatch: the certificate does not name the host.
	CertCNMismatch CertFailure = 0x01
	// CertInvalidDate: the certificate (or one in its chain) is expired
	// or not yet valid.
	CertInvalidDate CertFailure = 0x02
	// CertUntrustedRoot: the chain does not lead to a trusted root.
	CertUntrustedRoot CertFailure = 0x04
	// CertWrongUsage: the certificate is not for server (or client)
	// authentication.
	CertWrongUsage CertFailure = 0x08
	// CertRevocationOffline: revocation could not be checked. Go checks
	// no revocation, so this class is never raised; WWSAPI ignores it by
	// default.
	CertRevocationOffline CertFailure = 0x10
)

// TLS is a client channel's transport security, WWSAPI's
// WS_SSL_TRANSPORT_SECURITY_BINDING with its client properties.
type TLS struct {
	// RootCAs are the roots the server's chain must lead to; nil uses the
	// system roots.
	RootCAs *x509.CertPool
	// Certificates are client certificates for mutual TLS.
	Certificates []tls.Certificate
	// MinVersion is the lowest TLS version accepted (tls.VersionTLS12,
	// ...); zero means TLS 1.2.
	MinVersion uint16
	// ServerName overrides the host name the certificate must name; empty
	// uses the URL's host.
	ServerName string
	// IgnoreCertFailures lists the failure classes to accept, each on its
	// own: ignoring CertInvalidDate still rejects a certificate for
	// another host.
	IgnoreCertFailures CertFailure
}

// certClasses lists the failure classes from the most severe down: a
// rejected certificate reports the code of the first one it fails.
var certClasses = []struct {
	flag CertFailure
	name string   // the name ParseCertFailures and String use
	alts []string // other names ParseCertFailures accepts
}{
	{CertUntrustedRoot, "untrusted-root", []string{"root", "ca"}},
	{CertInvalidDate, "expired", []string{"date"}},
	{CertCNMismatch, "cn", []string{"name"}},
	{CertWrongUsage, "usage", nil},
	{CertRevocationOffline, "revocation", nil},
}

// allCertFailures is the union of the defined classes.
const allCertFailures = CertCNMismatch | CertInvalidDate | CertUntrustedRoot | CertWrongUsage | CertRevocationOffline

// String lists the classes by the names ParseCertFailures reads, comma
// separated, most severe first ("untrusted-root,expired"); "none" for the
// empty set. Undefined bits appear as a hexadecimal remainder.
func (f CertFailure) String() string {
	if f == 0 {
		return "none"
	}
	var b strings.Builder
	for _, c := range certClasses {
		if f&c.flag != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(c.name)
		}
	}
	if rest := f &^ allCertFailures; rest != 0 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "0x%x", uint32(rest))
	}
	return b.String()
}

// ParseCertFailures reads a comma-separated list of certificate failure
// classes, as a command line gives them (wssend -ignore-cert): "expired"
// (or "date"), "cn" (or "name"), "untrusted-root" (or "root", "ca"),
// "usage", "revocation". Case and spaces around names do not matter; an
// empty list is the empty set. There is deliberately no "all": each class
// weakens the check in its own way, and accepting every failure at once
// would accept any certificate, so each must be named.
func ParseCertFailures(list string) (CertFailure, error) {
	var f CertFailure
	for _, field := range strings.Split(list, ",") {
		name := strings.ToLower(strings.TrimSpace(field))
		if name == "" {
			continue
		}
		flag, ok := certFailureNamed(name)
		if !ok {
			if name == "all" || name == "any" || name == "*" {
				return 0, errors.Errorf(errors.InvalidArgument,
					"certificate failure class %q: there is no way to ignore every certificate failure at once; name each class to ignore (%s)", field, certClassNames())
			}
			return 0, errors.Errorf(errors.InvalidArgument,
				"unknown certificate failure class %q; the classes are %s", field, certClassNames())
		}
		f |= flag
	}
	return f, nil
}

func certFailureNamed(name string) (CertFailure, bool) {
	for _, c := range certClasses {
		if name == c.name || slices.Contains(c.alts, name) {
			return c.flag, true
		}
	}
	return 0, false
}

func certClassNames() string {
	names := make([]string, 0, len(certClasses))
	for _, c := range certClasses {
		n := c.name
		if len(c.alts) > 0 {
			n += " (or " + strings.Join(c.alts, ", ") + ")"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}

// ClientConfig returns the crypto/tls configuration of a client that
// connects to serverName (the host of the service's address; t.ServerName
// replaces it when set): t's roots (nil: the system's), client
// certificates and minimum version (zero: TLS 1.2), with the server's
// certificate checked by this package rather than by crypto/tls.
//
// The check is crypto/tls's own (the same x509 verification with the same
// options) when it passes. When it fails, every failure class of the
// presented chain is found separately (a certificate can be both expired
// and for another host), and the handshake fails with a *CertError whose
// code is that of the most severe class not in t.IgnoreCertFailures,
// unless all of them are ignored; even then the rest of the verification
// is run again with only the ignored checks relaxed, so ignoring one class
// never accepts a failure of another. A server that presents no
// certificate is always rejected.
//
// Revocation is not checked (Go has no revocation checking), so
// CertRevocationOffline is never raised; ignoring it, as WWSAPI does by
// default, changes nothing.
//
// The returned configuration is InsecureSkipVerify with a VerifyConnection
// callback: InsecureSkipVerify only turns off crypto/tls's built-in check,
// which the callback replaces. Do not clear it and keep VerifyConnection,
// or the chain would be verified twice, the second time without the
// ignored classes.
//
// When neither serverName nor t.ServerName is given, the certificate is
// checked against the name the connection sent in its server name
// indication (net/http fills it from the request's host); a connection
// without one (to an IP address) is then rejected, as there is no name to
// check.
func (t *TLS) ClientConfig(serverName string) (*tls.Config, error) {
	if t.ServerName != "" {
		serverName = t.ServerName
	}
	minVersion := t.MinVersion
	switch minVersion {
	case 0:
		minVersion = tls.VersionTLS12
	case tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13:
	default:
		return nil, errors.Errorf(errors.InvalidArgument,
			"TLS.MinVersion 0x%04x is not a TLS version; use tls.VersionTLS12 or tls.VersionTLS13", t.MinVersion)
	}
	if rest := t.IgnoreCertFailures &^ allCertFailures; rest != 0 {
		return nil, errors.Errorf(errors.InvalidArgument,
			"TLS.IgnoreCertFailures has undefined bits 0x%x; use the Cert* constants", uint32(rest))
	}
	v := &verifier{roots: t.RootCAs, name: serverName, ignore: t.IgnoreCertFailures, now: time.Now}
	return &tls.Config{
		RootCAs:            t.RootCAs,
		Certificates:       slices.Clone(t.Certificates),
		MinVersion:         minVersion,
		ServerName:         serverName,
		InsecureSkipVerify: true, // replaced by VerifyConnection, see above
		VerifyConnection:   v.verifyConnection,
	}, nil
}
