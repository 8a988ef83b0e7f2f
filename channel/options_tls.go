package channel

import (
	"crypto/tls"

	"github.com/wsgo/wsgo/security"
)

// WithTransportSecurity sets the TLS transport security of https
// addresses (WWSAPI's WS_SSL_TRANSPORT_SECURITY_BINDING with its client
// properties): the trusted roots, client certificates for mutual TLS, the
// minimum version (TLS 1.2 by default), the name the server's certificate
// must carry, and the certificate failure classes to accept
// (t.IgnoreCertFailures, each class on its own). A server certificate
// that fails a class not ignored fails the exchange with that class's
// code: CertUntrustedRoot, CertExpired, CertCNNoMatch or CertWrongUsage.
//
// WithTLSConfig remains the low-level way to set anything else of
// crypto/tls (cipher suites, session cache, key log). When both are given,
// the fields t sets win (RootCAs, Certificates, MinVersion, ServerName:
// each when non-zero), the others come from the tls.Config, and the
// server certificate is always checked by t's rules: an InsecureSkipVerify
// of the tls.Config is then overridden, its own VerifyConnection runs
// after t's check has passed, and its VerifyPeerCertificate (which
// crypto/tls calls first) receives no verified chains. Neither applies with WithRoundTripper, whose
// round tripper owns its connections.
func WithTransportSecurity(t security.TLS) Option {
	t.Certificates = append([]tls.Certificate(nil), t.Certificates...)
	return func(s *settings) { s.transportSecurity = &t }
}

// clientTLSConfig returns the TLS configuration of a connection to
// serverName (the address's host, without port): WithTLSConfig's, merged
// with WithTransportSecurity's as WithTransportSecurity describes. Without
// either, it is crypto/tls's defaults for serverName.
func (s *settings) clientTLSConfig(serverName string) (*tls.Config, error) {
	c := &tls.Config{}
	if s.tlsConfig != nil {
		c = s.tlsConfig.Clone()
	}
	if s.transportSecurity == nil {
		if c.ServerName == "" {
			c.ServerName = serverName
		}
		return c, nil
	}
	t := *s.transportSecurity
	if t.RootCAs == nil {
		t.RootCAs = c.RootCAs
	}
	if len(t.Certificates) == 0 {
		t.Certificates = c.Certificates
	} else {
		c.GetClientCertificate = nil // t's certificates win over the callback too
	}
	if t.MinVersion == 0 {
		t.MinVersion = c.MinVersion
	}
	if t.ServerName == "" {
		t.ServerName = c.ServerName
	}
	sec, err := t.ClientConfig(serverName)
	if err != nil {
		return nil, err
	}
	c.RootCAs = sec.RootCAs
	c.Certificates = sec.Certificates
	c.MinVersion = sec.MinVersion
	c.ServerName = sec.ServerName
	c.InsecureSkipVerify = sec.InsecureSkipVerify
	if own := c.VerifyConnection; own != nil {
		check := sec.VerifyConnection
		c.VerifyConnection = func(cs tls.ConnectionState) error {
			if err := check(cs); err != nil {
				return err
			}
			return own(cs)
		}
	} else {
		c.VerifyConnection = sec.VerifyConnection
	}
	return c, nil
}
