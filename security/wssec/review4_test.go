package wssec

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/errors"
)

// TestReview4_ReplaySignedWithoutTimestamp: a signed envelope without a
// wsu:Timestamp is accepted any number of times by a Verifier that trusts
// the signer but does not set RequireSignature (signatures are "still
// checked when present", Policy's doc).
//
// What is wrong: verify_signature.go:signature records the replay entry
// "sig\x00"+SignatureValue with until = x.w.until(x.res.Created); without a
// Timestamp x.res.Created is the zero time, so until is year 1 and the entry
// is dead on arrival: replayCache.add stores it, and the next identical
// envelope finds it expired (now.Before(until) is false). The replay
// defence the code sets up for signatures silently does nothing.
//
// Expected: the second Verify of the same signed envelope fails with
// SecurityVerificationFailure / wsse:InvalidSecurity (replay), as it does
// when a Timestamp is present.
//
// Fix (verify_signature.go:signature): when x.ts == nil, either refuse a
// signature without a signed Timestamp (fail(InvalidSecurity, ...)), or
// remember it for the window from now: until := x.w.until(x.w.now) when
// x.res.Created.IsZero().
func TestReview4_ReplaySignedWithoutTimestamp(t *testing.T) {
	k := keys(t)
	ctx := context.Background()
	env := secure(t, Config{Signer: k.key, Certificates: certs(k.cert), Now: clock(testNow)}, env12)
	// Drop the Timestamp and its Reference, and sign SignedInfo again with
	// the trusted key: an envelope as a stack that signs only the Body
	// sends it.
	env = edit(t, env, func(doc *etree.Document) {
		ts := doc.FindElement("//wsu:Timestamp")
		id := ts.SelectAttrValue("wsu:Id", "")
		ts.Parent().RemoveChild(ts)
		for _, ref := range doc.FindElements("//ds:Reference") {
			if ref.SelectAttrValue("URI", "") == "#"+id {
				ref.Parent().RemoveChild(ref)
			}
		}
		resign(t, doc)
	})
	v := verifier(t, Policy{Roots: k.roots(), Now: clock(testNow)})
	res, err := v.Verify(ctx, env)
	if err != nil {
		t.Fatalf("first Verify of the signed envelope: %v", err)
	}
	if res.Certificate == nil {
		t.Fatalf("first Verify: no certificate in the result, the signature was not checked")
	}
	_, err = v.Verify(ctx, env)
	if err == nil {
		t.Fatalf("the same signed envelope was accepted a second time: a replay")
	}
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurity)
}

// TestReview4_ReplayAtWindowEdge: an envelope replayed at the exact instant
// its replay-cache entry lapses is accepted, although its Created time is
// still inside the window checkCreated accepts.
//
// What is wrong: window.until says an entry may be forgotten at
// created+MaxAge+MaxClockSkew, and replayCache.add treats the entry as
// live only while now.Before(until); but checkCreated refuses only
// t.Before(now-MaxAge-skew), so at now == until the Created time passes
// (equal is not before) while the cache already ignores the entry. Both
// sides are "inclusive" at the same instant, leaving a one-instant hole.
//
// Expected: whenever Created still passes checkCreated, a replay is
// refused (wsse:InvalidSecurity).
//
// Fix (timestamp.go:until): return created.Add(w.maxAge + w.skew +
// time.Nanosecond) (or make checkCreated refuse !t.After(limit)), so the
// entry outlives the last instant the timestamp is accepted.
func TestReview4_ReplayAtWindowEdge(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := testNow
	clk := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	cfg := Config{Username: "alice", Password: "secret", PasswordDigest: true, Timestamp: true, Now: clock(testNow)}
	env := secure(t, cfg, env12)
	v := verifier(t, Policy{
		RequireUsernameToken: true, RequireTimestamp: true,
		Password: password(map[string]string{"alice": "secret"}),
		Now:      clk,
	})
	if _, err := v.Verify(ctx, env); err != nil {
		t.Fatalf("first Verify: %v", err)
	}
	// The last instant at which checkCreated still accepts the Created
	// time (created == now - MaxAge - MaxClockSkew, not before it), and
	// within the Timestamp's Expires (+ skew).
	mu.Lock()
	now = testNow.Add(DefaultMaxAge + DefaultMaxClockSkew)
	mu.Unlock()
	_, err := v.Verify(ctx, env)
	if err == nil {
		t.Fatalf("the envelope was accepted again at %v (Created %v, MaxAge %v, skew %v): a replay inside the window",
			testNow.Add(DefaultMaxAge+DefaultMaxClockSkew), testNow, DefaultMaxAge, DefaultMaxClockSkew)
	}
	// Fixed by making that instant already too old (checkCreated refuses
	// Created == now - MaxAge - skew): the message is expired, not replayed.
	wantFailure(t, err, errors.SecurityTokenExpired, MessageExpired)
}

// TestReview4_SignerKeyUsageNotChecked: a certificate whose key usage does
// not allow digital signatures (keyEncipherment only, as an encryption
// certificate has) is accepted as the signer of an envelope.
//
// What is wrong: verify_signature.go:trust verifies the chain with
// KeyUsages: ExtKeyUsageAny and never looks at cert.KeyUsage; crypto/x509
// does not check the leaf's KeyUsage bits either. RFC 5280 §4.2.1.3: when
// the extension is present, a key may sign only with digitalSignature (or
// nonRepudiation/contentCommitment) set; WCF and xmlsec refuse such a
// signing certificate.
//
// Expected: Verify fails with SecurityVerificationFailure /
// wsse:InvalidSecurityToken.
//
// Fix (verify_signature.go:trust): after the validity check,
//
//	if cert.KeyUsage != 0 && cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
//		return fail(InvalidSecurityToken, "the signing certificate %s does not allow digital signatures", cert.Subject)
//	}
func TestReview4_SignerKeyUsageNotChecked(t *testing.T) {
	k := keys(t)
	ctx := context.Background()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(4404),
		Subject:      pkix.Name{CommonName: "wssec encryption-only"},
		NotBefore:    testNow.Add(-time.Hour),
		NotAfter:     testNow.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, k.ca, &key.PublicKey, k.caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	env := secure(t, Config{Signer: key, Certificates: certs(cert), Now: clock(testNow)}, env12)
	v := verifier(t, Policy{RequireSignature: true, Roots: k.roots(), Now: clock(testNow)})
	_, err = v.Verify(ctx, env)
	if err == nil {
		t.Fatalf("an envelope signed with a keyEncipherment-only certificate was accepted")
	}
	wantFailure(t, err, errors.SecurityVerificationFailure, InvalidSecurityToken)
}
