package channel_test

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/wsgo/wsgo/internal/loopback"
)

// The misbehaving servers of the fault-injection suite: newRawServer, which
// answers each request with bytes written by hand on the TCP connection
// (for what net/http will not do: dripping, stalling, resetting, lying
// about the length), and httptest servers for the plain status rows.

// newRawServer starts a loopback server that reads one request per
// connection and hands the connection to answer (loopback.Once); the
// test's cleanup stops it, ending any answer that waits on stop and
// closing every connection.
func newRawServer(t *testing.T, answer func(c *net.TCPConn, req *http.Request, stop <-chan struct{})) *loopback.Server {
	t.Helper()
	return loopback.Listen(t, loopback.Once(answer))
}

// writeHead writes a status line and headers (Connection: close added).
func writeHead(c net.Conn, status string, headers ...string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", status)
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	b.WriteString("Connection: close\r\n\r\n")
	_, err := c.Write(b.Bytes())
	return err
}

// statusServer answers every request with status, headers (name, value
// pairs) and body, through net/http.
func statusServer(t *testing.T, status int, body string, headers ...string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Add(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/svc"
}

// Reply envelopes the servers send.
const (
	soap11AddReply = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>` +
		`<AddResponse xmlns="http://example.com/calc"><result>3</result></AddResponse></s:Body></s:Envelope>`
	soap11Fault = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>` +
		`<faultcode>s:Server</faultcode><faultstring>the calculator is on fire</faultstring>` +
		`</s:Fault></s:Body></s:Envelope>`
	soap12Fault = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>` +
		`<env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value xmlns:c="http://example.com/calc">c:BadOperand</env:Value></env:Subcode></env:Code>` +
		`<env:Reason><env:Text xml:lang="en">operand b is not a number</env:Text></env:Reason>` +
		`</env:Fault></env:Body></env:Envelope>`
	htmlErrorPage = `<!DOCTYPE html><html><head><title>Gateway Login Required</title></head>` +
		`<body><h1>Please log in</h1></body></html>`
)

// gzipBomb returns a gzip stream that decodes to size bytes of zeros:
// one gzip member of 1 MiB of zeros, repeated (a multi-member stream
// decodes as the concatenation), so the test does not spend seconds
// compressing a gigabyte.
func gzipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	const member = 1 << 20
	var one bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&one, gzip.BestCompression)
	if _, err := zw.Write(make([]byte, member)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(one.Bytes(), int(size/member))
}

// gzipped compresses s.
func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return b.Bytes()
}

// testCA is a throwaway certificate authority for the TLS rows.
type testCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "wsgo test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{key: key, cert: cert, pool: pool}
}

// leaf issues a server certificate for 127.0.0.1, adjusted by edit.
func (ca *testCA) leaf(t *testing.T, edit func(*x509.Certificate)) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if edit != nil {
		edit(tmpl)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// tlsServer starts an HTTPS server answering soap11AddReply with cert.
func tlsServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(soapReplyHandler(soap11AddReply))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/svc"
}

// soapReplyHandler answers every request 200 with a SOAP 1.1 envelope.
func soapReplyHandler(envelope string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = io.WriteString(w, envelope)
	})
}
