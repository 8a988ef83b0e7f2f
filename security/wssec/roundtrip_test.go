package wssec

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// Test envelopes as package message writes them (SOAP 1.2 with
// WS-Addressing, SOAP 1.1 plain) and as another stack might (default
// namespace, no Header).
const (
	env12 = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header><a:Action s:mustUnderstand="1">http://example.com/calc/Add</a:Action><a:MessageID>urn:uuid:1</a:MessageID></s:Header><s:Body><Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add></s:Body></s:Envelope>`
	env11 = `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <ns0:Echo xmlns:ns0="http://example.com/calc"><ns0:text>a &amp; b &lt; c&#xD;</ns0:text></ns0:Echo>
  </soap:Body>
</soap:Envelope>`
	envDefault = `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header/><Body><x:Echo xmlns:x="urn:x" x:attr="1" b="2"/></Body></Envelope>`
)

// testNow is the time tests run at (the test certificates are valid around
// the real time).
var testNow = time.Now().UTC().Truncate(time.Second)

// clock returns a clock fixed at t.
func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

func certs(c ...*x509.Certificate) []*x509.Certificate { return c }

func password(pw map[string]string) func(context.Context, string) (string, error) {
	return func(_ context.Context, user string) (string, error) {
		p, ok := pw[user]
		if !ok {
			return "", errors.Errorf(errors.SecurityVerificationFailure, "unknown user")
		}
		return p, nil
	}
}

// signingConfig is a Config that signs with the test signer and sends a
// digest UsernameToken, at time now.
func signingConfig(t testing.TB, now time.Time) Config {
	k := keys(t)
	return Config{
		Username: "alice", Password: "secret", PasswordDigest: true,
		Signer: k.key, Certificates: certs(k.cert),
		Now: clock(now),
	}
}

// strictPolicy requires everything, trusting the test CA, at time now.
func strictPolicy(t testing.TB, now time.Time) Policy {
	return Policy{
		RequireUsernameToken: true, RequireTimestamp: true, RequireSignature: true,
		Password: password(map[string]string{"alice": "secret"}),
		Roots:    keys(t).roots(),
		Now:      clock(now),
	}
}

func secure(t testing.TB, cfg Config, env string) []byte {
	t.Helper()
	s, err := NewSecurer(cfg)
	if err != nil {
		t.Fatalf("NewSecurer: %v", err)
	}
	out, err := s.Secure(context.Background(), []byte(env))
	if err != nil {
		t.Fatalf("Secure: %v", err)
	}
	return out
}

func verifier(t testing.TB, p Policy) *Verifier {
	t.Helper()
	v, err := NewVerifier(p)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

func TestSecureVerifyRoundTrip(t *testing.T) {
	for name, env := range map[string]string{"soap12": env12, "soap11": env11, "default-ns": envDefault} {
		t.Run(name, func(t *testing.T) {
			out := secure(t, signingConfig(t, testNow), env)
			res, err := verifier(t, strictPolicy(t, testNow.Add(time.Second))).Verify(context.Background(), out)
			if err != nil {
				t.Fatalf("Verify: %v\n%s", err, out)
			}
			if res.Username != "alice" || res.Certificate == nil || res.Certificate.Subject.CommonName != "wssec signer" {
				t.Errorf("result = %+v", res)
			}
			if !res.Created.Equal(testNow) || !res.Expires.Equal(testNow.Add(DefaultTimestampTTL)) {
				t.Errorf("Created %v Expires %v, want %v and +5m", res.Created, res.Expires, testNow)
			}
			if got := res.Signed; len(got) != 2 || got[0] != "Body" || got[1] != "Timestamp" {
				t.Errorf("Signed = %q, want [Body Timestamp]", got)
			}
			if res.SignatureMethod != RSASHA256 {
				t.Errorf("SignatureMethod = %q", res.SignatureMethod)
			}
		})
	}
}

func TestSecureSignsChosenHeaders(t *testing.T) {
	cfg := signingConfig(t, testNow)
	action := xml.Name{Space: "http://www.w3.org/2005/08/addressing", Local: "Action"}
	cfg.SignHeaders = []xml.Name{action}
	out := secure(t, cfg, env12)
	p := strictPolicy(t, testNow)
	p.SignedHeaders = []xml.Name{action, {Space: "http://www.w3.org/2005/08/addressing", Local: "To"}}
	res, err := verifier(t, p).Verify(context.Background(), out)
	if err != nil {
		t.Fatalf("Verify: %v\n%s", err, out)
	}
	want := []string{"Body", "Timestamp", "{http://www.w3.org/2005/08/addressing}Action"}
	if len(res.Signed) != 3 || res.Signed[2] != want[2] {
		t.Errorf("Signed = %q, want %q", res.Signed, want)
	}
	// A policy requiring MessageID signed refuses it.
	p.SignedHeaders = []xml.Name{{Space: "http://www.w3.org/2005/08/addressing", Local: "MessageID"}}
	_, err = verifier(t, p).Verify(context.Background(), out)
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)
}

// wantFailure checks err's code and WSS subcode.
func wantFailure(t testing.TB, err error, code errors.Code, sub xml.Name) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v with %s", code, sub.Local)
	}
	if errors.CodeOf(err) != code {
		t.Errorf("code = %v, want %v (%v)", errors.CodeOf(err), code, err)
	}
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("error %v carries no *Failure", err)
	}
	if f.Subcode != sub {
		t.Errorf("subcode = %s, want %s (%v)", f.Subcode.Local, sub.Local, err)
	}
}
