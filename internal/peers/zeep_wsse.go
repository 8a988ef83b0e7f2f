package peers

import (
	_ "embed"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

//go:embed zeepwsse/wsse.py
var zeepWSSEScript []byte

// ZeepWSSE says which of zeep's WS-Security objects RunZeepWSSE applies to
// its requests (zeep.wsse; see zeepwsse/wsse.py for what zeep writes).
type ZeepWSSE struct {
	// Username and Password add zeep's UsernameToken; Digest sends
	// PasswordDigest (use_digest=True) instead of PasswordText.
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Digest   bool   `json:"digest,omitempty"`
	// Timestamp adds a wsu:Timestamp valid for TTL seconds (300 when 0),
	// which a signature then covers.
	Timestamp bool `json:"timestamp,omitempty"`
	TTL       int  `json:"ttl,omitempty"`
	// KeyFile and CertFile (PEM) make zeep sign the Body and the Timestamp
	// with xmlsec: BinarySignature (a BinarySecurityToken referenced by
	// wsu:Id), or Signature when EmbedCert is set (the certificate in
	// X509Data inside the SecurityTokenReference).
	KeyFile   string `json:"key,omitempty"`
	CertFile  string `json:"cert,omitempty"`
	EmbedCert bool   `json:"embed_cert,omitempty"`
	// SignatureMethod is "rsa-sha256" (when empty) or "rsa-sha1";
	// DigestMethod "sha256" (when empty) or "sha1".
	SignatureMethod string `json:"signature_method,omitempty"`
	DigestMethod    string `json:"digest_method,omitempty"`
	// ReplyCertFile (PEM) makes zeep verify signed replies with it
	// (verify_envelope); without it replies are not checked.
	ReplyCertFile string `json:"reply_cert,omitempty"`
}

// needsXMLSec reports whether the options use xmlsec.
func (o ZeepWSSE) needsXMLSec() bool { return o.KeyFile != "" || o.ReplyCertFile != "" }

// zeepWSSE writes the script into a temporary directory and returns its
// path, or ends the test when zeep (or, for signatures, xmlsec) is
// missing.
func zeepWSSE(t testing.TB, xmlsec bool) string {
	t.Helper()
	if err := pythonHas("zeep (python3-zeep)", "zeep", "lxml"); err != nil {
		unavailable(t, "peers: %v", err)
	}
	if xmlsec {
		if err := pythonHas("xmlsec (python3-xmlsec)", "xmlsec"); err != nil {
			unavailable(t, "peers: %v", err)
		}
	}
	script := filepath.Join(t.TempDir(), "wsse.py")
	if err := os.WriteFile(script, zeepWSSEScript, 0o644); err != nil {
		t.Fatalf("peers: write zeep wsse script: %v", err)
	}
	return script
}

// RunZeepWSSE has zeep call Add(2, 3) and Echo("hi") on the calc service
// at address (SOAP 1.2 binding when soap12, else 1.1) from the WSDL at
// wsdlPath, with the WS-Security of opts, and returns the two calls as
// ZeepCalls. When zeep or xmlsec is not installed the test is skipped, or
// fails if Required.
func RunZeepWSSE(t testing.TB, wsdlPath, address string, soap12 bool, opts ZeepWSSE) []ZeepCall {
	t.Helper()
	script := zeepWSSE(t, opts.needsXMLSec())
	cfg, err := json.Marshal(opts)
	if err != nil {
		t.Fatalf("peers: %v", err)
	}
	binding := "soap11"
	if soap12 {
		binding = "soap12"
	}
	out := runPython(t, "zeep wsse call", script, "call", wsdlPath, address, binding, string(cfg))
	return parseZeepCalls(t, "zeep wsse", out)
}

// ZeepVerifyEnvelope runs zeep's verify_envelope (python-xmlsec) on a
// signed envelope with the signer's certificate (PEM) and returns "" when
// xmlsec accepted the signature, else zeep's exception. When zeep or
// xmlsec is not installed the test is skipped, or fails if Required.
func ZeepVerifyEnvelope(t testing.TB, envelope, certPEM []byte) string {
	t.Helper()
	script := zeepWSSE(t, true)
	dir := t.TempDir()
	envFile, certFile := filepath.Join(dir, "envelope.xml"), filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(envFile, envelope, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	var res struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	out := runPython(t, "zeep wsse verify", script, "verify", envFile, certFile)
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("peers: zeep verify printed %q: %v", out, err)
	}
	if res.OK {
		return ""
	}
	if res.Error == "" {
		res.Error = "verification failed"
	}
	return res.Error
}

// ZeepDigest is a UsernameToken PasswordDigest as zeep computed it.
type ZeepDigest struct {
	// Password is the digest, Nonce the base64 nonce and Created the
	// created text zeep wrote into the token.
	Password string `json:"password"`
	Nonce    string `json:"nonce"`
	Created  string `json:"created"`
}

// ZeepPasswordDigest has zeep's UsernameToken(use_digest=True) compute the
// digest of password with nonce (its bytes are the raw nonce) and created
// (ISO 8601 UTC, such as "2026-01-02T03:04:05Z"). When zeep is not
// installed the test is skipped, or fails if Required.
func ZeepPasswordDigest(t testing.TB, nonce, created, password string) ZeepDigest {
	t.Helper()
	script := zeepWSSE(t, false)
	out := runPython(t, "zeep wsse digest", script, "digest", nonce, created, password)
	var d ZeepDigest
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatalf("peers: zeep digest printed %q: %v", out, err)
	}
	return d
}
