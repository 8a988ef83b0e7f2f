package testcert

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CertPEM returns the CA's certificate as a PEM block.
func (a *Authority) CertPEM() []byte { return certPEM(a.Cert) }

// KeyPEM returns the CA's private key as a PKCS#8 PEM block.
func (a *Authority) KeyPEM(tb testing.TB) []byte {
	tb.Helper()
	return keyPEM(tb, a.Key)
}

// WriteCert writes the CA's certificate as PEM into a file of tb's
// temporary directory and returns its path.
func (a *Authority) WriteCert(tb testing.TB) string {
	tb.Helper()
	return writeFile(tb, tb.TempDir(), fileName(a.Cert)+"-ca.pem", a.CertPEM())
}

// CertPEM returns the leaf followed by its intermediates as PEM blocks, as
// a server's certificate file holds them.
func (l *Leaf) CertPEM() []byte {
	out := certPEM(l.Cert)
	for _, c := range l.Chain {
		out = append(out, certPEM(c)...)
	}
	return out
}

// KeyPEM returns the leaf's private key as a PKCS#8 PEM block.
func (l *Leaf) KeyPEM(tb testing.TB) []byte {
	tb.Helper()
	return keyPEM(tb, l.Key)
}

// WriteFiles writes the leaf's certificate chain and private key as PEM
// into two files of one new temporary directory of tb and returns their
// paths.
func (l *Leaf) WriteFiles(tb testing.TB) (certFile, keyFile string) {
	tb.Helper()
	dir, base := tb.TempDir(), fileName(l.Cert)
	return writeFile(tb, dir, base+"-cert.pem", l.CertPEM()), writeFile(tb, dir, base+"-key.pem", l.KeyPEM(tb))
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func keyPEM(tb testing.TB, k crypto.Signer) []byte {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		tb.Fatalf("testcert: encode private key: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// fileName makes a file name from a certificate's CN and serial number, so
// that files of different certificates never collide in one directory.
func fileName(c *x509.Certificate) string {
	cn := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, c.Subject.CommonName)
	serial := c.SerialNumber.Text(16)
	if len(serial) > 8 {
		serial = serial[:8]
	}
	return cn + "-" + serial
}

func writeFile(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatalf("testcert: %v", err)
	}
	return path
}
