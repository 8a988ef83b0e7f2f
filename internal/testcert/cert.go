package testcert

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// Options describe a certificate. The zero value gives a certificate valid
// from an hour ago for a day, with an ECDSA P-256 key: for a leaf, server
// authentication for "localhost", 127.0.0.1 and ::1; for a CA, certificate
// and CRL signing.
type Options struct {
	// CommonName is the subject's CN. Empty: "localhost" for a leaf,
	// "wsgo Test Root CA" / "wsgo Test Intermediate CA" for CAs. RSA keys
	// are cached by this name (see the package doc).
	CommonName string
	// Organization is the subject's O, if any.
	Organization string
	// DNSNames and IPs are the subject alternative names. When both are
	// empty a leaf gets "localhost", 127.0.0.1 and ::1, unless NoSANs is
	// set; CAs get none.
	DNSNames []string
	IPs      []net.IP
	// NoSANs leaves the subject alternative names out, for a certificate
	// that names its host only in the CN (which Go ignores).
	NoSANs bool
	// NotBefore and NotAfter bound the validity. Zero: an hour ago and a
	// day from now. Set both in the past for an expired certificate, both
	// in the future for one not yet valid.
	NotBefore, NotAfter time.Time
	// ExtKeyUsage lists the extended key usages. Nil: server
	// authentication for a leaf, none (any usage) for a CA.
	ExtKeyUsage []x509.ExtKeyUsage
	// NoExtKeyUsage leaves the extension out even for a leaf (a
	// certificate for any usage, or a WS-Security signing certificate).
	NoExtKeyUsage bool
	// KeyUsage is the key usage bits. Zero: digital signature (plus key
	// encipherment for RSA) for a leaf, certificate and CRL signing for a
	// CA.
	KeyUsage x509.KeyUsage
	// Key is the key type; ECDSA P-256 by default.
	Key KeyType
	// MaxPathLen limits a CA's chain below it (x509.Certificate's
	// MaxPathLen semantics: 0 with MaxPathLenZero means no intermediates
	// below it). Ignored for leaves.
	MaxPathLen     int
	MaxPathLenZero bool
}

// Authority is a certificate authority: a root (self-signed) or an
// intermediate (signed by its parent).
type Authority struct {
	// Cert is the CA's certificate; Key its private key.
	Cert *x509.Certificate
	Key  crypto.Signer
	// parents are the intermediates above this one, nearest first, up to
	// and excluding the root.
	parents []*x509.Certificate
	root    bool
}

// Leaf is an end-entity certificate with its key and the intermediates
// between it and its root.
type Leaf struct {
	// Cert is the leaf certificate; Key its private key.
	Cert *x509.Certificate
	Key  crypto.Signer
	// Chain lists the intermediates from the leaf's issuer up to (not
	// including) the root, as a server presents them.
	Chain []*x509.Certificate
}

// NewRoot returns a self-signed root CA.
func NewRoot(tb testing.TB, o Options) *Authority {
	tb.Helper()
	if o.CommonName == "" {
		o.CommonName = "wsgo Test Root CA"
	}
	cert, key := create(tb, o, true, nil, nil)
	return &Authority{Cert: cert, Key: key, root: true}
}

// Intermediate returns a CA signed by a.
func (a *Authority) Intermediate(tb testing.TB, o Options) *Authority {
	tb.Helper()
	if o.CommonName == "" {
		o.CommonName = "wsgo Test Intermediate CA"
	}
	cert, key := create(tb, o, true, a.Cert, a.Key)
	var parents []*x509.Certificate
	if !a.root {
		parents = append([]*x509.Certificate{a.Cert}, a.parents...)
	}
	return &Authority{Cert: cert, Key: key, parents: parents}
}

// Leaf returns an end-entity certificate signed by a.
func (a *Authority) Leaf(tb testing.TB, o Options) *Leaf {
	tb.Helper()
	cert, key := create(tb, o, false, a.Cert, a.Key)
	var chain []*x509.Certificate
	if !a.root {
		chain = append([]*x509.Certificate{a.Cert}, a.parents...)
	}
	return &Leaf{Cert: cert, Key: key, Chain: chain}
}

// SelfSigned returns a leaf certificate that signs itself (no CA), as a
// server set up without a PKI presents.
func SelfSigned(tb testing.TB, o Options) *Leaf {
	tb.Helper()
	cert, key := create(tb, o, false, nil, nil)
	return &Leaf{Cert: cert, Key: key}
}

// Pool returns a certificate pool holding only a's certificate, to trust
// it as a root.
func (a *Authority) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.Cert)
	return p
}

// TLSCertificate returns the leaf as a tls.Certificate: the leaf and its
// intermediates, with the private key.
func (l *Leaf) TLSCertificate() tls.Certificate {
	c := tls.Certificate{PrivateKey: l.Key, Leaf: l.Cert}
	c.Certificate = append(c.Certificate, l.Cert.Raw)
	for _, ic := range l.Chain {
		c.Certificate = append(c.Certificate, ic.Raw)
	}
	return c
}

// create makes a certificate from o, signed by parent's key (self-signed
// when parent is nil).
func create(tb testing.TB, o Options, isCA bool, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, crypto.Signer) {
	tb.Helper()
	if o.CommonName == "" {
		o.CommonName = "localhost"
	}
	key, err := newKey(o.Key, o.CommonName)
	if err != nil {
		tb.Fatalf("testcert: %s key for %q: %v", o.Key, o.CommonName, err)
	}
	skid, err := keyID(key.Public())
	if err != nil {
		tb.Fatalf("testcert: key identifier for %q: %v", o.CommonName, err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		tb.Fatalf("testcert: serial number: %v", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: o.CommonName},
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotAfter,
		KeyUsage:              o.KeyUsage,
		ExtKeyUsage:           o.ExtKeyUsage,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		SubjectKeyId:          skid,
		DNSNames:              o.DNSNames,
		IPAddresses:           o.IPs,
	}
	if o.Organization != "" {
		tmpl.Subject.Organization = []string{o.Organization}
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = now.Add(-time.Hour)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = now.Add(24 * time.Hour)
	}
	if isCA {
		tmpl.MaxPathLen, tmpl.MaxPathLenZero = o.MaxPathLen, o.MaxPathLenZero
		if tmpl.KeyUsage == 0 {
			tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
		}
	} else {
		if tmpl.KeyUsage == 0 {
			tmpl.KeyUsage = x509.KeyUsageDigitalSignature
			if _, ok := key.(*rsa.PrivateKey); ok {
				tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
			}
		}
		if tmpl.ExtKeyUsage == nil && !o.NoExtKeyUsage {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		}
		if len(o.DNSNames) == 0 && len(o.IPs) == 0 && !o.NoSANs {
			tmpl.DNSNames = []string{"localhost"}
			tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
		}
	}
	if o.NoExtKeyUsage {
		tmpl.ExtKeyUsage = nil
	}
	signer, issuer := key, tmpl
	if parent != nil {
		signer, issuer = parentKey, parent
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, key.Public(), signer)
	if err != nil {
		tb.Fatalf("testcert: create certificate %q: %v", o.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatalf("testcert: parse certificate %q: %v", o.CommonName, err)
	}
	return cert, key
}
