package interop_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/internal/peers"
	"github.com/wsgo/wsgo/internal/testcert"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security/wssec"
	"github.com/wsgo/wsgo/service"
)

// wssecPeerPKI is a CA with a certificate for zeep (the client) and one
// for the wsgo host, each with its key and PEM files.
type wssecPeerPKI struct {
	root                  *testcert.Authority
	client, server        *testcert.Leaf
	clientCert, clientKey string
	serverCert            string
}

func newWSSecPeerPKI(t *testing.T) *wssecPeerPKI {
	root := testcert.NewRoot(t, testcert.Options{CommonName: "wssec interop root", Key: testcert.RSA2048})
	leaf := func(cn string) *testcert.Leaf {
		return root.Leaf(t, testcert.Options{CommonName: cn, Key: testcert.RSA2048, NoExtKeyUsage: true, NoSANs: true})
	}
	p := &wssecPeerPKI{root: root, client: leaf("zeep client"), server: leaf("wsgo host")}
	p.clientCert, p.clientKey = p.client.WriteFiles(t)
	p.serverCert, _ = p.server.WriteFiles(t)
	return p
}

// wssecHost is a calc host on loopback (SOAP 1.1 and 1.2 on calc.wsdl's
// two paths) whose requests are verified by one Verifier and whose
// replies are signed with the host certificate; it records the security
// result its Add operation saw.
type wssecHost struct {
	wsdl, url11, url12 string
	mu                 sync.Mutex
	results            []*wssec.Result
}

func newWSSecHost(t *testing.T, pki *wssecPeerPKI, policy wssec.Policy) *wssecHost {
	v, err := wssec.NewVerifier(policy)
	if err != nil {
		t.Fatal(err)
	}
	s, err := wssec.NewSecurer(wssec.Config{Signer: pki.server.Key, Certificates: []*x509.Certificate{pki.server.Cert}})
	if err != nil {
		t.Fatal(err)
	}
	sec := channel.WithMessageSecurity(&wssec.Server{Requests: v, SecureReplies: s})
	wh := &wssecHost{}
	record := func(h *service.Host) *service.Host {
		service.Handle(h, actionAdd, func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
			res, _ := channel.SecurityResult(service.RequestMessage(ctx)).(*wssec.Result)
			wh.mu.Lock()
			wh.results = append(wh.results, res)
			wh.mu.Unlock()
			return &calc.AddResponse{Result: in.A + in.B}, nil
		})
		return h
	}
	host11 := record(newCalcHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP11), sec)))
	host12 := record(newCalcHost(service.WithChannelOptions(channel.WithEnvelope(message.SOAP12), sec)))
	mux := http.NewServeMux()
	mux.Handle(peers.Path11, host11)
	mux.Handle(peers.Path12, host12)
	ts := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		_ = host11.Shutdown(ctx)
		_ = host12.Shutdown(ctx)
		ts.Close()
	})
	wh.url11, wh.url12 = ts.URL+peers.Path11, ts.URL+peers.Path12
	wh.wsdl = peers.CalcWSDLAt(t, wh.url11, wh.url12)
	return wh
}

func (wh *wssecHost) lastResult() *wssec.Result {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if len(wh.results) == 0 {
		return nil
	}
	return wh.results[len(wh.results)-1]
}

func alicePassword(_ context.Context, user string) (string, error) {
	if user != "alice" {
		return "", errors.Errorf(errors.SecurityVerificationFailure, "no such user %q", user)
	}
	return "s3cret", nil
}

