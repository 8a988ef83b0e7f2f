package security

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"weak"

	"github.com/wsgo/wsgo/errors"
)

// NewSession returns a session that authenticates requests to target with
// the single scheme s and the credentials cred.
//
// Basic and Digest sessions are safe for concurrent use and meant to be
// kept: Basic then sends its header with every request and Digest answers
// from its last nonce. NTLM and Negotiate sessions drive one handshake on
// one connection.
//
// A Negotiate session made here logs in to Kerberos on its own, in its
// first Authorize, and destroys that login (which ends the ticket renewal
// goroutine gokrb5 starts with it) before Authorize returns, whether it
// built its token or failed: the login only serves to get the one service
// ticket the handshake sends, and nothing of it outlives Authorize, so a
// session that is dropped without Complete leaves nothing running either.
// Each such session logs in again; a client that makes many sessions (a
// channel) shares one login through an [Authenticator] instead.
//
// A session recognises the legs of one request by their *Request: the
// channel passes the same pointer to every Authorize call of one request
// (the first send, the answer to a 401 or 407, a retry after stale=true),
// and a new one for each new request. That is how a session tells a second
// challenge for a request (the credentials were rejected) from the first
// challenge of another.
//
// NewSession fails with InvalidArgument when s is not exactly one of Basic,
// Digest, NTLM and Negotiate, when target is neither Service nor Proxy, or
// when cred lacks what the scheme needs (a user name, a user name without
// ':' for Basic, a Kerberos source for Negotiate).
func NewSession(s Scheme, target Target, cred Credentials) (Session, error) {
	if err := checkTarget(target); err != nil {
		return nil, err
	}
	switch s {
	case Basic:
		return session(newBasic(target, cred))
	case Digest:
		return session(newDigest(target, cred))
	case NTLM:
		return session(newNTLM(target, cred))
	case Negotiate:
		return session(newNegotiate(target, cred))
	case Anonymous:
		return nil, errors.Errorf(errors.InvalidArgument,
			"anonymous access needs no authentication session; create one only for Basic, Digest, NTLM or Negotiate")
	}
	if s.Strongest() != 0 {
		return nil, errors.Errorf(errors.InvalidArgument,
			"a session takes exactly one scheme, not %v: pick one with Scheme.Strongest or SelectChallenge", s)
	}
	return nil, errors.Errorf(errors.InvalidArgument,
		"unknown authentication scheme %v: want Basic, Digest, NTLM or Negotiate", s)
}

// checkTarget fails unless target is Service or Proxy.
func checkTarget(target Target) error {
	if target != Service && target != Proxy {
		return errors.Errorf(errors.InvalidArgument,
			"authentication target %d is neither Service (1) nor Proxy (2)", int(target))
	}
	return nil
}

// session turns a constructor's result into NewSession's, so that a
// failed constructor yields a nil Session rather than a typed nil.
func session[T Session](sess T, err error) (Session, error) {
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// checkCredentialText fails when a user name, domain or password holds
// control characters, which no scheme can carry (and which would let a
// header be split).
func checkCredentialText(s Scheme, what, v string) error {
	for _, r := range v {
		if unicode.IsControl(r) {
			return errors.Errorf(errors.InvalidArgument,
				"%v credentials: the %s contains a control character (%U)", s, what, r)
		}
	}
	return nil
}

// checkUserPassword checks the user name, domain and password every
// password scheme needs.
func checkUserPassword(s Scheme, target Target, cred Credentials) error {
	if cred.Username == "" {
		return errors.Errorf(errors.InvalidArgument,
			"%v authentication for the %v needs a user name", s, target)
	}
	if err := checkCredentialText(s, "user name", cred.Username); err != nil {
		return err
	}
	if err := checkCredentialText(s, "domain", cred.Domain); err != nil {
		return err
	}
	return checkCredentialText(s, "password", cred.Password)
}

// rejected returns the error for credentials the peer turned down: it
// wraps ErrRejected and has code EndpointAccessDenied for the service and
// ProxyAccessDenied for the proxy.
func rejected(target Target, format string, args ...any) error {
	code := errors.EndpointAccessDenied
	if target == Proxy {
		code = errors.ProxyAccessDenied
	}
	msg := fmt.Sprintf(format, args...)
	return errors.Errorf(code, "%s: %w", msg, ErrRejected)
}

// accessDenied is rejected's code without ErrRejected, for failures that
// mean the credentials are not accepted but were never sent to the peer
// (a KDC refusing the password).
func accessDenied(target Target, cause error, format string, args ...any) error {
	code := errors.EndpointAccessDenied
	if target == Proxy {
		code = errors.ProxyAccessDenied
	}
	msg := fmt.Sprintf(format, args...)
	if cause != nil {
		return errors.Errorf(code, "%s: %w", msg, cause)
	}
	return errors.Errorf(code, "%s", msg)
}

// legs tracks per-request state of a long-lived session, keyed by the
// *Request of the request. Entries go away when the Request is garbage
// collected (or when Complete is called), so a session kept for the life
// of a channel does not grow.
type legs[T any] struct {
	mu sync.Mutex
	m  map[weak.Pointer[Request]]*T
}

// get returns req's state, creating it on first use. The caller holds the
// session's lock or otherwise serialises access to *T.
func (l *legs[T]) get(req *Request) *T {
	key := weak.Make(req)
	l.mu.Lock()
	defer l.mu.Unlock()
	if st, ok := l.m[key]; ok {
		return st
	}
	if l.m == nil {
		l.m = make(map[weak.Pointer[Request]]*T)
	}
	st := new(T)
	l.m[key] = st
	runtime.AddCleanup(req, l.drop, key)
	return st
}

// drop forgets a request's state.
func (l *legs[T]) drop(key weak.Pointer[Request]) {
	l.mu.Lock()
	delete(l.m, key)
	l.mu.Unlock()
}

// forget drops req's state once the request is done.
func (l *legs[T]) forget(req *Request) {
	if req != nil {
		l.drop(weak.Make(req))
	}
}

// len returns how many requests are tracked, for tests.
func (l *legs[T]) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.m)
}

// wrongChallenge is the error for a challenge of another scheme handed to
// a session.
func wrongChallenge(s Scheme, ch *Challenge) error {
	return errors.Errorf(errors.InvalidArgument,
		"%v session was handed a %q challenge: pass only challenges of its own scheme", s, ch.Name)
}

// envOr returns the environment variable name, or def when it is unset or
// empty.
func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}
