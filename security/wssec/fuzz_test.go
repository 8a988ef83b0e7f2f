package wssec

import (
	"context"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// FuzzVerify feeds arbitrary envelopes to a Verifier that accepts the
// test signer, alice's password and everything else when well formed: it
// must never panic, and must answer with a *Result or an *errors.Error
// (with a *Failure when the code is a security one). Seeds: the
// committed corpus in testdata/fuzz/FuzzVerify, and envelopes secured
// here in each of the forms Secure writes.
func FuzzVerify(f *testing.F) {
	for _, env := range []string{env12, env11, envDefault} {
		f.Add([]byte(env))
		f.Add(secure(f, signingConfig(f, testNow), env))
	}
	f.Add(secure(f, Config{Username: "alice", Password: "secret", Now: clock(testNow)}, env11))
	p := strictPolicy(f, testNow)
	p.RequireSignature, p.RequireTimestamp, p.RequireUsernameToken = false, false, false
	p.AllowSHA1 = true
	v := verifier(f, p)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, env []byte) {
		res, err := v.Verify(ctx, env)
		if err == nil {
			if res == nil {
				t.Fatal("no error and no result")
			}
			return
		}
		if res != nil {
			t.Fatalf("a result with the error %v", err)
		}
		var e *errors.Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T is not an *errors.Error: %v", err, err)
		}
		switch e.Code {
		case errors.SecurityVerificationFailure, errors.SecurityTokenExpired:
			var fl *Failure
			if !errors.As(err, &fl) {
				t.Fatalf("security error without a WSS subcode: %v", err)
			}
		case errors.InvalidFormat, errors.QuotaExceeded:
		default:
			t.Fatalf("unexpected code %v: %v", e.Code, err)
		}
	})
}
