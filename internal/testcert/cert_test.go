package testcert_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/wsgo/wsgo/internal/testcert"
)

func TestChainVerifies(t *testing.T) {
	for _, key := range []testcert.KeyType{testcert.ECDSAP256, testcert.RSA2048} {
		t.Run(key.String(), func(t *testing.T) {
			root := testcert.NewRoot(t, testcert.Options{CommonName: "chain root " + key.String(), Key: key})
			mid := root.Intermediate(t, testcert.Options{CommonName: "chain mid " + key.String(), Key: key})
			leaf := mid.Leaf(t, testcert.Options{CommonName: "chain leaf " + key.String(), Key: key, DNSNames: []string{"svc.test"}})
			if len(leaf.Chain) != 1 || leaf.Chain[0] != mid.Cert {
				t.Fatalf("leaf chain %v, want the intermediate", leaf.Chain)
			}
			inter := x509.NewCertPool()
			inter.AddCert(mid.Cert)
			chains, err := leaf.Cert.Verify(x509.VerifyOptions{Roots: root.Pool(), Intermediates: inter, DNSName: "svc.test"})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(chains[0]); got != 3 {
				t.Errorf("chain of %d certificates, want 3", got)
			}
			switch key {
			case testcert.RSA2048:
				if _, ok := leaf.Key.(*rsa.PrivateKey); !ok {
					t.Errorf("key %T, want RSA", leaf.Key)
				}
				if leaf.Cert.KeyUsage&x509.KeyUsageKeyEncipherment == 0 {
					t.Error("RSA leaf without key encipherment")
				}
			case testcert.ECDSAP256:
				if _, ok := leaf.Key.(*ecdsa.PrivateKey); !ok {
					t.Errorf("key %T, want ECDSA", leaf.Key)
				}
			}
			// An intermediate below an intermediate carries both.
			mid2 := mid.Intermediate(t, testcert.Options{CommonName: "chain mid2 " + key.String()})
			leaf2 := mid2.Leaf(t, testcert.Options{})
			if len(leaf2.Chain) != 2 || leaf2.Chain[0] != mid2.Cert || leaf2.Chain[1] != mid.Cert {
				t.Errorf("two-level chain %v", leaf2.Chain)
			}
		})
	}
}

func TestDefaultsAndOptions(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{})
	if !root.Cert.IsCA || root.Cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("root: IsCA %v, key usage %v", root.Cert.IsCA, root.Cert.KeyUsage)
	}
	def := root.Leaf(t, testcert.Options{})
	if def.Cert.IsCA || def.Cert.VerifyHostname("localhost") != nil || def.Cert.VerifyHostname("127.0.0.1") != nil || def.Cert.VerifyHostname("::1") != nil {
		t.Errorf("default leaf: IsCA %v, names %v %v", def.Cert.IsCA, def.Cert.DNSNames, def.Cert.IPAddresses)
	}
	if len(def.Cert.ExtKeyUsage) != 1 || def.Cert.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("default leaf EKU %v, want serverAuth", def.Cert.ExtKeyUsage)
	}
	past := time.Now().Add(-48 * time.Hour)
	custom := root.Leaf(t, testcert.Options{
		CommonName: "client", Organization: "wsgo", IPs: []net.IP{net.ParseIP("10.1.2.3")},
		NotBefore: past, NotAfter: past.Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	})
	c := custom.Cert
	if c.Subject.CommonName != "client" || len(c.Subject.Organization) != 1 || c.VerifyHostname("10.1.2.3") != nil || len(c.DNSNames) != 0 {
		t.Errorf("custom leaf subject %v names %v %v", c.Subject, c.DNSNames, c.IPAddresses)
	}
	if !c.NotAfter.Before(time.Now()) || c.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth || c.KeyUsage&x509.KeyUsageContentCommitment == 0 {
		t.Errorf("custom leaf validity %v..%v EKU %v KU %v", c.NotBefore, c.NotAfter, c.ExtKeyUsage, c.KeyUsage)
	}
	bare := root.Leaf(t, testcert.Options{NoExtKeyUsage: true, NoSANs: true})
	if len(bare.Cert.ExtKeyUsage) != 0 || len(bare.Cert.DNSNames)+len(bare.Cert.IPAddresses) != 0 {
		t.Errorf("bare leaf EKU %v names %v %v", bare.Cert.ExtKeyUsage, bare.Cert.DNSNames, bare.Cert.IPAddresses)
	}
	self := testcert.SelfSigned(t, testcert.Options{CommonName: "self"})
	if err := self.Cert.CheckSignatureFrom(self.Cert); err == nil {
		t.Error("a self-signed leaf is not a CA, so CheckSignatureFrom should refuse it as a parent")
	}
	if err := self.Cert.CheckSignature(self.Cert.SignatureAlgorithm, self.Cert.RawTBSCertificate, self.Cert.Signature); err != nil {
		t.Errorf("self-signed leaf does not verify with its own key: %v", err)
	}
	zero := root.Intermediate(t, testcert.Options{CommonName: "no sub-CAs", MaxPathLenZero: true})
	if zero.Cert.MaxPathLen != 0 || !zero.Cert.MaxPathLenZero {
		t.Errorf("MaxPathLenZero lost: %d %v", zero.Cert.MaxPathLen, zero.Cert.MaxPathLenZero)
	}
}

