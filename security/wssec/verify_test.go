package wssec

import (
	"context"
	"crypto/sha1"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
)

// TestPasswordDigestVectors checks PasswordDigest against digests computed
// independently (Python hashlib: base64(sha1(nonce + created +
// password))), the first with the UsernameToken Profile's example nonce
// and created time.
func TestPasswordDigestVectors(t *testing.T) {
	tests := []struct {
		nonce            []byte
		created, pw, out string
	}{
		{mustB64(t, "WScqanjCEAC4mQoBE07sAQ=="), "2003-07-16T01:24:32Z", "IloveDogs", "cywFYG+KaPMK3PCWR+m+DWtqzac="},
		{[]byte("abcdefghijklmnop"), "2026-01-02T03:04:05+00:00", "pässwörd", "CvfXZzKpGUMeTtM7IfD/ZLAYENY="},
	}
	for _, tt := range tests {
		if got := PasswordDigest(tt.nonce, tt.created, tt.pw); got != tt.out {
			t.Errorf("PasswordDigest(%q, %q, %q) = %s, want %s", tt.nonce, tt.created, tt.pw, got, tt.out)
		}
	}
}

func mustB64(t testing.TB, s string) []byte {
	b, err := decodeBase64(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zeepToken is a UsernameToken as zeep writes it (use_digest=True): no
// mustUnderstand, no wsu:Id, Created with "+00:00", the digest over that
// exact text.
func zeepToken(created string, nonce []byte, pw string) string {
	return `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header><wsse:Security xmlns:wsse="` + NamespaceWSSE + `">` +
		`<wsse:UsernameToken><wsse:Username>alice</wsse:Username><wsse:Password Type="` + PasswordDigestType + `">` + PasswordDigest(nonce, created, pw) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="` + Base64BinaryEncoding + `">` + b64(nonce) + `</wsse:Nonce><wsu:Created xmlns:wsu="` + NamespaceWSU + `">` + created + `</wsu:Created></wsse:UsernameToken>` +
		`</wsse:Security></soap-env:Header><soap-env:Body><ns0:Add xmlns:ns0="http://example.com/calc"><ns0:a>2</ns0:a><ns0:b>3</ns0:b></ns0:Add></soap-env:Body></soap-env:Envelope>`
}

func TestVerifyUsernameTokenForms(t *testing.T) {
	ctx := context.Background()
	pw := password(map[string]string{"alice": "secret"})
	created := testNow.Format("2006-01-02T15:04:05+00:00")
	v := verifier(t, Policy{RequireUsernameToken: true, Password: pw, Now: clock(testNow)})
	res, err := v.Verify(ctx, []byte(zeepToken(created, []byte("0123456789abcdef"), "secret")))
	if err != nil {
		t.Fatalf("zeep-form digest: %v", err)
	}
	if res.Username != "alice" || !res.Created.Equal(testNow) {
		t.Errorf("result %+v", res)
	}
	_, err = v.Verify(ctx, []byte(zeepToken(created, []byte("0123456789abcdeg"), "wrong")))
	wantFailure(t, err, errors.SecurityVerificationFailure, FailedAuthentication)

	// PasswordText, with and without the Type attribute.
	for _, typ := range []string{` Type="` + PasswordTextType + `"`, ""} {
		env := `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><o:Security s:mustUnderstand="1" xmlns:o="` + NamespaceWSSE + `"><o:UsernameToken><o:Username>alice</o:Username><o:Password` + typ + `>secret</o:Password></o:UsernameToken></o:Security></s:Header><s:Body/></s:Envelope>`
		if _, err := v.Verify(ctx, []byte(env)); err != nil {
			t.Errorf("PasswordText%s: %v", typ, err)
		}
		_, err := v.Verify(ctx, []byte(strings.Replace(env, ">secret<", ">secreT<", 1)))
		wantFailure(t, err, errors.SecurityVerificationFailure, FailedAuthentication)
	}

	// A token arriving where no callback can check it is refused.
	open := verifier(t, Policy{Now: clock(testNow)})
	_, err = open.Verify(ctx, []byte(zeepToken(created, []byte("fedcba9876543210"), "secret")))
	wantFailure(t, err, errors.SecurityVerificationFailure, FailedAuthentication)
}

func TestVerifyKeyReferenceForms(t *testing.T) {
	ctx := context.Background()
	k := keys(t)
	env := secure(t, signingConfig(t, testNow), env12)
	replaceKeyInfo := func(fn func(str *etree.Element)) []byte {
		return edit(t, env, func(doc *etree.Document) {
			str := doc.FindElement("//wsse:SecurityTokenReference")
			str.Child = nil
			fn(str)
		})
	}
	sum := sha1.Sum(k.cert.Raw)
	forms := map[string][]byte{
		// zeep's Signature: the certificate in X509Data inside the reference.
		"X509Data": replaceKeyInfo(func(str *etree.Element) {
			d := str.CreateElement("ds:X509Data")
			d.CreateElement("ds:X509Certificate").SetText(b64(k.cert.Raw))
		}),
		"thumbprint": replaceKeyInfo(func(str *etree.Element) {
			ki := str.CreateElement("wsse:KeyIdentifier")
			ki.CreateAttr("ValueType", thumbprintValueType)
			ki.SetText(b64(sum[:]))
		}),
	}
	for name, env := range forms {
		v := verifier(t, strictPolicy(t, testNow))
		res, err := v.Verify(ctx, env)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !sameCert(res.Certificate, k.cert) {
			t.Errorf("%s: certificate %s", name, res.Certificate.Subject)
		}
	}

	// Pinned instead of a CA.
	p := strictPolicy(t, testNow)
	p.Roots, p.Pinned = nil, certs(k.cert)
	if _, err := verifier(t, p).Verify(ctx, env); err != nil {
		t.Errorf("pinned: %v", err)
	}
	p.Pinned = certs(k.rogue)
	_, err := verifier(t, p).Verify(ctx, env)
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurityToken)
}

func TestVerifySHA1WhenAllowed(t *testing.T) {
	cfg := signingConfig(t, testNow)
	cfg.SignatureMethod, cfg.DigestMethod = RSASHA1, DigestSHA1
	p := strictPolicy(t, testNow)
	p.AllowSHA1 = true
	res, err := verifier(t, p).Verify(context.Background(), secure(t, cfg, env11))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.SignatureMethod != RSASHA1 {
		t.Errorf("SignatureMethod %q", res.SignatureMethod)
	}
}

// TestVerifyInclusivePrefixes: a reference whose exclusive C14N names
// InclusiveNamespaces (as WCF writes for some parts) is canonicalized with
// them; the digest is then over the extra declarations.
func TestVerifyInclusivePrefixes(t *testing.T) {
	env := `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><s:Body><v xsi:type="xs:string" xmlns:xs="http://www.w3.org/2001/XMLSchema">1</v></s:Body></s:Envelope>`
	secured := secure(t, signingConfig(t, testNow), env)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(secured); err != nil {
		t.Fatal(err)
	}
	tr := doc.FindElement("//ds:Transform")
	tr.CreateElement("ec:InclusiveNamespaces").CreateAttr("PrefixList", "xsi xs")
	tr.SelectElement("ec:InclusiveNamespaces").CreateAttr("xmlns:ec", ExcC14N)
	body := bodyOf(doc)
	digest, err := digestOf(body, "xsi xs", digestHashes[DigestSHA256])
	if err != nil {
		t.Fatal(err)
	}
	doc.FindElement("//ds:DigestValue").SetText(b64(digest))
	resign(t, doc)
	out, _ := doc.WriteToBytes()
	if _, err := verifier(t, strictPolicy(t, testNow)).Verify(context.Background(), out); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	c14n, _ := canonical(body, "xsi")
	if !strings.Contains(string(c14n), `xmlns:xsi=`) {
		t.Errorf("the prefix list did not keep xsi: %s", c14n)
	}
}

func TestVerifyHostileInput(t *testing.T) {
	ctx := context.Background()
	p := strictPolicy(t, testNow)
	p.MaxEnvelopeSize = 4096
	v := verifier(t, p)
	deep := `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + `</s:Body></s:Envelope>`
	tooManyRefs := edit(t, secure(t, signingConfig(t, testNow), env12), func(doc *etree.Document) {
		ref := doc.FindElement("//ds:Reference")
		for range DefaultMaxReferences {
			ref.Parent().AddChild(ref.Copy())
		}
	})
	tests := []struct {
		name  string
		env   string
		code  errors.Code
		quota string
	}{
		{"DTD", `<!DOCTYPE s:Envelope [<!ENTITY x "xx">]><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>`, errors.InvalidFormat, ""},
		{"entity", `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>&x;</s:Body></s:Envelope>`, errors.InvalidFormat, ""},
		{"deep", deep, errors.QuotaExceeded, "MaxDepth"},
		{"large", `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>` + strings.Repeat("x", 5000) + `</s:Body></s:Envelope>`, errors.QuotaExceeded, "MaxEnvelopeSize"},
		{"not SOAP", `<Envelope/>`, errors.InvalidFormat, ""},
		{"two bodies", `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/><s:Body/></s:Envelope>`, errors.InvalidFormat, ""},
		{"malformed", `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>`, errors.InvalidFormat, ""},
		{"too many references", string(tooManyRefs), errors.SecurityVerificationFailure, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			big := p
			big.MaxEnvelopeSize = 1 << 20
			vv := v
			if tt.name == "too many references" {
				vv = verifier(t, big)
			}
			_, err := vv.Verify(ctx, []byte(tt.env))
			if errors.CodeOf(err) != tt.code {
				t.Fatalf("code %v, want %v (%v)", errors.CodeOf(err), tt.code, err)
			}
			var e *errors.Error
			if errors.As(err, &e) && e.Quota != tt.quota {
				t.Errorf("quota %q, want %q", e.Quota, tt.quota)
			}
		})
	}
}

func TestVerifySecurityHeaderTargeting(t *testing.T) {
	ctx := context.Background()
	v := verifier(t, Policy{RequireUsernameToken: true, Password: password(map[string]string{"alice": "secret"}), Now: clock(testNow)})
	header := func(role string) string {
		return `<o:Security xmlns:o="` + NamespaceWSSE + `"` + role + `><o:UsernameToken><o:Username>alice</o:Username><o:Password>secret</o:Password></o:UsernameToken></o:Security>`
	}
	env := func(headers string) []byte {
		return []byte(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>` + headers + `</s:Header><s:Body/></s:Envelope>`)
	}
	if _, err := v.Verify(ctx, env(header(` s:role="http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"`))); err != nil {
		t.Errorf("ultimateReceiver: %v", err)
	}
	_, err := v.Verify(ctx, env(header(` s:role="urn:someone-else"`)))
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)
	_, err = v.Verify(ctx, env(header("")+header("")))
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)
	if _, err := v.Verify(ctx, env(header(` s:role="urn:someone-else"`)+header(""))); err != nil {
		t.Errorf("one header for another role, one for us: %v", err)
	}
}

func TestNewVerifierAndSecurerRefuse(t *testing.T) {
	k := keys(t)
	bad := []Policy{
		{RequireUsernameToken: true},
		{RequireSignature: true},
		{MaxAge: -time.Second},
	}
	for _, p := range bad {
		if _, err := NewVerifier(p); errors.CodeOf(err) != errors.InvalidArgument {
			t.Errorf("NewVerifier(%+v) = %v, want InvalidArgument", p, err)
		}
	}
	badCfg := []Config{
		{},
		{Password: "x"},
		{Signer: k.key},
		{Signer: k.key, Certificates: certs(k.rogue)},
		{Signer: k.key, Certificates: certs(k.cert), SignatureMethod: "urn:md5"},
		{Signer: k.key, Certificates: certs(k.cert), DigestMethod: "urn:md5"},
		{Timestamp: true, SignHeaders: nil, Certificates: certs(k.cert)},
		{Timestamp: true, TimestampTTL: -1},
	}
	for i, c := range badCfg {
		if _, err := NewSecurer(c); errors.CodeOf(err) != errors.InvalidArgument {
			t.Errorf("NewSecurer #%d = %v, want InvalidArgument", i, err)
		}
	}
}

func TestSecureTimestampOnly(t *testing.T) {
	out := secure(t, Config{Timestamp: true, TimestampTTL: time.Minute, Now: clock(testNow)}, env11)
	res, err := verifier(t, Policy{RequireTimestamp: true, Now: clock(testNow.Add(30 * time.Second))}).Verify(context.Background(), out)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !res.Expires.Equal(testNow.Add(time.Minute)) || res.Username != "" || res.Certificate != nil {
		t.Errorf("result %+v", res)
	}
	if !strings.Contains(string(out), `soap:mustUnderstand="1"`) {
		t.Errorf("no mustUnderstand in %s", out)
	}
}

func TestSecureRespectsContext(t *testing.T) {
	s, err := NewSecurer(Config{Timestamp: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Secure(ctx, []byte(env12)); errors.CodeOf(err) != errors.OperationAborted {
		t.Errorf("Secure with a cancelled context = %v", err)
	}
	v := verifier(t, Policy{})
	if _, err := v.Verify(ctx, []byte(env12)); errors.CodeOf(err) != errors.OperationAborted {
		t.Errorf("Verify with a cancelled context = %v", err)
	}
}
