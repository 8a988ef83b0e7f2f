package security_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/security"
)

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadRootCAs(t *testing.T) {
	a := testcert.NewRoot(t, testcert.Options{CommonName: "load root A"})
	b := testcert.NewRoot(t, testcert.Options{CommonName: "load root B"})
	c := testcert.NewRoot(t, testcert.Options{CommonName: "load root C"})
	leafA, leafB, leafC := a.Leaf(t, testcert.Options{}), b.Leaf(t, testcert.Options{}), c.Leaf(t, testcert.Options{})

	// Two roots in one file (with a comment and a key block around them),
	// a third as DER in another.
	bundle := append([]byte("# bundle\n"), a.CertPEM()...)
	bundle = append(bundle, a.KeyPEM(t)...)
	bundle = append(bundle, b.CertPEM()...)
	pool, err := security.LoadRootCAs(writeTemp(t, "bundle.pem", bundle), writeTemp(t, "c.der", c.Cert.Raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []*testcert.Leaf{leafA, leafB, leafC} {
		if _, err := l.Cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
			t.Errorf("leaf of %s: %v", l.Cert.Issuer.CommonName, err)
		}
	}
	// Only the given roots: another CA is not trusted.
	d := testcert.NewRoot(t, testcert.Options{CommonName: "load root D"})
	if _, err := d.Leaf(t, testcert.Options{}).Cert.Verify(x509.VerifyOptions{Roots: pool}); err == nil {
		t.Error("a CA not loaded is trusted")
	}

	garbled := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
	rows := []struct {
		name  string
		files []string
		code  errors.Code
		says  []string
	}{
		{"no files", nil, errors.InvalidArgument, []string{"no CA"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "absent.pem")}, errors.InvalidArgument, []string{"absent.pem", "no such file"}},
		{"empty file", []string{writeTemp(t, "empty.pem", nil)}, errors.InvalidFormat, []string{"empty.pem", "neither"}},
		{"text", []string{writeTemp(t, "text.pem", []byte("hello"))}, errors.InvalidFormat, []string{"text.pem"}},
		{"key file", []string{writeTemp(t, "key.pem", a.KeyPEM(t))}, errors.InvalidFormat, []string{"key.pem", "PRIVATE KEY", "wrong file"}},
		{"garbled certificate", []string{writeTemp(t, "good.pem", a.CertPEM()), writeTemp(t, "garbled.pem", append(a.CertPEM(), garbled...))},
			errors.InvalidFormat, []string{"garbled.pem", "block 2"}},
	}
	for _, r := range rows {
		_, err := security.LoadRootCAs(r.files...)
		if errors.CodeOf(err) != r.code {
			t.Errorf("%s: %v, want %v", r.name, err, r.code)
			continue
		}
		for _, s := range r.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", r.name, err, s)
			}
		}
	}
}

func TestLoadClientCertificate(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "load client root"})
	mid := root.Intermediate(t, testcert.Options{CommonName: "load client mid"})
	for _, key := range []testcert.KeyType{testcert.ECDSAP256, testcert.RSA2048} {
		leaf := mid.Leaf(t, testcert.Options{CommonName: "load client " + key.String(), Key: key})
		certFile, keyFile := leaf.WriteFiles(t)
		c, err := security.LoadClientCertificate(certFile, keyFile)
		if err != nil {
			t.Fatalf("%v: %v", key, err)
		}
		if len(c.Certificate) != 2 || c.Leaf == nil || !c.Leaf.Equal(leaf.Cert) {
			t.Errorf("%v: %d certificates, leaf %v", key, len(c.Certificate), c.Leaf != nil)
		}
		// Certificate and key in one file.
		both := writeTemp(t, "both.pem", append(leaf.CertPEM(), leaf.KeyPEM(t)...))
		if _, err := security.LoadClientCertificate(both, both); err != nil {
			t.Errorf("%v, one file: %v", key, err)
		}
	}

	leaf := root.Leaf(t, testcert.Options{CommonName: "load client"})
	other := root.Leaf(t, testcert.Options{CommonName: "load other"})
	certFile, keyFile := leaf.WriteFiles(t)
	_, otherKey := other.WriteFiles(t)
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}})
	legacyEncrypted := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{
		"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00000000000000000000000000000000"}, Bytes: []byte{1, 2, 3}})
	rows := []struct {
		name          string
		certFile, key string
		code          errors.Code
		says          []string
	}{
		{"missing certificate", filepath.Join(t.TempDir(), "nocert.pem"), keyFile, errors.InvalidArgument, []string{"nocert.pem"}},
		{"missing key", certFile, filepath.Join(t.TempDir(), "nokey.pem"), errors.InvalidArgument, []string{"nokey.pem"}},
		{"key as certificate", keyFile, keyFile, errors.InvalidFormat, []string{"PRIVATE KEY", "wrong file"}},
		{"certificate as key", certFile, certFile, errors.InvalidFormat, []string{"no PRIVATE KEY", "CERTIFICATE"}},
		{"DER certificate", writeTemp(t, "cert.der", leaf.Cert.Raw), keyFile, errors.InvalidFormat, []string{"cert.der", "DER"}},
		{"no PEM key", certFile, writeTemp(t, "junk.key", []byte("junk")), errors.InvalidFormat, []string{"junk.key"}},
		{"encrypted PKCS#8", certFile, writeTemp(t, "enc.key", encrypted), errors.InvalidArgument, []string{"enc.key", "encrypted"}},
		{"encrypted PKCS#1", certFile, writeTemp(t, "legacy.key", legacyEncrypted), errors.InvalidArgument, []string{"legacy.key", "encrypted"}},
		{"another certificate's key", certFile, otherKey, errors.InvalidArgument, []string{certFile, otherKey, "does not match"}},
	}
	for _, r := range rows {
		_, err := security.LoadClientCertificate(r.certFile, r.key)
		if errors.CodeOf(err) != r.code {
			t.Errorf("%s: %v, want %v", r.name, err, r.code)
			continue
		}
		for _, s := range r.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not say %q", r.name, err, s)
			}
		}
	}
}
