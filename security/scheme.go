package security

import (
	"strconv"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// Scheme is a set of HTTP header authentication schemes, WWSAPI's
// WS_HTTP_HEADER_AUTH_SCHEME flags with their values. Schemes combine with
// |: a channel allowed several picks the strongest the peer offers, in the
// order Negotiate, NTLM, Digest, Basic.
type Scheme uint32

// The schemes.
const (
	// Anonymous, combined with other schemes, lets a request go without
	// credentials when the peer asks for none. Alone it disables
	// authentication.
	Anonymous Scheme = 0x01
	// Basic sends the user name and password in the clear (RFC 7617); a
	// channel refuses it over plain HTTP unless told otherwise.
	Basic Scheme = 0x02
	// Digest proves the password with a hash over a server nonce
	// (RFC 7616).
	Digest Scheme = 0x04
	// NTLM is Microsoft's NTLMv2 challenge-response (MS-NLMP), bound to
	// one connection.
	NTLM Scheme = 0x08
	// Negotiate is SPNEGO with Kerberos (RFC 4559), bound to one
	// connection.
	Negotiate Scheme = 0x10

	// AnyScheme is every scheme with credentials: Negotiate, NTLM, Digest
	// and Basic.
	AnyScheme = Basic | Digest | NTLM | Negotiate
)

// strongestFirst lists the single schemes from the strongest down.
var strongestFirst = [...]Scheme{Negotiate, NTLM, Digest, Basic}

// Strongest returns the strongest single scheme in s (Negotiate, NTLM,
// Digest, Basic), or 0 when s has none of them.
func (s Scheme) Strongest() Scheme {
	for _, one := range strongestFirst {
		if s&one != 0 {
			return one
		}
	}
	return 0
}

// Has reports whether every scheme in t is in s.
func (s Scheme) Has(t Scheme) bool { return s&t == t }

// ConnectionBound reports whether the scheme authenticates a connection
// rather than a request, so that its legs must travel on one connection
// (NTLM and Negotiate).
func (s Scheme) ConnectionBound() bool { return s&(NTLM|Negotiate) != 0 }

// String returns the scheme names as they appear in HTTP headers, joined
// with "|" ("Negotiate|NTLM").
func (s Scheme) String() string {
	if s == 0 {
		return "none"
	}
	var names []string
	for _, one := range strongestFirst {
		if s&one != 0 {
			names = append(names, one.name())
		}
	}
	if s&Anonymous != 0 {
		names = append(names, "Anonymous")
	}
	if rest := s &^ (AnyScheme | Anonymous); rest != 0 {
		names = append(names, "Scheme(0x"+strconv.FormatUint(uint64(rest), 16)+")")
	}
	return strings.Join(names, "|")
}

func (s Scheme) name() string {
	switch s {
	case Basic:
		return "Basic"
	case Digest:
		return "Digest"
	case NTLM:
		return "NTLM"
	case Negotiate:
		return "Negotiate"
	case Anonymous:
		return "Anonymous"
	}
	return ""
}

// SchemeOf returns the scheme an HTTP challenge or credentials header
// names ("Basic", "digest", ...), matched without regard to case, or 0 for
// a scheme wsgo does not implement.
func SchemeOf(name string) Scheme {
	for _, one := range strongestFirst {
		if strings.EqualFold(name, one.name()) {
			return one
		}
	}
	return 0
}

// ParseSchemes reads a comma-separated list of scheme names as a command
// line gives it: "basic", "digest", "ntlm", "negotiate", "anonymous" (or
// "none"), and "auto" for [AnyScheme]. Case does not matter.
func ParseSchemes(list string) (Scheme, error) {
	var s Scheme
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		switch strings.ToLower(f) {
		case "auto", "any":
			s |= AnyScheme
		case "anonymous", "none":
			s |= Anonymous
		case "":
			continue
		default:
			one := SchemeOf(f)
			if one == 0 {
				return 0, errors.Errorf(errors.InvalidArgument,
					"unknown authentication scheme %q: want basic, digest, ntlm, negotiate, anonymous or auto", f)
			}
			s |= one
		}
	}
	if s == 0 {
		return 0, errors.Errorf(errors.InvalidArgument, "no authentication scheme in %q", list)
	}
	return s, nil
}

// Target says whom a set of credentials is for, WWSAPI's
// WS_HTTP_HEADER_AUTH_TARGET with its values.
type Target int

// The targets.
const (
	// Service is the SOAP service: 401, WWW-Authenticate, Authorization.
	Service Target = 1
	// Proxy is the HTTP proxy in between: 407, Proxy-Authenticate,
	// Proxy-Authorization.
	Proxy Target = 2
)

// String returns "service" or "proxy".
func (t Target) String() string {
	if t == Proxy {
		return "proxy"
	}
	return "service"
}

// ChallengeHeader is the header the target's challenges arrive in.
func (t Target) ChallengeHeader() string {
	if t == Proxy {
		return "Proxy-Authenticate"
	}
	return "WWW-Authenticate"
}

// CredentialsHeader is the header the client's credentials go in.
func (t Target) CredentialsHeader() string {
	if t == Proxy {
		return "Proxy-Authorization"
	}
	return "Authorization"
}
