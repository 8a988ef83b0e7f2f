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
// hands it the challenges the peer answers with. Message security
// (WS-Security) lives in the subpackage wssec.
package security
