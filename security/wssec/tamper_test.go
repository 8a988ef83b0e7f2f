package wssec

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// edit parses env, lets fn change it, and writes it back.
func edit(t testing.TB, env []byte, fn func(doc *etree.Document)) []byte {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(env); err != nil {
		t.Fatalf("parse: %v", err)
	}
	fn(doc)
	out, err := doc.WriteToBytes()
	if err != nil {
		t.Fatalf("write: %v", err)
	}
	return out
}

// bodyOf returns the Body element of a parsed test envelope.
func bodyOf(doc *etree.Document) *etree.Element {
	for _, c := range doc.Root().ChildElements() {
		if c.Tag == "Body" {
			return c
		}
	}
	return nil
}

func headerOf(doc *etree.Document) *etree.Element {
	for _, c := range doc.Root().ChildElements() {
		if c.Tag == "Header" {
			return c
		}
	}
	return nil
}

// TestVerifyRejectsTampering is the tampering table: each envelope is
// refused with its code and WSS fault subcode.
func TestVerifyRejectsTampering(t *testing.T) {
	k := keys(t)
	ctx := context.Background()
	good := signingConfig(t, testNow)
	policy := strictPolicy(t, testNow)

	rogue := good
	rogue.Signer, rogue.Certificates = k.rogueKey, certs(k.rogue)
	expired := good
	expired.Certificates = certs(k.expired)
	noUser := good
	noUser.Username, noUser.Password = "", ""
	wrongPW := good
	wrongPW.Password = "guess"
	unknownUser := good
	unknownUser.Username = "mallory"
	stale := good
	stale.Now = clock(testNow.Add(-DefaultMaxAge - DefaultMaxClockSkew - time.Second))
	future := good
	future.Now = clock(testNow.Add(DefaultMaxClockSkew + time.Minute))
	short := good
	short.TimestampTTL = time.Second
	sha1 := good
	sha1.SignatureMethod, sha1.DigestMethod = RSASHA1, DigestSHA1
	unsigned := good
	unsigned.Signer, unsigned.Certificates = nil, nil

	tests := []struct {
		name   string
		cfg    Config
		policy func(p *Policy)
		now    time.Time // verifier clock; zero: testNow
		tamper func(env []byte) []byte
		code   errors.Code
		sub    xml.Name
	}{
		{name: "changed body", cfg: good, tamper: func(env []byte) []byte {
			return bytes.Replace(env, []byte("<a>2</a>"), []byte("<a>9</a>"), 1)
		}, code: errors.SecurityVerificationFailure, sub: FailedCheck},
		{name: "changed timestamp", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				e := doc.FindElement("//wsu:Expires")
				e.SetText(formatTime(testNow.Add(time.Hour)))
			})
		}, code: errors.SecurityVerificationFailure, sub: FailedCheck},
		{name: "changed signed info", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//ds:DigestValue").SetText("AAAA" + doc.FindElement("//ds:DigestValue").Text()[4:])
			})
		}, code: errors.SecurityVerificationFailure, sub: FailedCheck},
		{name: "stale timestamp", cfg: stale, code: errors.SecurityTokenExpired, sub: MessageExpired},
		{name: "expired timestamp", cfg: short, now: testNow.Add(DefaultMaxClockSkew + 2*time.Second), code: errors.SecurityTokenExpired, sub: MessageExpired},
		{name: "future timestamp beyond skew", cfg: future, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "untrusted certificate", cfg: rogue, code: errors.SecurityVerificationFailure, sub: InvalidSecurityToken},
		{name: "expired certificate", cfg: expired, code: errors.SecurityVerificationFailure, sub: InvalidSecurityToken},
		{name: "certificate swapped for another", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//wsse:BinarySecurityToken").SetText(b64(k.rogue.Raw))
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurityToken},
		{name: "trusted certificate swapped in", cfg: rogue, policy: func(p *Policy) { p.Pinned = certs(k.rogue) }, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//wsse:BinarySecurityToken").SetText(b64(k.cert.Raw))
			})
		}, code: errors.SecurityVerificationFailure, sub: FailedCheck},
		{name: "signature wrapping: body moved", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				body := bodyOf(doc)
				doc.Root().RemoveChild(body)
				wrapper := headerOf(doc).CreateElement("x:Wrapper")
				wrapper.CreateAttr("xmlns:x", "urn:attack")
				wrapper.AddChild(body)
				evil := doc.Root().CreateElement(body.FullTag())
				evil.CreateElement("Add").CreateAttr("xmlns", "http://example.com/calc")
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "signature wrapping: duplicate Id", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				body := bodyOf(doc)
				wrapper := headerOf(doc).CreateElement("x:Wrapper")
				wrapper.CreateAttr("xmlns:x", "urn:attack")
				wrapper.AddChild(body.Copy())
				body.Child = nil
				body.CreateElement("Evil").CreateAttr("xmlns", "urn:attack")
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "body not signed", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				ref := doc.FindElement("//ds:Reference")
				ref.Parent().RemoveChild(ref)
			})
		}, code: errors.SecurityVerificationFailure, sub: FailedCheck},
		{name: "body not signed, signed again", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				ref := doc.FindElement("//ds:Reference")
				ref.Parent().RemoveChild(ref)
				resign(t, doc)
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "reference to a missing Id, signed again", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//ds:Reference").CreateAttr("URI", "#nowhere")
				resign(t, doc)
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "wrong password", cfg: wrongPW, code: errors.SecurityVerificationFailure, sub: FailedAuthentication},
		{name: "unknown user", cfg: unknownUser, code: errors.SecurityVerificationFailure, sub: FailedAuthentication},
		{name: "missing UsernameToken", cfg: noUser, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "missing signature", cfg: unsigned, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "missing Security header", cfg: good, tamper: func([]byte) []byte { return []byte(env12) },
			code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "SHA-1 not allowed", cfg: sha1, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "digest required", cfg: func() Config { c := good; c.PasswordDigest = false; return c }(),
			policy: func(p *Policy) { p.RequirePasswordDigest = true }, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "digest without nonce", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				n := doc.FindElement("//wsse:Nonce")
				n.Parent().RemoveChild(n)
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "xpath transform", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//ds:Transform").CreateAttr("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "external reference", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//ds:Reference").CreateAttr("URI", "http://evil.example/x")
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
		{name: "encrypted key", cfg: good, tamper: func(env []byte) []byte {
			return edit(t, env, func(doc *etree.Document) {
				doc.FindElement("//wsse:Security").CreateElement("xenc:EncryptedKey").CreateAttr("xmlns:xenc", NamespaceXENC)
			})
		}, code: errors.SecurityVerificationFailure, sub: InvalidSecurity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := secure(t, tt.cfg, env12)
			if tt.tamper != nil {
				env = tt.tamper(env)
			}
			p := policy
			if tt.policy != nil {
				tt.policy(&p)
			}
			if !tt.now.IsZero() {
				p.Now = clock(tt.now)
			}
			res, err := verifier(t, p).Verify(ctx, env)
			if res != nil {
				t.Errorf("a result came with the error: %+v", res)
			}
			wantFailure(t, err, tt.code, tt.sub)
		})
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// resign signs the (edited) SignedInfo of doc again with the test
// signer's key, as an attacker holding a trusted key would.
func resign(t testing.TB, doc *etree.Document) {
	t.Helper()
	si := doc.FindElement("//ds:SignedInfo")
	c14n, err := canonical(si, "")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(c14n)
	sig, err := keys(t).key.Sign(rand.Reader, sum[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	doc.FindElement("//ds:SignatureValue").SetText(b64(sig))
}

// TestVerifyRejectsReplay: the same envelope is accepted once; its nonce
// (and signature) are refused while the timestamp is valid.
func TestVerifyRejectsReplay(t *testing.T) {
	ctx := context.Background()
	v := verifier(t, strictPolicy(t, testNow))
	env := secure(t, signingConfig(t, testNow), env12)
	if _, err := v.Verify(ctx, env); err != nil {
		t.Fatalf("first Verify: %v", err)
	}
	_, err := v.Verify(ctx, env)
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)

	// A fresh envelope with a new nonce passes.
	if _, err := v.Verify(ctx, secure(t, signingConfig(t, testNow), env12)); err != nil {
		t.Fatalf("fresh Verify: %v", err)
	}

	// A UsernameToken without a signature is protected by its nonce.
	ut := Config{Username: "alice", Password: "secret", PasswordDigest: true, Now: clock(testNow)}
	v = verifier(t, Policy{RequireUsernameToken: true, Password: password(map[string]string{"alice": "secret"}), Now: clock(testNow)})
	env = secure(t, ut, env11)
	if _, err := v.Verify(ctx, env); err != nil {
		t.Fatalf("UsernameToken Verify: %v", err)
	}
	_, err = v.Verify(ctx, env)
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)
}

