package channel

import (
	"net/url"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// WithServiceAuth makes the channel authenticate to the service with HTTP
// header authentication (WWSAPI's WS_HTTP_HEADER_AUTH_SECURITY_BINDING with
// target SERVICE): schemes is the set allowed (security.Basic,
// security.Digest, security.NTLM, security.Negotiate, or several of them
// combined with |, such as security.AnyScheme) and cred the credentials
// they use.
//
// A single Basic scheme is sent up front with every request. Any other
// set sends the first request without credentials and answers the
// service's 401 with the strongest scheme it offers among those allowed
// (Negotiate, NTLM, Digest, Basic); Basic and Digest answers are then sent
// up front on later requests (Digest from the last nonce). NTLM and
// Negotiate run their legs on one connection and keep using it
// authenticated. When the service offers none of the allowed schemes the
// exchange fails with ServerRequiresBasicAuth, ...DigestAuth, ...NTLMAuth
// or ...NegotiateAuth (for the strongest scheme offered); rejected
// credentials fail with EndpointAccessDenied.
//
// Credentials go only to the channel's address (its scheme, host and
// port): a request redirected elsewhere carries none, and the proxy never
// sees them. Basic is refused over plain http:// unless
// WithBasicOverHTTP(true) allows it. A streamed request body
// (StreamedOutput) cannot be sent twice, so it allows Basic only.
func WithServiceAuth(schemes security.Scheme, cred security.Credentials) Option {
	return func(s *settings) { s.serviceAuth = authConfig{schemes: schemes, cred: cred} }
}

// WithProxyAuth makes the channel authenticate to its HTTP proxy (target
// PROXY): schemes is the set allowed, cred the proxy credentials. The
// proxy's 407 is answered with the strongest scheme it offers among those
// allowed, on the forwarded request for http:// addresses and on the
// CONNECT request of the tunnel for https:// ones. A set that is only
// security.Anonymous is not allowed.
//
// Without WithProxyAuth, a user name and password in the proxy URL
// ("http://user:pass@proxy:3128", from WithCustomProxy or the
// environment) are sent as proxy Basic credentials; with it they are
// ignored. With WithRoundTripper the proxy belongs to the caller's round
// tripper and WithProxyAuth is not used.
func WithProxyAuth(schemes security.Scheme, cred security.Credentials) Option {
	return func(s *settings) { s.proxyAuth = authConfig{schemes: schemes, cred: cred} }
}

// WithBasicOverHTTP allows (or, with false, refuses again) Basic service
// authentication over plain http://, which sends the password readable by
// anyone on the path. By default a channel whose only service scheme is
// Basic fails its requests to an http:// address with InvalidArgument, and
// a channel allowed several never picks Basic there.
func WithBasicOverHTTP(allow bool) Option {
	return func(s *settings) { s.allowBasicOverHTTP = allow }
}

// validateAuth checks the authentication settings (called from validate).
func (s *settings) validateAuth() error {
	for _, t := range []struct {
		target security.Target
		cfg    authConfig
	}{{security.Service, s.serviceAuth}, {security.Proxy, s.proxyAuth}} {
		sc := t.cfg.schemes
		if rest := sc &^ (security.AnyScheme | security.Anonymous); rest != 0 {
			return errors.Errorf(errors.InvalidArgument,
				"%v authentication: unknown scheme bits %v; use security.Basic, Digest, NTLM, Negotiate, Anonymous or AnyScheme", t.target, rest)
		}
		if sc == 0 {
			continue
		}
		if t.target == security.Proxy && sc&security.AnyScheme == 0 {
			return errors.Errorf(errors.InvalidArgument,
				"proxy authentication: Anonymous alone authenticates nothing; allow at least one of Basic, Digest, NTLM and Negotiate, or leave WithProxyAuth out")
		}
		if s.transfer&StreamedOutput != 0 && sc&(security.Digest|security.NTLM|security.Negotiate) != 0 {
			return errors.Errorf(errors.InvalidArgument,
				"%v authentication with %v: streamed output on a request channel supports only Basic (a streamed body cannot be sent again for a handshake); use Basic alone or WithTransferMode(Buffered or StreamedInput)",
				t.target, sc&security.AnyScheme)
		}
	}
	if s.proxyAuth.schemes != 0 && s.proxyMode == ProxyNone && s.roundTripper == nil {
		return errors.Errorf(errors.InvalidArgument,
			"WithProxyAuth was given but the channel uses no proxy (ProxyNone); use WithCustomProxy or ProxyAuto")
	}
	return nil
}

// hasAuth reports whether the channel authenticates to the service or to
// the proxy by its own configuration.
func (s *settings) hasAuth() bool {
	return s.serviceAuth.schemes&security.AnyScheme != 0 || s.proxyAuth.schemes&security.AnyScheme != 0 ||
		(s.proxyMode == ProxyCustom && s.proxyURL != nil && s.proxyURL.User != nil)
}

// connectionBound reports whether a target allows NTLM or Negotiate.
func (s *settings) connectionBound() bool {
	return (s.serviceAuth.schemes | s.proxyAuth.schemes).ConnectionBound()
}

// proxyAuthFor returns the proxy authentication for the proxy at pu:
// WithProxyAuth's, or Basic with the URL's user name and password.
func (s *settings) proxyAuthFor(pu *url.URL) authConfig {
	if s.proxyAuth.schemes&security.AnyScheme != 0 {
		return s.proxyAuth
	}
	if pu != nil && pu.User != nil {
		pw, _ := pu.User.Password()
		return authConfig{schemes: security.Basic, cred: security.Credentials{Username: pu.User.Username(), Password: pw}}
	}
	return authConfig{}
}
