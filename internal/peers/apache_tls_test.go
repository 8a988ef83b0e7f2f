package peers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestApacheTLSAndMutualTLS(t *testing.T) {
	certs := newTestCerts(t)
	be := newBackend(t, false)
	a := peers.StartApache(t, peers.ApacheOptions{
		Backend:  be.URL,
		TLSCert:  certs.certFile,
		TLSKey:   certs.keyFile,
		ClientCA: certs.caFile,
	})
	if !strings.HasPrefix(a.TLSURL, "https://localhost:") || !strings.HasPrefix(a.MTLSURL, "https://localhost:") {
		t.Fatalf("TLSURL %q, MTLSURL %q", a.TLSURL, a.MTLSURL)
	}

	curl(t, nil, "--cacert", certs.caFile, a.TLSURL+"/open/t").expect(t, "TLS", http.StatusOK, "/t")
	curl(t, nil, "--cacert", certs.caFile, "--basic", "-u", userPass, a.TLSURL+"/basic/t").
		expect(t, "Basic over TLS", http.StatusOK, "/t")
	if out, err := toolRun(nil, "", "curl", "-sS", a.TLSURL+"/open/t"); err == nil || !strings.Contains(out, "certificate") {
		t.Errorf("curl without the CA: %v %s, want a certificate failure", err, out)
	}

	curl(t, nil, "--cacert", certs.caFile, "--cert", certs.clientCert, "--key", certs.clientKey, a.MTLSURL+"/mtls/m").
		expect(t, "mutual TLS", http.StatusOK, "/m")
	if out, err := toolRun(nil, "", "curl", "-sS", "--cacert", certs.caFile, a.MTLSURL+"/mtls/m"); err == nil {
		t.Errorf("mutual TLS without a client certificate succeeded: %s", out)
	}
	// A certificate from another CA is refused as well.
	other := newTestCerts(t)
	if out, err := toolRun(nil, "", "curl", "-sS", "--cacert", certs.caFile, "--cert", other.clientCert, "--key", other.clientKey, a.MTLSURL+"/mtls/m"); err == nil {
		t.Errorf("mutual TLS with a client certificate of another CA succeeded: %s", out)
	}
	// Go's TLS client (what wsgo uses) gets through with the certificate
	// offered in the first handshake.
	tr := &http.Transport{TLSClientConfig: clientTLS(t, certs)}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get(a.MTLSURL + "/mtls/g")
	if err != nil {
		t.Fatalf("Go client with a client certificate: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("Go client with a client certificate: HTTP %d", resp.StatusCode)
	}
}