// TestReplayCacheBounded: a full cache of live entries refuses new
// messages (fails closed), and accepts again once entries expire.
func TestReplayCacheBounded(t *testing.T) {
	c := newReplayCache(2)
	now := testNow
	for _, k := range []string{"a", "b"} {
		if r, full := c.add(now, replayEntry{key: k, until: now.Add(time.Minute)}); r != "" || full {
			t.Fatalf("add %s: replayed %q full %v", k, r, full)
		}
	}
	if _, full := c.add(now, replayEntry{key: "c", until: now.Add(time.Minute)}); !full {
		t.Fatal("a third entry fit a cache of 2")
	}
	if r, _ := c.add(now, replayEntry{key: "a", until: now.Add(time.Minute)}); r != "a" {
		t.Fatalf("replayed = %q, want a", r)
	}
	later := now.Add(2 * time.Minute)
	if r, full := c.add(later, replayEntry{key: "c", until: later.Add(time.Minute)}); r != "" || full {
		t.Fatalf("after expiry: replayed %q full %v", r, full)
	}
	if r, _ := c.add(later, replayEntry{key: "a", until: later.Add(time.Minute)}); r != "" {
		t.Fatalf("an expired entry still counted as replayed")
	}
}

// TestFaultForFailure: the fault each version answers with.
func TestFaultForFailure(t *testing.T) {
	err := fail(FailedAuthentication, "wrong password for user %q", "alice")
	f11 := Fault(err, message.SOAP11)
	if f11.Code.Value != FailedAuthentication || f11.Code.Subcode != nil {
		t.Errorf("SOAP 1.1 code = %+v, want faultcode wsse:FailedAuthentication", f11.Code)
	}
	f12 := Fault(err, message.SOAP12)
	if f12.Code.Value != message.FaultSender.Name(message.SOAP12) || f12.Code.Subcode == nil || f12.Code.Subcode.Value != FailedAuthentication {
		t.Errorf("SOAP 1.2 code = %+v, want Sender/wsse:FailedAuthentication", f12.Code)
	}
	if r := f12.Reason(); r != "The security token could not be authenticated or authorized" || bytes.Contains([]byte(r), []byte("alice")) {
		t.Errorf("reason %q leaks or differs from the WSS fault string", r)
	}
	expired := fail(MessageExpired, "old")
	if errors.CodeOf(expired) != errors.SecurityTokenExpired {
		t.Errorf("MessageExpired code = %v", errors.CodeOf(expired))
	}
	if Fault(errors.Errorf(errors.InvalidFormat, "x"), message.SOAP12) != nil {
		t.Error("a non-WSS error got a fault")
	}
}
