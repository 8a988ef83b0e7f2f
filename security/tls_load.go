package security

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"slices"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// LoadRootCAs reads trusted root certificates from PEM files (several
// certificates per file allowed; a file holding one DER certificate is
// read too) into a new pool, for TLS.RootCAs. The pool holds only these
// certificates, not the system's roots. An unreadable file fails with
// InvalidArgument, a file that holds no certificate or a malformed one
// with InvalidFormat, each naming the file.
func LoadRootCAs(pemFiles ...string) (*x509.CertPool, error) {
	if len(pemFiles) == 0 {
		return nil, errors.Errorf(errors.InvalidArgument, "no CA certificate file given")
	}
	pool := x509.NewCertPool()
	for _, name := range pemFiles {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, errors.Errorf(errors.InvalidArgument, "CA certificate file %q: %w", name, err)
		}
		certs, err := parseCertificates(name, "CA certificate file", data, true)
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	return pool, nil
}

// LoadClientCertificate reads a client certificate for mutual TLS from a
// PEM certificate file (the certificate, then any intermediates) and a PEM
// private key file (PKCS#1, PKCS#8 or SEC 1, not encrypted); both may be
// the same file. Errors name the file and what is wrong with it: missing,
// no certificate, an encrypted key, a key that does not belong to the
// certificate.
func LoadClientCertificate(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, errors.Errorf(errors.InvalidArgument, "client certificate file %q: %w", certFile, err)
	}
	if _, err := parseCertificates(certFile, "client certificate file", certPEM, false); err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, errors.Errorf(errors.InvalidArgument, "private key file %q: %w", keyFile, err)
	}
	if err := checkKeyPEM(keyFile, keyPEM); err != nil {
		return tls.Certificate{}, err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, errors.Errorf(errors.InvalidArgument,
			"client certificate %q with private key %q: %w; check that the key file is the certificate's own key", certFile, keyFile, err)
	}
	return cert, nil
}

// parseCertificates parses every CERTIFICATE block of a PEM file's data,
// or (when allowDER) the data as one DER certificate if it holds no PEM at
// all.
func parseCertificates(name, what string, data []byte, allowDER bool) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	var others []string
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			if !slices.Contains(others, block.Type) {
				others = append(others, block.Type)
			}
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, errors.Errorf(errors.InvalidFormat, "%s %q: PEM block %d is not a valid certificate: %w", what, name, n, err)
		}
		certs = append(certs, c)
	}
	if len(certs) > 0 {
		return certs, nil
	}
	if len(others) > 0 {
		return nil, errors.Errorf(errors.InvalidFormat,
			"%s %q holds no CERTIFICATE block, only %s; is it the wrong file?", what, name, strings.Join(others, ", "))
	}
	if !allowDER {
		return nil, errors.Errorf(errors.InvalidFormat,
			"%s %q holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with openssl x509 -inform der", what, name)
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		return []*x509.Certificate{c}, nil
	}
	return nil, errors.Errorf(errors.InvalidFormat,
		"%s %q holds neither a PEM certificate (-----BEGIN CERTIFICATE-----) nor a DER one", what, name)
}

// checkKeyPEM gives the private key file's common mistakes a message of
// their own: no PEM, an encrypted key, a certificate in its place.
func checkKeyPEM(name string, data []byte) error {
	var types []string
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return errors.Errorf(errors.InvalidArgument,
				"private key file %q holds an encrypted key, which is not supported; decrypt it first (openssl pkey -in %s -out plain-key.pem)", name, name)
		}
		if strings.HasSuffix(block.Type, "PRIVATE KEY") {
			return nil
		}
		types = append(types, block.Type)
	}
	if len(types) > 0 {
		return errors.Errorf(errors.InvalidFormat,
			"private key file %q holds no PRIVATE KEY block, only %s; is it the wrong file?", name, strings.Join(types, ", "))
	}
	return errors.Errorf(errors.InvalidFormat, "private key file %q holds no PEM private key (-----BEGIN PRIVATE KEY-----)", name)
}
