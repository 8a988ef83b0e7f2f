// Package wssec is WS-Security message security (OASIS WSS 1.0/1.1 SOAP
// Message Security, UsernameToken Profile, X.509 Token Profile) for wsgo
// channels: a wsse:Security header with a UsernameToken (PasswordText or
// PasswordDigest), a Timestamp, and an X.509 signature of the Body, the
// Timestamp and chosen headers (exclusive C14N, RSA-SHA256, SHA-256
// digests; RSA-SHA1/SHA-1 for older stacks when allowed), with the
// certificate in a BinarySecurityToken.
//
// A Securer adds the header to an outgoing envelope as its Config says; a
// Verifier checks a received one against its Policy (password callback,
// timestamp window and clock skew, nonce and signature replay cache,
// signature value and every reference digest, required parts signed,
// certificate trust) and returns a *Result. Client and Server combine them
// into a channel.MessageSecurity:
//
//	signer, _ := wssec.NewSecurer(wssec.Config{
//		Username: "alice", Password: pw, PasswordDigest: true,
//		Signer: key, Certificates: []*x509.Certificate{cert},
//	})
//	ch, _ := channel.New(channel.Request,
//		channel.WithMessageSecurity(&wssec.Client{Requests: signer}))
//
//	verifier, _ := wssec.NewVerifier(wssec.Policy{
//		RequireUsernameToken: true, RequireSignature: true,
//		Password: lookup, Roots: caPool,
//	})
//	host := service.NewHost(service.WithChannelOptions(
//		channel.WithMessageSecurity(&wssec.Server{Requests: verifier})))
//	// in an operation:
//	res, _ := channel.SecurityResult(service.RequestMessage(ctx)).(*wssec.Result)
//
// Verification failures are *errors.Error with code
// SecurityVerificationFailure (SecurityTokenExpired for a stale timestamp)
// whose cause is a *Failure naming the WSS fault subcode
// (wsse:FailedAuthentication, wsse:InvalidSecurity,
// wsse:InvalidSecurityToken, wsse:FailedCheck, wsu:MessageExpired); a
// server channel answers the request with that fault (Fault builds it),
// carrying the specification's generic fault string and nothing about
// which check failed.
//
// Defences: envelopes are parsed under size and depth bounds with DTDs
// refused; only exclusive C14N is accepted as canonicalization and
// transform (no XPath, no XSLT, no enveloped-signature); references must
// be same-document "#Id" and resolve to exactly one element of the
// envelope (an Id carried twice is refused), and the signed Body and
// Timestamp must be the envelope's own (a Body moved elsewhere with its
// Id, the signature-wrapping attack, is refused); the number of
// references and tokens is bounded. XML encryption is not supported.
//
// Canonicalization uses goxmldsig's exclusive C14N transform on a copy of
// each part that carries the namespace declarations in scope, with the
// attributes put in C14N order by namespace URI; interoperability with
// python-xmlsec (zeep) is tested both ways in package interop.
package wssec
