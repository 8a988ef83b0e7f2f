package security

import (
	"crypto/tls"
	"crypto/x509"
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
