package channel

import (
	"context"
	"encoding/xml"
	"runtime"
	"sync"
	"weak"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// MessageSecurity secures the envelopes a channel sends and checks the
// envelopes it receives, as a whole: WS-Security (package
// github.com/wsgo/wsgo/security/wssec) is one. It needs buffered messages:
// a channel with message security refuses the streamed transfer modes.
type MessageSecurity interface {
	// Secure returns the envelope to send in place of env (a complete
	// serialized envelope), for example with a wsse:Security header
	// added and parts signed. It must not keep env.
	Secure(ctx context.Context, env []byte) ([]byte, error)
	// Verify checks a received envelope before it is read. It returns
	// what it established about the sender (for WS-Security, a
	// *wssec.Result) or an error saying what failed.
	Verify(ctx context.Context, env []byte) (any, error)
}

// SecurityFaulter is implemented by the cause of a Verify error that
// knows the SOAP fault a service answers with (wssec's *Failure: a WSS
// fault such as wsse:FailedAuthentication). A server channel whose request
// fails Verify sends that fault; other Verify errors are answered as an
// unreadable request.
type SecurityFaulter interface {
	SecurityFault(env message.EnvelopeVersion) *errors.Fault
}

// HeaderUnderstander is implemented by a MessageSecurity that processes
// headers of the envelopes it verifies (wssec: wsse:Security). After a
// successful Verify the channel marks them understood in the received
// message, so a mustUnderstand check (a service host's) passes.
type HeaderUnderstander interface {
	UnderstoodHeaders() []xml.Name
}

// SecurityResult returns what the channel's MessageSecurity established
// about the sender of m, a message received by a channel with message
// security (a request on a Reply channel, a reply on a Request channel):
// the value its Verify returned, for WS-Security a *wssec.Result. It is
// nil for a message no such channel received, and when Verify returned
// nil (a wssec.Client that does not verify replies). A service operation
// reaches its request with service.RequestMessage(ctx).
//
// The result stays with m until m is received into again by a channel
// with message security, or is collected.
func SecurityResult(m *message.Message) any {
	if m == nil {
		return nil
	}
	v, _ := securityResults.Load(weak.Make(m))
	return v
}

// securityResults maps received messages to their Verify results. The
// keys are weak so that a message that is dropped is collected, and its
// entry removed by a cleanup.
var securityResults sync.Map // weak.Pointer[message.Message] → any

// setSecurityResult records res (nil to clear) as m's result.
func setSecurityResult(m *message.Message, res any) {
	key := weak.Make(m)
	if _, loaded := securityResults.Swap(key, res); !loaded {
		runtime.AddCleanup(m, func(k weak.Pointer[message.Message]) { securityResults.Delete(k) }, key)
	}
}

// verifyReceived runs the channel's MessageSecurity over a received
// envelope: nil result and error without message security. A Verify error
// that is not an *errors.Error becomes SecurityVerificationFailure.
func (s *settings) verifyReceived(ctx context.Context, data []byte, what string) (any, error) {
	sec := s.messageSecurity
	if sec == nil {
		return nil, nil
	}
	res, err := sec.Verify(ctx, data)
	if err != nil {
		if _, ok := err.(*errors.Error); !ok {
			err = errors.Errorf(errors.SecurityVerificationFailure, "%s failed message security verification: %w", what, err)
		}
		return nil, err
	}
	return res, nil
}

// acceptSecured marks the headers the MessageSecurity processed as
// understood in m (read: ReadStart done) and records res as its result.
func (s *settings) acceptSecured(m *message.Message, res any) error {
	if hu, ok := s.messageSecurity.(HeaderUnderstander); ok {
		for _, n := range hu.UnderstoodHeaders() {
			if err := m.MarkUnderstood(n); err != nil {
				return err
			}
		}
	}
	setSecurityResult(m, res)
	return nil
}

// securedStreaming is the error of message security on a channel with a
// streamed transfer mode, which New refuses.
func securedStreaming(mode TransferMode) *errors.Error {
	return errors.Errorf(errors.InvalidOperation,
		"message security needs whole envelopes, but the transfer mode is %v; use Buffered transfer (the default) with WithMessageSecurity", mode)
}
