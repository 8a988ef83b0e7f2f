package channel

import "context"

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
