package channel

import "github.com/wsgo/wsgo/errors"

// WithMessageSecurity secures every envelope the channel sends with m and
// checks every envelope it receives with m before reading it (WWSAPI's
// message security bindings; package wssec provides WS-Security's).
//
// On a Request channel the request is secured after it is written (the
// MaxBufferedMessageSize quota applies to the secured envelope) and the
// reply is verified before it is parsed: a failure is the exchange's
// error (wssec's have code SecurityVerificationFailure or
// SecurityTokenExpired) and does not fault the channel. On a Reply
// channel (Listener, NewHandler, service.Host) the request is verified
// before it is parsed: a failure is Receive's error and Close answers the
// client with the fault the error names (a WSS fault such as
// wsse:FailedAuthentication), so a host never sees the request; replies
// are secured as they are sent (faults about unreadable requests are
// not). What Verify returned is SecurityResult(msg) of the received
// message, and the headers it processed count as understood.
//
// Message security needs buffered messages: New refuses it with a
// streamed transfer mode.
func WithMessageSecurity(m MessageSecurity) Option {
	return func(s *settings) { s.messageSecurity = m }
}

// validateMessageSecurity refuses message security with a streamed
// transfer mode (called by New through validate).
func (s *settings) validateMessageSecurity() error {
	if s.messageSecurity != nil && s.transfer != Buffered {
		return errors.Errorf(errors.InvalidArgument,
			"WithMessageSecurity needs buffered messages, but the transfer mode is %v; drop WithTransferMode or the message security", s.transfer)
	}
	return nil
}
