// Package security holds wsgo's transport security: HTTP header
// authentication for a service and for a proxy (Basic, Digest, NTLM and
// Negotiate, WWSAPI's WS_HTTP_HEADER_AUTH_SECURITY_BINDING), the
// credentials they use, and TLS settings with WWSAPI's certificate failure
// classes (WS_SSL_TRANSPORT_SECURITY_BINDING).
//
// The package does not send anything itself. A channel
// (github.com/wsgo/wsgo/channel) is given the schemes and credentials with
// its WithServiceAuth and WithProxyAuth options and drives a [Session] per
// handshake: it asks the session for each Authorization header value and
// hands it the challenges the peer answers with. An [Authenticator] makes a
// target's sessions and owns what they share, the Kerberos logins above
// all: closing it ends them (the channel does so at Close and Abort).
//
// [TLS.ClientConfig] verifies a server certificate itself: first exactly as
// crypto/tls would, then, on failure, class by class (untrusted root,
// invalid date, CN mismatch, wrong usage), so that each class can be
// ignored on its own while the others are still enforced. Message security
// (WS-Security) lives in the subpackage wssec.
package security
