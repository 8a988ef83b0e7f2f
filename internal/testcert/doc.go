// Package testcert generates X.509 certificates in memory for tests: a
// root CA, intermediates, and leaf certificates with the properties a test
// needs (host names and IP addresses, validity window, key usages, the CA
// that signs them, an RSA 2048 or ECDSA P-256 key), as crypto/tls and
// crypto/x509 values, as PEM, or as files in the test's temporary
// directory.
//
//	root := testcert.NewRoot(t, testcert.Options{CommonName: "Test Root"})
//	leaf := root.Leaf(t, testcert.Options{DNSNames: []string{"localhost"}})
//	srv := httptest.NewUnstartedServer(handler)
//	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.TLSCertificate()}}
//	srv.StartTLS()
//	client := &tls.Config{RootCAs: root.Pool(), ServerName: "localhost"}
//
// ECDSA keys are generated for each certificate (fast). RSA key generation
// is slow, under -race especially, so RSA keys are cached for the process
// by CommonName: two certificates with the same CommonName and key type
// share a key, certificates with different names never do. Give an
// unrelated CA a CommonName of its own, or it would share the other's key
// (and key identifier) and verify as that CA.
//
// Every function takes a testing.TB and stops the test on failure, so a
// test reads as a list of certificates.
package testcert
