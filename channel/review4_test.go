package channel_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security/wssec"
)

// TestReview4_UnsignedFaultAcceptedWhenRepliesVerified: a client channel
// whose message security verifies replies (wssec.Client with
// VerifyReplies requiring a signature) hands an unsigned SOAP fault, sent
// with HTTP 500 by anyone on the path, to the caller as the service's
// fault (EndpointFaultReceived with the forged text and detail).
//
// What is wrong: http_receive.go:receive runs c.cfg.verifyReceived only on
// the 2xx path; errorStatus (4xx/5xx with a fault envelope) parses and
// returns the fault without ever calling MessageSecurity.Verify. WCF
// refuses exactly this ("An unsecured or incorrectly secured fault was
// received from the other party", MessageSecurityException), and
// WithMessageSecurity's doc says "the reply is verified before it is
// parsed" without exempting faults.
//
// Expected: with message security that verifies replies, a fault envelope
// is verified like any reply; an unsigned one fails the exchange with
// SecurityVerificationFailure (the WSS failure attached), never
// EndpointFaultReceived carrying attacker-chosen text.
//
// Fix (http_status.go:errorStatus, where a fault envelope is read): read
// the body whole under the reply quota and pass it through
// c.cfg.verifyReceived(x.ctx, data, "the fault") before parsing it, as the
// 2xx path does; on failure return that error.
func TestReview4_UnsignedFaultAcceptedWhenRepliesVerified(t *testing.T) {
	p := newWSSecPKI(t)
	const forged = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>` +
		`<s:Code><s:Value>s:Receiver</s:Value></s:Code>` +
		`<s:Reason><s:Text xml:lang="en">forged: account locked, call +1-555-0100</s:Text></s:Reason>` +
		`</s:Fault></s:Body></s:Envelope>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, forged)
	}))
	t.Cleanup(srv.Close)

	client := &wssec.Client{
		Requests:      mustSecurer(t, p.clientConfig()),
		VerifyReplies: mustVerifier(t, wssec.Policy{RequireSignature: true, Roots: p.root.Pool()}),
	}
	_, _, _, err := (&securedCalc{srv: srv}).add(t, message.SOAP12, client)
	if err == nil {
		t.Fatalf("the exchange succeeded against a server that only answers a fault")
	}
	if code := errors.CodeOf(err); code != errors.SecurityVerificationFailure {
		t.Fatalf("error code %v, want SecurityVerificationFailure: the unsigned fault was accepted as the service's (%v)", code, err)
	}
}
