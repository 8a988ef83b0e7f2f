package security

import (
	"crypto/tls"
	"errors"
)

// Challenge is one scheme's challenge from a WWW-Authenticate or
// Proxy-Authenticate header.
type Challenge struct {
	// Scheme is the challenge's scheme, or 0 for one wsgo does not
	// implement (Name still says which).
	Scheme Scheme
	// Name is the scheme name as the peer spelled it ("Negotiate",
	// "Bearer").
	Name string
	// Token is the base64 token of a token scheme (NTLM, Negotiate):
	// empty in the first challenge, set in a continuation or, for
	// Negotiate, in the final mutual-authentication token.
	Token string
	// Params are the auth-params of a parameter scheme (Basic, Digest),
	// names lower-cased, values unquoted.
	Params map[string]string
}

// Request is what a session needs to know of the HTTP request it
// authenticates.
type Request struct {
	// Method is the request method ("POST", or "CONNECT" for a tunnel).
	Method string
	// URI is the request-target as sent: the path and query, or the
	// authority ("host:port") of a CONNECT. Digest hashes it.
	URI string
	// Host is the host name of the target (the service, or the proxy for
	// proxy authentication), without port. Negotiate builds its SPN from
	// it.
	Host string
	// Body is the request's entity body when it is held whole, for
	// Digest's qop=auth-int; nil when the body is streamed (auth-int is
	// then not offered).
	Body []byte
	// TLS is the state of the TLS connection the request travels on,
	// for channel bindings (tls-server-end-point); nil on plain HTTP.
	TLS *tls.ConnectionState
}

// Session authenticates requests with one scheme for one target. A channel
// asks it for the credentials header of each leg of a handshake. A Session
// of a connection-bound scheme (NTLM, Negotiate) belongs to one connection
// and one handshake at a time; Basic and Digest sessions are safe for
// concurrent use and are kept for later requests (Digest then answers
// from its last nonce without a new 401).
type Session interface {
	// Scheme returns the session's single scheme.
	Scheme() Scheme
	// Authorize returns the value of the credentials header for req.
	// ch is nil for a request sent before any challenge (Basic sends its
	// credentials, Digest reuses its last nonce or returns "" when it has
	// none, NTLM and Negotiate return their first token). Otherwise ch is
	// the peer's challenge for this scheme; when it says that credentials
	// already sent were rejected (a second Basic challenge, a Digest
	// challenge without stale=true after an answer, an NTLM challenge after
	// the AUTHENTICATE message), Authorize returns an error that
	// errors.Is [ErrRejected].
	Authorize(req *Request, ch *Challenge) (string, error)
	// Complete is called with the final response's challenge of this
	// scheme (nil when it has none) once the peer accepted the request;
	// Negotiate checks the server's mutual-authentication token there.
	Complete(req *Request, ch *Challenge) error
}

// ErrRejected is wrapped by Authorize's error when the peer rejected the
// credentials already sent: the channel answers EndpointAccessDenied or
// ProxyAccessDenied instead of trying again.
var ErrRejected = errors.New("the credentials were rejected")