// TestZeepWSSecurityToHost: zeep's UsernameToken (PasswordDigest) and its
// xmlsec signatures (BinarySignature and Signature, RSA-SHA256/SHA-256 and
// zeep's default RSA-SHA1/SHA-1) are verified by a wsgo host; the host's
// signed replies are verified by zeep (verify_envelope, xmlsec); a wrong
// password or a refused algorithm comes back as the WSS fault.
func TestZeepWSSecurityToHost(t *testing.T) {
	pki := newWSSecPeerPKI(t)
	signed := wssec.Policy{RequireSignature: true, RequireUsernameToken: true, RequirePasswordDigest: true,
		Password: alicePassword, Roots: pki.root.Pool()}
	sha1 := signed
	sha1.AllowSHA1 = true
	hosts := map[string]*wssecHost{
		"token":  newWSSecHost(t, pki, wssec.Policy{RequireUsernameToken: true, RequirePasswordDigest: true, Password: alicePassword}),
		"signed": newWSSecHost(t, pki, signed),
		"sha1":   newWSSecHost(t, pki, sha1),
	}
	user := peers.ZeepWSSE{Username: "alice", Password: "s3cret", Digest: true}
	sign := func(o peers.ZeepWSSE) peers.ZeepWSSE {
		o.Timestamp, o.KeyFile, o.CertFile, o.ReplyCertFile = true, pki.clientKey, pki.clientCert, pki.serverCert
		return o
	}
	sha1Opts := func(o peers.ZeepWSSE) peers.ZeepWSSE {
		o.SignatureMethod, o.DigestMethod = "rsa-sha1", "sha1"
		return o
	}
	wrongPW := user
	wrongPW.Password = "guess"
	embedded := sign(user)
	embedded.EmbedCert = true
	tests := []struct {
		name   string
		host   string
		opts   peers.ZeepWSSE
		signed bool
		fault  string // the WSS subcode of the fault zeep gets, "" for success
	}{
		{"UsernameToken digest", "token", user, false, ""},
		{"UsernameToken wrong password", "token", wrongPW, false, "FailedAuthentication"},
		{"UsernameToken missing", "token", peers.ZeepWSSE{Timestamp: true}, false, "InvalidSecurity"},
		{"BinarySignature RSA-SHA256", "signed", sign(user), true, ""},
		{"Signature X509Data RSA-SHA256", "signed", embedded, true, ""},
		{"BinarySignature RSA-SHA1 refused", "signed", sha1Opts(sign(user)), true, "InvalidSecurity"},
		{"BinarySignature RSA-SHA1 allowed", "sha1", sha1Opts(sign(user)), true, ""},
		{"Signature X509Data RSA-SHA1 allowed", "sha1", sha1Opts(embedded), true, ""},
	}
	for _, tt := range tests {
		for _, soap12 := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/soap12=%v", tt.name, soap12), func(t *testing.T) {
				h := hosts[tt.host]
				url := h.url11
				if soap12 {
					url = h.url12
				}
				calls := peers.RunZeepWSSE(t, h.wsdl, url, soap12, tt.opts)
				if len(calls) != 2 {
					t.Fatalf("zeep made %d calls, want 2: %+v", len(calls), calls)
				}
				for _, c := range calls {
					checkZeepWSSECall(t, c, soap12, tt.fault)
				}
				if tt.fault != "" {
					return
				}
				res := h.lastResult()
				if res == nil || res.Username != "alice" {
					t.Fatalf("the host's security result = %+v", res)
				}
				if tt.signed {
					if res.Certificate == nil || res.Certificate.Subject.CommonName != "zeep client" {
						t.Errorf("signing certificate %v", res.Certificate)
					}
					if strings.Join(res.Signed, ",") != "Body,Timestamp" && strings.Join(res.Signed, ",") != "Timestamp,Body" {
						t.Errorf("signed parts %q, want Body and Timestamp", res.Signed)
					}
				}
			})
		}
	}
}

// checkZeepWSSECall checks one zeep call: the result, or the WSS fault
// (SOAP 1.1: faultcode wsse:<sub>; SOAP 1.2: Sender with the subcode).
func checkZeepWSSECall(t *testing.T, c peers.ZeepCall, soap12 bool, sub string) {
	t.Helper()
	if sub == "" {
		switch {
		case c.Op == "Add" && c.Result != nil && *c.Result == 5:
		case c.Op == "Echo" && c.Text != nil && *c.Text == "hi":
		default:
			t.Errorf("zeep call %s: %+v (fault %+v)", c.Op, c, c.Fault)
		}
		return
	}
	if c.Fault == nil {
		t.Fatalf("zeep call %s: %+v, want a %s fault", c.Op, c, sub)
	}
	if soap12 {
		want := "{" + wssec.NamespaceWSSE + "}" + sub
		if _, local, _ := strings.Cut(c.Fault.Code, ":"); local != "Sender" || len(c.Fault.Subcodes) != 1 || c.Fault.Subcodes[0] != want {
			t.Errorf("zeep saw fault %q %q, want Sender with %s", c.Fault.Code, c.Fault.Subcodes, want)
		}
		return
	}
	if _, local, prefixed := strings.Cut(c.Fault.Code, ":"); !prefixed || local != sub {
		t.Errorf("zeep saw faultcode %q, want a prefixed %s", c.Fault.Code, sub)
	}
}

