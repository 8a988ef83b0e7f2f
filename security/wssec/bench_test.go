package wssec

import (
	"context"
	"testing"
)

// BenchmarkSecure signs a small SOAP 1.2 request (UsernameToken digest,
// Timestamp, RSA-2048 signature of Body and Timestamp).
func BenchmarkSecure(b *testing.B) {
	s, err := NewSecurer(signingConfig(b, testNow))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	env := []byte(env12)
	b.ReportAllocs()
	b.SetBytes(int64(len(env)))
	for b.Loop() {
		if _, err := s.Secure(ctx, env); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify verifies the envelope BenchmarkSecure writes (the
// UsernameToken digest, the certificate chain, the signature and both
// references). The same envelope is verified each time, so each call gets
// a fresh Verifier (outside the timer) for its replay cache not to refuse
// it.
func BenchmarkVerify(b *testing.B) {
	env := secure(b, signingConfig(b, testNow), env12)
	p := strictPolicy(b, testNow)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(env)))
	for b.Loop() {
		b.StopTimer()
		v := verifier(b, p)
		b.StartTimer()
		if _, err := v.Verify(ctx, env); err != nil {
			b.Fatal(err)
		}
	}
}
