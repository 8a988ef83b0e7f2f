package peers_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// tool runs a reference program (curl, klist, kinit) with env added and
// stdin as input, and fails the test when it fails.
func tool(t *testing.T, env []string, stdin string, args ...string) string {
	t.Helper()
	out, err := toolRun(env, stdin, args...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// toolRun runs a reference program and returns its combined output.
func toolRun(env []string, stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// backend is the tiny service behind the peers: 200 "ok" plus the path, and
// a record of the Authorization headers (none must reach it) and
// X-Remote-User headers it saw.
type backend struct {
	*httptest.Server
	mu    sync.Mutex
	auths []string
	users []string
}

// seen returns the Authorization and X-Remote-User headers seen so far.
func (b *backend) seen() (auths, users []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.auths...), append([]string(nil), b.users...)
}

func newBackend(t *testing.T, tls bool) *backend {
	t.Helper()
	b := &backend{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" {
			b.auths = append(b.auths, a)
		}
		if u := r.Header.Get("X-Remote-User"); u != "" {
			b.users = append(b.users, u)
		}
		b.mu.Unlock()
		fmt.Fprintf(w, "ok %s", r.URL.Path)
	})
	if tls {
		b.Server = httptest.NewTLSServer(h)
	} else {
		b.Server = httptest.NewServer(h)
	}
	t.Cleanup(b.Close)
	return b
}

// curlResult is what one curl run reported.
type curlResult struct {
	status int
	body   string
	trace  string // curl -v: the headers both ways
}

// curl runs curl with args plus the URL and returns the final status and
// body; it fails the test when curl itself fails (not on HTTP errors).
func curl(t *testing.T, env []string, args ...string) curlResult {
	t.Helper()
	dir := t.TempDir()
	bodyFile := filepath.Join(dir, "body")
	full := append([]string{"curl", "-sS", "-v", "--max-time", "30", "-o", bodyFile, "-w", "\nstatus=%{http_code}\n"}, args...)
	out, err := toolRun(env, "", full...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(full, " "), err, out)
	}
	i := strings.LastIndex(out, "\nstatus=")
	if i < 0 {
		t.Fatalf("curl printed no status:\n%s", out)
	}
	status, err := strconv.Atoi(strings.TrimSpace(out[i+len("\nstatus="):]))
	if err != nil {
		t.Fatalf("curl status: %v\n%s", err, out)
	}
	body, _ := os.ReadFile(bodyFile)
	return curlResult{status: status, body: string(body), trace: out[:i]}
}

// expect checks a curl result's status and, for 200, the backend's answer.
func (r curlResult) expect(t *testing.T, what string, status int, path string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: HTTP %d, want %d\n%s", what, r.status, status, r.trace)
		return
	}
	if status == http.StatusOK && r.body != "ok "+path {
		t.Errorf("%s: body %q, want %q", what, r.body, "ok "+path)
	}
}

// header returns the values of the named response (or, with in, request)
// header lines in a curl -v trace, e.g. "WWW-Authenticate".
func (r curlResult) headers(name string, in bool) []string {
	prefix := "< "
	if in {
		prefix = "> "
	}
	var vals []string
	for _, line := range strings.Split(r.trace, "\n") {
		line = strings.TrimRight(line, "\r")
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		k, v, ok := strings.Cut(line[len(prefix):], ":")
		if ok && strings.EqualFold(k, name) {
			vals = append(vals, strings.TrimSpace(v))
		}
	}
	return vals
}

// testCerts is a CA and a server certificate for localhost/127.0.0.1 and a
// client certificate, all signed by the CA, as PEM files.
type testCerts struct {
	caFile, certFile, keyFile, clientCert, clientKey string
}

func newTestCerts(t *testing.T) testCerts {
	t.Helper()
	dir := t.TempDir()
	// apache reads the files as root at startup; 0644 in a 0755 dir is
	// enough either way.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	caKey := newKey(t)
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "wsgo peers test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, hosts bool) ([]byte, *ecdsa.PrivateKey) {
		key := newKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		}
		if hosts {
			tmpl.DNSNames = []string{"localhost"}
			tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	srvDER, srvKey := issue(2, "localhost", x509.ExtKeyUsageServerAuth, true)
	cliDER, cliKey := issue(3, "wsgo client", x509.ExtKeyUsageClientAuth, false)
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	keyDER := func(k *ecdsa.PrivateKey) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	return testCerts{
		caFile:     write("ca.pem", "CERTIFICATE", caDER),
		certFile:   write("server.pem", "CERTIFICATE", srvDER),
		keyFile:    write("server.key", "PRIVATE KEY", keyDER(srvKey)),
		clientCert: write("client.pem", "CERTIFICATE", cliDER),
		clientKey:  write("client.key", "PRIVATE KEY", keyDER(cliKey)),
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// port returns the port of a URL.
func port(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil || u.Port() == "" {
		t.Fatalf("no port in %q: %v", rawURL, err)
	}
	return u.Port()
}

// clientTLS is a Go TLS client configuration trusting the test CA and
// offering the test client certificate.
func clientTLS(t *testing.T, c testCerts) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(c.caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("no CA certificate in " + c.caFile)
	}
	cert, err := tls.LoadX509KeyPair(c.clientCert, c.clientKey)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{cert}}
}
