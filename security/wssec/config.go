package wssec

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/xml"
	"io"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// Config says what Secure adds to an envelope: a UsernameToken, a
// Timestamp, an X.509 signature, in one wsse:Security header.
type Config struct {
	// Username, when set, adds a UsernameToken with Password.
	Username string
	// Password is the UsernameToken's password, sent in clear
	// (PasswordText: use it over TLS only) unless PasswordDigest is set.
	Password string
	// PasswordDigest sends Base64(SHA-1(nonce + created + password)) with
	// a fresh 16-byte Nonce and a Created time instead of the password.
	PasswordDigest bool

	// Timestamp adds a wsu:Timestamp (Created, Expires). A signed envelope
	// always gets one, and signs it.
	Timestamp bool
	// TimestampTTL is Expires - Created (default DefaultTimestampTTL).
	TimestampTTL time.Duration

	// Signer, when set, signs the Body, the Timestamp and SignHeaders with
	// an enveloped-in-header XML signature: exclusive C14N, SignatureMethod
	// (RSA-SHA256 by default) and DigestMethod (SHA-256 by default). Its
	// public key must be an RSA key, Certificates[0]'s.
	Signer crypto.Signer
	// Certificates is the signing certificate, then any intermediates;
	// each goes into a BinarySecurityToken (X509v3), the first referenced
	// by the signature's SecurityTokenReference.
	Certificates []*x509.Certificate
	// SignatureMethod is RSASHA256 (the default) or RSASHA1.
	SignatureMethod string
	// DigestMethod is DigestSHA256 (the default) or DigestSHA1.
	DigestMethod string
	// SignHeaders names headers to sign besides the Body and the
	// Timestamp: every header element of those names is signed (and gets
	// a wsu:Id if it has none).
	SignHeaders []xml.Name

	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the source of nonces and Ids (default crypto/rand).
	Rand io.Reader
	// MaxEnvelopeSize bounds the envelope Secure parses (default
	// DefaultMaxEnvelopeSize).
	MaxEnvelopeSize int
}

// Securer adds a wsse:Security header to envelopes as its Config says.
// It is safe for concurrent use.
type Securer struct {
	cfg Config
}

// NewSecurer checks cfg and returns its Securer. It fails with
// InvalidArgument when cfg asks for nothing, when a signature lacks its
// certificate or the key is not the certificate's RSA key, or names an
// unknown algorithm.
func NewSecurer(cfg Config) (*Securer, error) {
	const op = "wssec.NewSecurer"
	if cfg.TimestampTTL < 0 {
		return nil, errors.Errorf(errors.InvalidArgument, "TimestampTTL is negative (%v)", cfg.TimestampTTL).WithOp(op)
	}
	if cfg.TimestampTTL == 0 {
		cfg.TimestampTTL = DefaultTimestampTTL
	}
	if cfg.Username == "" && cfg.Password != "" {
		return nil, errors.Errorf(errors.InvalidArgument, "a Password without a Username").WithOp(op)
	}
	if cfg.Username == "" && !cfg.Timestamp && cfg.Signer == nil {
		return nil, errors.Errorf(errors.InvalidArgument, "the Config adds nothing: set Username, Timestamp or Signer").WithOp(op)
	}
	if cfg.Signer != nil {
		if len(cfg.Certificates) == 0 {
			return nil, errors.Errorf(errors.InvalidArgument, "a Signer needs its certificate in Certificates[0]").WithOp(op)
		}
		pub, ok := cfg.Signer.Public().(*rsa.PublicKey)
		if !ok {
			return nil, errors.Errorf(errors.InvalidArgument, "the Signer's key is %T; WS-Security signing here needs an RSA key", cfg.Signer.Public()).WithOp(op)
		}
		certPub, ok := cfg.Certificates[0].PublicKey.(*rsa.PublicKey)
		if !ok || !certPub.Equal(pub) {
			return nil, errors.Errorf(errors.InvalidArgument, "the Signer's key is not the public key of Certificates[0] (%s)", cfg.Certificates[0].Subject).WithOp(op)
		}
		cfg.Timestamp = true
	} else if len(cfg.Certificates) > 0 || len(cfg.SignHeaders) > 0 {
		return nil, errors.Errorf(errors.InvalidArgument, "Certificates and SignHeaders need a Signer").WithOp(op)
	}
	if cfg.SignatureMethod == "" {
		cfg.SignatureMethod = RSASHA256
	}
	if cfg.DigestMethod == "" {
		cfg.DigestMethod = DigestSHA256
	}
	if _, ok := signatureHashes[cfg.SignatureMethod]; !ok {
		return nil, errors.Errorf(errors.InvalidArgument, "unknown SignatureMethod %q; use RSASHA256 or RSASHA1", cfg.SignatureMethod).WithOp(op)
	}
	if _, ok := digestHashes[cfg.DigestMethod]; !ok {
		return nil, errors.Errorf(errors.InvalidArgument, "unknown DigestMethod %q; use DigestSHA256 or DigestSHA1", cfg.DigestMethod).WithOp(op)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.MaxEnvelopeSize <= 0 {
		cfg.MaxEnvelopeSize = DefaultMaxEnvelopeSize
	}
	cfg.Certificates = append([]*x509.Certificate(nil), cfg.Certificates...)
	cfg.SignHeaders = append([]xml.Name(nil), cfg.SignHeaders...)
	return &Securer{cfg: cfg}, nil
}

// signatureHashes and digestHashes map the algorithm URIs to their hash.
var (
	signatureHashes = map[string]crypto.Hash{RSASHA256: crypto.SHA256, RSASHA1: crypto.SHA1}
	digestHashes    = map[string]crypto.Hash{DigestSHA256: crypto.SHA256, DigestSHA1: crypto.SHA1}
)

// sameCert reports whether a and b are the same certificate.
func sameCert(a, b *x509.Certificate) bool { return bytes.Equal(a.Raw, b.Raw) }
