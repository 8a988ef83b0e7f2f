package wssec

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"
)

// testPKI is a CA, a signing certificate it issued, and a self-signed
// certificate nobody trusts, generated once per test binary.
type testPKI struct {
	caKey    *rsa.PrivateKey
	ca       *x509.Certificate
	key      *rsa.PrivateKey
	cert     *x509.Certificate
	rogueKey *rsa.PrivateKey
	rogue    *x509.Certificate
	expired  *x509.Certificate // issued by ca for key, expired
}

var (
	pkiOnce sync.Once
	pki     testPKI
	pkiErr  error
)

func keys(t testing.TB) *testPKI {
	t.Helper()
	pkiOnce.Do(func() { pkiErr = pki.generate() })
	if pkiErr != nil {
		t.Fatalf("generate test certificates: %v", pkiErr)
	}
	return &pki
}

func (p *testPKI) generate() error {
	var err error
	gen := func() *rsa.PrivateKey {
		if err != nil {
			return nil
		}
		var k *rsa.PrivateKey
		k, err = rsa.GenerateKey(rand.Reader, 2048)
		return k
	}
	p.caKey, p.key, p.rogueKey = gen(), gen(), gen()
	if err != nil {
		return err
	}
	now := time.Now()
	tmpl := func(serial int64, cn string, ca bool, from, to time.Time) *x509.Certificate {
		return &x509.Certificate{
			SerialNumber:          big.NewInt(serial),
			Subject:               pkix.Name{CommonName: cn},
			NotBefore:             from,
			NotAfter:              to,
			IsCA:                  ca,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		}
	}
	issue := func(tm, parent *x509.Certificate, pub *rsa.PublicKey, signer *rsa.PrivateKey) *x509.Certificate {
		if err != nil {
			return nil
		}
		var der []byte
		der, err = x509.CreateCertificate(rand.Reader, tm, parent, pub, signer)
		if err != nil {
			return nil
		}
		var c *x509.Certificate
		c, err = x509.ParseCertificate(der)
		return c
	}
	caT := tmpl(1, "wssec test CA", true, now.Add(-time.Hour), now.Add(24*time.Hour))
	p.ca = issue(caT, caT, &p.caKey.PublicKey, p.caKey)
	p.cert = issue(tmpl(2, "wssec signer", false, now.Add(-time.Hour), now.Add(24*time.Hour)), p.ca, &p.key.PublicKey, p.caKey)
	p.expired = issue(tmpl(3, "wssec expired", false, now.Add(-48*time.Hour), now.Add(-24*time.Hour)), p.ca, &p.key.PublicKey, p.caKey)
	rogueT := tmpl(4, "wssec rogue", false, now.Add(-time.Hour), now.Add(24*time.Hour))
	p.rogue = issue(rogueT, rogueT, &p.rogueKey.PublicKey, p.rogueKey)
	return err
}

func (p *testPKI) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return pool
}
