package channel

// Type is the kind of a channel (WWSAPI's WS_CHANNEL_TYPE, with its
// values). The HTTP binding has two: a Request channel on the client
// side, a Reply channel on the server side.
type Type int

// The channel types the HTTP binding supports.
const (
	// Request is the client side of request/reply: Request and Send.
	Request Type = 0x8
	// Reply is the server side: Receive, then SendReply or SendFault.
	// Reply channels come from a Listener or a handler, not from New.
	Reply Type = 0x10
)

// String returns "Request" or "Reply".
func (t Type) String() string {
	switch t {
	case Request:
		return "Request"
	case Reply:
		return "Reply"
	}
	return "Type(?)"
}