// RSA keys are cached by CommonName: the same name gives the same key, a
// different name a different one.
func TestRSAKeyCache(t *testing.T) {
	a1 := testcert.NewRoot(t, testcert.Options{CommonName: "cache A", Key: testcert.RSA2048})
	a2 := testcert.NewRoot(t, testcert.Options{CommonName: "cache A", Key: testcert.RSA2048})
	b := testcert.NewRoot(t, testcert.Options{CommonName: "cache B", Key: testcert.RSA2048})
	if !a1.Key.(*rsa.PrivateKey).Equal(a2.Key) {
		t.Error("same CommonName, different RSA keys")
	}
	if a1.Key.(*rsa.PrivateKey).Equal(b.Key) {
		t.Error("different CommonNames, same RSA key")
	}
	if a1.Cert.SerialNumber.Cmp(a2.Cert.SerialNumber) == 0 {
		t.Error("two certificates with one serial number")
	}
	e1 := testcert.NewRoot(t, testcert.Options{CommonName: "cache A"})
	e2 := testcert.NewRoot(t, testcert.Options{CommonName: "cache A"})
	if e1.Key.(*ecdsa.PrivateKey).Equal(e2.Key) {
		t.Error("ECDSA keys are meant to be fresh per certificate")
	}
}

func TestPEMAndFiles(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "pem root"})
	mid := root.Intermediate(t, testcert.Options{CommonName: "pem mid"})
	leaf := mid.Leaf(t, testcert.Options{CommonName: "pem/leaf"})

	var blocks []*pem.Block
	for rest := leaf.CertPEM(); ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		blocks = append(blocks, b)
	}
	if len(blocks) != 2 || !bytes.Equal(blocks[0].Bytes, leaf.Cert.Raw) || !bytes.Equal(blocks[1].Bytes, mid.Cert.Raw) {
		t.Fatalf("leaf PEM holds %d blocks, want leaf then intermediate", len(blocks))
	}
	certFile, keyFile := leaf.WriteFiles(t)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(pair.Certificate) != 2 || !pair.Leaf.Equal(leaf.Cert) {
		t.Errorf("loaded pair: %d certificates", len(pair.Certificate))
	}
	caFile := root.WriteCert(t)
	data, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, root.CertPEM()) {
		t.Error("CA file differs from CertPEM")
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, %v", fi.Mode(), err)
	}
	if b, _ := pem.Decode(root.KeyPEM(t)); b == nil || b.Type != "PRIVATE KEY" {
		t.Error("CA key PEM is not a PKCS#8 PRIVATE KEY block")
	}
}

// The generated certificates serve a real TLS handshake: server
// certificate with its intermediate, client certificate checked by the
// server.
func TestHandshake(t *testing.T) {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "hs root"})
	mid := root.Intermediate(t, testcert.Options{CommonName: "hs mid"})
	server := mid.Leaf(t, testcert.Options{CommonName: "hs server", Key: testcert.RSA2048})
	client := root.Leaf(t, testcert.Options{CommonName: "hs client", ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})

	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{server.TLSCertificate()},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    root.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		_, err = c.Write([]byte("ok"))
		done <- err
	}()
	conn, err := tls.Dial("tcp", ln.Addr().String(), &tls.Config{
		RootCAs: root.Pool(), ServerName: "localhost", Certificates: []tls.Certificate{client.TLSCertificate()},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got, err := io.ReadAll(io.LimitReader(conn, 2))
	if err != nil || string(got) != "ok" {
		t.Fatalf("read %q, %v", got, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if pc := conn.ConnectionState().PeerCertificates; len(pc) != 2 {
		t.Errorf("server presented %d certificates, want leaf and intermediate", len(pc))
	}
}
