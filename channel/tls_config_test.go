package channel

import (
	"crypto/tls"
	"crypto/x509"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// clientTLSConfig merges WithTLSConfig and WithTransportSecurity field by
// field.
func TestClientTLSConfigMerge(t *testing.T) {
	poolA, poolB := x509.NewCertPool(), x509.NewCertPool()
	certA, certB := tls.Certificate{Certificate: [][]byte{{1}}}, tls.Certificate{Certificate: [][]byte{{2}}}
	getCert := func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &certA, nil }
	base := &tls.Config{RootCAs: poolA, Certificates: []tls.Certificate{certA}, GetClientCertificate: getCert,
		MinVersion: tls.VersionTLS13, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}

	t.Run("neither", func(t *testing.T) {
		s := newSettings(nil)
		c, err := s.clientTLSConfig("svc.example")
		if err != nil || c.ServerName != "svc.example" || c.InsecureSkipVerify || c.VerifyConnection != nil {
			t.Errorf("%+v, %v", c, err)
		}
	})
	t.Run("WithTLSConfig only", func(t *testing.T) {
		s := newSettings([]Option{WithTLSConfig(&tls.Config{ServerName: "pinned.example", RootCAs: poolA})})
		c, err := s.clientTLSConfig("svc.example")
		if err != nil || c.ServerName != "pinned.example" || c.RootCAs != poolA || c.VerifyConnection != nil {
			t.Errorf("%+v, %v", c, err)
		}
	})
	t.Run("WithTransportSecurity only", func(t *testing.T) {
		s := newSettings([]Option{WithTransportSecurity(security.TLS{RootCAs: poolB, Certificates: []tls.Certificate{certB}})})
		c, err := s.clientTLSConfig("svc.example")
		if err != nil {
			t.Fatal(err)
		}
		if c.RootCAs != poolB || len(c.Certificates) != 1 || c.MinVersion != tls.VersionTLS12 || c.ServerName != "svc.example" ||
			!c.InsecureSkipVerify || c.VerifyConnection == nil {
			t.Errorf("%+v", c)
		}
	})
	t.Run("both, transport security sets nothing", func(t *testing.T) {
		s := newSettings([]Option{WithTLSConfig(base), WithTransportSecurity(security.TLS{})})
		c, err := s.clientTLSConfig("svc.example")
		if err != nil {
			t.Fatal(err)
		}
		if c.RootCAs != poolA || len(c.Certificates) != 1 || c.Certificates[0].Certificate[0][0] != 1 || c.GetClientCertificate == nil ||
			c.MinVersion != tls.VersionTLS13 || len(c.CipherSuites) != 1 || c.VerifyConnection == nil {
			t.Errorf("%+v", c)
		}
	})
	t.Run("both, transport security wins", func(t *testing.T) {
		s := newSettings([]Option{WithTLSConfig(base), WithTransportSecurity(security.TLS{RootCAs: poolB,
			Certificates: []tls.Certificate{certB}, MinVersion: tls.VersionTLS12, ServerName: "override.example"})})
		c, err := s.clientTLSConfig("svc.example")
		if err != nil {
			t.Fatal(err)
		}
		if c.RootCAs != poolB || len(c.Certificates) != 1 || c.Certificates[0].Certificate[0][0] != 2 || c.GetClientCertificate != nil ||
			c.MinVersion != tls.VersionTLS12 || c.ServerName != "override.example" || len(c.CipherSuites) != 1 {
			t.Errorf("%+v", c)
		}
		if base.GetClientCertificate == nil || base.RootCAs != poolA || base.ServerName != "" {
			t.Error("the caller's tls.Config was changed")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		s := newSettings([]Option{WithTransportSecurity(security.TLS{MinVersion: 0x0200})})
		if _, err := s.clientTLSConfig("svc.example"); errors.CodeOf(err) != errors.InvalidArgument {
			t.Errorf("%v, want InvalidArgument", err)
		}
	})
	t.Run("option copies certificates", func(t *testing.T) {
		certs := []tls.Certificate{certA}
		opt := WithTransportSecurity(security.TLS{Certificates: certs})
		certs[0] = certB
		s := newSettings([]Option{opt})
		if s.transportSecurity.Certificates[0].Certificate[0][0] != 1 {
			t.Error("the option shares the caller's Certificates slice")
		}
	})
}
