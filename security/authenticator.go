package security

import (
	"sync"

	"github.com/jcmturner/gokrb5/v8/client"

	"github.com/wsgo/wsgo/errors"
)

// Authenticator makes the sessions of one client (a channel) for one
// target and owns what they share: the Kerberos logins of Negotiate. A
// Kerberos login holds a ticket-granting ticket and runs a goroutine that
// renews it before it expires, so it must have an owner that ends it; the
// Authenticator logs in once per Kerberos source (principal and password,
// keytab or credential cache, and configuration) on the first Negotiate
// session that needs a ticket, lends that login to every later session,
// and destroys its logins in Close. A login that fails is not kept: the
// next session tries again.
//
// Make one per channel and target with NewAuthenticator and Close it when
// the channel closes. An Authenticator is safe for concurrent use.
type Authenticator struct {
	target Target
	cred   Credentials

	mu     sync.Mutex
	closed bool
	logins map[string]*krbLogin // by krbSource.key
}

// krbLogin is one Kerberos login of an Authenticator and the sessions
// using it.
type krbLogin struct {
	done chan struct{} // closed when the login attempt has ended
	cl   *client.Client
	err  error

	// Under Authenticator.mu:
	users     int  // sessions holding cl (or waiting for the login)
	destroyed bool // cl.Destroy was called or is due
}

// NewAuthenticator returns an Authenticator for target (Service or
// Proxy) with the credentials cred. It does not log in: Negotiate logs in
// when its first session needs a ticket.
func NewAuthenticator(target Target, cred Credentials) *Authenticator {
	return &Authenticator{target: target, cred: cred}
}

// NewSession returns a session for the single scheme s, as the package
// function NewSession does for a's target and credentials, with the same
// errors. A Negotiate session gets its tickets from a's Kerberos login,
// logging in once for all of a's sessions; after Close, NewSession for
// Negotiate fails with InvalidOperation, as does the first Authorize of a
// Negotiate session made before Close. Basic, Digest and NTLM sessions
// hold nothing of a's and work after Close too.
func (a *Authenticator) NewSession(s Scheme) (Session, error) {
	if s != Negotiate {
		return NewSession(s, a.target, a.cred)
	}
	if err := checkTarget(a.target); err != nil {
		return nil, err
	}
	a.mu.Lock()
	closed := a.closed
	a.mu.Unlock()
	if closed {
		return nil, a.closedError()
	}
	sess, err := newNegotiate(a.target, a.cred)
	if err != nil {
		return nil, err
	}
	sess.auth = a
	return sess, nil
}

// Close destroys a's Kerberos logins, which ends their ticket renewal
// goroutines: at once for a login no session is using, and when the last
// session using one has its ticket otherwise (Close does not wait). Later
// Negotiate sessions fail with InvalidOperation. Close is idempotent.
func (a *Authenticator) Close() {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return
	}
	a.closed = true
	var idle []*client.Client
	for key, l := range a.logins {
		delete(a.logins, key)
		if l.users == 0 && l.cl != nil {
			l.destroyed = true
			idle = append(idle, l.cl)
		}
	}
	a.mu.Unlock()
	for _, cl := range idle {
		cl.Destroy()
	}
}

// closedError is the error of Negotiate on a closed Authenticator.
func (a *Authenticator) closedError() error {
	return errors.Errorf(errors.InvalidOperation,
		"Negotiate for the %v: the authenticator is closed (its channel was closed or aborted) and its Kerberos logins were destroyed; use a new one", a.target)
}

// login returns the logged-in Kerberos client for src, logging in on
// first use; concurrent callers wait for one login. The caller must call
// release when it has its ticket.
func (a *Authenticator) login(src krbSource) (cl *client.Client, release func(), err error) {
	key := src.key()
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil, nil, a.closedError()
	}
	l, found := a.logins[key]
	if !found {
		l = &krbLogin{done: make(chan struct{})}
		if a.logins == nil {
			a.logins = make(map[string]*krbLogin)
		}
		a.logins[key] = l
	}
	l.users++
	a.mu.Unlock()

	if found {
		<-l.done
	} else {
		cl, err := newKrbClient(a.target, src)
		a.mu.Lock()
		l.cl, l.err = cl, err
		if err != nil && a.logins[key] == l {
			delete(a.logins, key) // not kept: the next session tries again
		}
		a.mu.Unlock()
		close(l.done)
	}
	release = func() { a.release(l) }
	if l.err != nil {
		release()
		return nil, nil, l.err
	}
	return l.cl, release, nil
}

// release ends a session's use of l, destroying l's client when a was
// closed meanwhile and no other session uses it.
func (a *Authenticator) release(l *krbLogin) {
	a.mu.Lock()
	l.users--
	destroy := l.users == 0 && a.closed && l.cl != nil && !l.destroyed
	if destroy {
		l.destroyed = true
	}
	a.mu.Unlock()
	if destroy {
		l.cl.Destroy()
	}
}
