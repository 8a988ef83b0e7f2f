package wssec

import (
	"context"
	"encoding/xml"

	"github.com/wsgo/wsgo/errors"
)

// Client is the message security of a client channel
// (channel.WithMessageSecurity): it secures requests with Requests and,
// when VerifyReplies is set, verifies replies with it. Without
// VerifyReplies replies are not checked (Verify returns nil, nil).
type Client struct {
	Requests      *Securer
	VerifyReplies *Verifier
}

// Secure secures a request envelope (returns it as it is without
// Requests, for a client that only verifies signed replies).
func (c *Client) Secure(ctx context.Context, env []byte) ([]byte, error) {
	if c.Requests == nil {
		return env, nil
	}
	return c.Requests.Secure(ctx, env)
}

// Verify verifies a reply envelope when VerifyReplies is set; the result
// is a *Result.
func (c *Client) Verify(ctx context.Context, env []byte) (any, error) {
	if c.VerifyReplies == nil {
		return nil, nil
	}
	return asAny(c.VerifyReplies.Verify(ctx, env))
}

// Server is the message security of a listener or a service host
// (channel.WithMessageSecurity): it verifies requests with Requests and,
// when SecureReplies is set, secures (signs) replies with it. A request
// that fails is answered with the WSS fault by the channel.
type Server struct {
	Requests      *Verifier
	SecureReplies *Securer
}

// Secure secures a reply envelope when SecureReplies is set, and returns
// env as it is otherwise.
func (s *Server) Secure(ctx context.Context, env []byte) ([]byte, error) {
	if s.SecureReplies == nil {
		return env, nil
	}
	return s.SecureReplies.Secure(ctx, env)
}

// Verify verifies a request envelope; the result is a *Result.
func (s *Server) Verify(ctx context.Context, env []byte) (any, error) {
	if s.Requests == nil {
		return nil, errors.Errorf(errors.InvalidArgument, "wssec.Server has no Requests Verifier")
	}
	return asAny(s.Requests.Verify(ctx, env))
}

// asAny keeps a failed Verify from returning a typed nil in an interface.
func asAny(r *Result, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UnderstoodHeaders names the header Verify processes (wsse:Security),
// which the channel marks understood in a verified reply; none when
// replies are not verified.
func (c *Client) UnderstoodHeaders() []xml.Name {
	if c.VerifyReplies == nil {
		return nil
	}
	return []xml.Name{SecurityHeader}
}

// UnderstoodHeaders names the header Verify processes (wsse:Security),
// which the channel marks understood in a verified request, so a service
// host's mustUnderstand check passes.
func (s *Server) UnderstoodHeaders() []xml.Name { return []xml.Name{SecurityHeader} }
