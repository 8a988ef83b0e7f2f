package security

import (
	"encoding/base64"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// basicSession is Basic authentication (RFC 7617). It sends its header
// before any challenge, so that a kept session costs no extra round trip,
// and reads a second challenge for the same request as a rejection.
type basicSession struct {
	target Target
	user   string
	header string // "Basic " + base64(user ":" password), UTF-8
	sent   legs[basicLeg]
}

// basicLeg is what a Basic session remembers of one request.
type basicLeg struct {
	answered bool
}

func newBasic(target Target, cred Credentials) (*basicSession, error) {
	if err := checkUserPassword(Basic, target, cred); err != nil {
		return nil, err
	}
	user := cred.Username
	if cred.Domain != "" && !strings.ContainsAny(user, `\@`) {
		user = cred.Domain + `\` + user
	}
	if strings.Contains(user, ":") {
		return nil, errors.Errorf(errors.InvalidArgument,
			"Basic authentication for the %v: the user name %q contains ':', which Basic cannot carry (RFC 7617 §2)", target, user)
	}
	// RFC 7617 §2.1: with charset="UTF-8" the user-pass is UTF-8, which is
	// what a Go string holds; without it the encoding is unspecified and
	// UTF-8 is what servers expect in practice.
	token := base64.StdEncoding.EncodeToString([]byte(user + ":" + cred.Password))
	return &basicSession{target: target, user: user, header: "Basic " + token}, nil
}

// Scheme returns Basic.
func (s *basicSession) Scheme() Scheme { return Basic }

// Authorize returns the Basic header, before any challenge too. A Basic
// challenge for a request whose credentials were already sent means they
// were rejected.
func (s *basicSession) Authorize(req *Request, ch *Challenge) (string, error) {
	if req == nil {
		return "", errors.Errorf(errors.InvalidArgument, "Basic Authorize needs the request")
	}
	if ch != nil && ch.Scheme != Basic {
		return "", wrongChallenge(Basic, ch)
	}
	leg := s.sent.get(req)
	s.sent.mu.Lock()
	defer s.sent.mu.Unlock()
	if ch != nil && leg.answered {
		return "", rejected(s.target, "the %v rejected Basic credentials for user %q (realm %q)",
			s.target, s.user, ch.Params["realm"])
	}
	leg.answered = true
	return s.header, nil
}

// Complete forgets the request; Basic has nothing to check.
func (s *basicSession) Complete(req *Request, ch *Challenge) error {
	s.sent.forget(req)
	return nil
}

// String names the scheme, target and user, never the password.
func (s *basicSession) String() string {
	return "Basic session for the " + s.target.String() + " as " + s.user
}