// Envelopes as wsgo's message layer writes a calc request.
const (
	wssecEnv11 = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add></s:Body></s:Envelope>`
	wssecEnv12 = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">http://example.com/calc/Add</a:Action><a:MessageID>urn:uuid:7</a:MessageID><a:To s:mustUnderstand="1">http://localhost/calc</a:To></s:Header><s:Body><Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add></s:Body></s:Envelope>`
)

// TestZeepVerifiesWSSecSignature: envelopes wsgo signs (RSA-SHA256 and
// RSA-SHA1, Body, Timestamp and a WS-Addressing header) pass python
// xmlsec's verification through zeep's verify_envelope; the same envelope
// with its body changed does not.
func TestZeepVerifiesWSSecSignature(t *testing.T) {
	pki := newWSSecPeerPKI(t)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pki.client.Cert.Raw})
	for _, method := range []string{wssec.RSASHA256, wssec.RSASHA1} {
		for name, env := range map[string]string{"soap11": wssecEnv11, "soap12": wssecEnv12} {
			t.Run(name+"/"+method[strings.LastIndex(method, "#")+1:], func(t *testing.T) {
				cfg := wssec.Config{Username: "alice", Password: "s3cret", PasswordDigest: true,
					Signer: pki.client.Key, Certificates: []*x509.Certificate{pki.client.Cert}, SignatureMethod: method,
					SignHeaders: []xml.Name{{Space: message.NamespaceAddressing1_0, Local: "To"}}}
				if method == wssec.RSASHA1 {
					cfg.DigestMethod = wssec.DigestSHA1
				}
				s, err := wssec.NewSecurer(cfg)
				if err != nil {
					t.Fatal(err)
				}
				secured, err := s.Secure(context.Background(), []byte(env))
				if err != nil {
					t.Fatal(err)
				}
				if msg := peers.ZeepVerifyEnvelope(t, secured, certPEM); msg != "" {
					t.Fatalf("xmlsec refused wsgo's signature: %s\n%s", msg, secured)
				}
				tampered := strings.Replace(string(secured), "<a>2</a>", "<a>7</a>", 1)
				if msg := peers.ZeepVerifyEnvelope(t, []byte(tampered), certPEM); msg == "" {
					t.Fatal("xmlsec accepted a changed body")
				}
			})
		}
	}
}

// TestZeepPasswordDigestVectors: the PasswordDigest zeep computes for a
// fixed nonce, created time and password equals wssec.PasswordDigest over
// the same nonce and the created text zeep wrote.
func TestZeepPasswordDigestVectors(t *testing.T) {
	vectors := []struct{ nonce, created, password string }{
		{"0123456789abcdef", "2026-01-02T03:04:05Z", "s3cret"},
		{"WScqanjCEAC4mQoB", "2003-07-16T01:24:32Z", "IloveDogs"},
		{"nonce with spaces", "2030-12-31T23:59:59Z", "pässwörd ünicode"},
	}
	for _, v := range vectors {
		d := peers.ZeepPasswordDigest(t, v.nonce, v.created, v.password)
		if want := base64.StdEncoding.EncodeToString([]byte(v.nonce)); d.Nonce != want {
			t.Errorf("zeep's nonce %q, want %q", d.Nonce, want)
		}
		if got := wssec.PasswordDigest([]byte(v.nonce), d.Created, v.password); got != d.Password {
			t.Errorf("digest of (%q, %q, %q): wsgo %s, zeep %s", v.nonce, d.Created, v.password, got, d.Password)
		}
	}
}
