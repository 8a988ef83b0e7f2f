package wssec

import (
	"context"
	"crypto/x509"
	"encoding/xml"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// Policy says what Verify requires of a received envelope and how it
// checks what the envelope carries. Whatever is not required is still
// checked when present: a UsernameToken needs the Password callback to
// accept it, a signature must verify against a trusted certificate, a
// timestamp must be in its window.
type Policy struct {
	// RequireUsernameToken refuses envelopes without a UsernameToken.
	RequireUsernameToken bool
	// RequirePasswordDigest refuses UsernameTokens with a PasswordText.
	RequirePasswordDigest bool
	// RequireTimestamp refuses envelopes without a Timestamp.
	RequireTimestamp bool
	// RequireSignature refuses envelopes without a signature; a signature
	// must cover the Body, the Timestamp (then required) and SignedHeaders.
	RequireSignature bool
	// SignedHeaders names headers that must be signed when present.
	SignedHeaders []xml.Name

	// Password returns the password of username (for PasswordText it is
	// compared in constant time, for PasswordDigest it is hashed with the
	// token's nonce and created time). An error rejects the token with
	// FailedAuthentication; its text goes to the error Verify returns, not
	// to the fault.
	Password func(ctx context.Context, username string) (password string, err error)

	// Roots are the CAs a signing certificate must chain to, with
	// Intermediates (and the certificates of other BinarySecurityTokens in
	// the header) as intermediates.
	Roots         *x509.CertPool
	Intermediates *x509.CertPool
	// Pinned are certificates accepted as they are (their validity period
	// still checked), without a chain.
	Pinned []*x509.Certificate
	// AllowSHA1 accepts RSA-SHA1 signatures and SHA-1 digests, for older
	// stacks (zeep's default among them). Off by default.
	AllowSHA1 bool

	// MaxClockSkew is the clock difference tolerated (default
	// DefaultMaxClockSkew).
	MaxClockSkew time.Duration
	// MaxAge is how old a message may be by its Created time (default
	// DefaultMaxAge, WWSAPI's max allowed latency).
	MaxAge time.Duration
	// MaxNonces bounds the replay cache (default DefaultMaxNonces); when
	// it is full of live entries, messages are refused until some expire.
	MaxNonces int

	// MaxEnvelopeSize, MaxDepth and MaxReferences bound what Verify parses
	// (defaults DefaultMaxEnvelopeSize, DefaultMaxDepth,
	// DefaultMaxReferences).
	MaxEnvelopeSize int
	MaxDepth        int
	MaxReferences   int

	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Verifier checks received envelopes against a Policy. It holds the
// replay cache, so one Verifier should serve all the envelopes of an
// endpoint. It is safe for concurrent use.
type Verifier struct {
	p      Policy
	replay *replayCache
}

// NewVerifier checks p and returns its Verifier. It fails with
// InvalidArgument when a required UsernameToken has no Password callback
// or a required signature no trust anchor (Roots or Pinned).
func NewVerifier(p Policy) (*Verifier, error) {
	const op = "wssec.NewVerifier"
	if p.RequireUsernameToken && p.Password == nil {
		return nil, errors.Errorf(errors.InvalidArgument, "RequireUsernameToken needs a Password callback").WithOp(op)
	}
	if p.RequireSignature && p.Roots == nil && len(p.Pinned) == 0 {
		return nil, errors.Errorf(errors.InvalidArgument, "RequireSignature needs Roots or Pinned certificates to trust").WithOp(op)
	}
	if p.MaxClockSkew < 0 || p.MaxAge < 0 || p.MaxNonces < 0 || p.MaxEnvelopeSize < 0 || p.MaxDepth < 0 || p.MaxReferences < 0 {
		return nil, errors.Errorf(errors.InvalidArgument, "the Policy's durations and bounds must not be negative").WithOp(op)
	}
	if p.RequireSignature {
		p.RequireTimestamp = true
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&p.MaxClockSkew, DefaultMaxClockSkew)
	def(&p.MaxAge, DefaultMaxAge)
	defInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defInt(&p.MaxNonces, DefaultMaxNonces)
	defInt(&p.MaxEnvelopeSize, DefaultMaxEnvelopeSize)
	defInt(&p.MaxDepth, DefaultMaxDepth)
	defInt(&p.MaxReferences, DefaultMaxReferences)
	if p.Now == nil {
		p.Now = time.Now
	}
	p.Pinned = append([]*x509.Certificate(nil), p.Pinned...)
	p.SignedHeaders = append([]xml.Name(nil), p.SignedHeaders...)
	return &Verifier{p: p, replay: newReplayCache(p.MaxNonces)}, nil
}

// Result is what Verify established about a received envelope's sender.
type Result struct {
	// Username is the authenticated UsernameToken's user ("" without one).
	Username string
	// Certificate is the verified signing certificate (nil when the
	// envelope was not signed).
	Certificate *x509.Certificate
	// Created is the Timestamp's Created time (or the UsernameToken's
	// when there is no Timestamp); zero when neither was sent.
	Created time.Time
	// Expires is the Timestamp's Expires time (zero when absent).
	Expires time.Time
	// Signed names the parts the signature covers: "Body", "Timestamp",
	// "UsernameToken", "BinarySecurityToken", and other elements as
	// "{namespace}local".
	Signed []string
	// SignatureMethod is the signature's algorithm URI ("" when unsigned).
	SignatureMethod string
}
