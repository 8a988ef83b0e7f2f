package channel

import (
	"github.com/wsgo/wsgo/errors"
)

// State is where a channel is in its lifecycle (WWSAPI's WS_CHANNEL_STATE,
// with its values).
type State int

// The channel states.
const (
	// Created: made by New (or Reset); not yet usable for messages.
	Created State = 0
	// Opening: Open is in progress.
	Opening State = 1
	// Accepting: a listener is accepting the channel (server side).
	Accepting State = 2
	// Open: messages may be exchanged.
	Open State = 3
	// Faulted: an exchange failed in a way that leaves the channel unusable,
	// or Abort was called. Only Close and Abort are allowed.
	Faulted State = 4
	// Closing: Close is waiting for pending exchanges.
	Closing State = 5
	// Closed: closed; Reset makes it Created again.
	Closed State = 6
)

var stateNames = [...]string{"Created", "Opening", "Accepting", "Open", "Faulted", "Closing", "Closed"}

// String returns the state's name, such as "Open".
func (s State) String() string {
	if s >= 0 && int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "State(?)"
}

// op is a channel operation checked against the transition table.
type op int

const (
	opOpen   op = iota // Open: Created → Opening → Open
	opAccept           // Listener.Accept: Created → Accepting → Open
	opIO               // Request, Send, Receive, SendReply, SendFault: Open → Open (or Faulted)
	opClose            // Close: Open, Faulted → Closing → Closed
	opReset            // Reset: Created, Closed → Created
)

// stateSet is a set of States as a bit mask.
type stateSet uint8

func states(s ...State) stateSet {
	var m stateSet
	for _, x := range s {
		m |= 1 << x
	}
	return m
}

func (m stateSet) has(s State) bool { return m&(1<<s) != 0 }

// transition is one row of the channel's state table (wwsapi.md §2.1).
type transition struct {
	name    string
	from    stateSet // states the operation is allowed in
	during  State    // state while the operation runs (the same as done for opIO)
	done    State    // state after success
	failure State    // state after a failure that breaks the channel (opIO; Close ends Closed either way)
}

// transitions is the channel's lifecycle as data. Abort is not in the
// table: it is allowed in every state (Open becomes Faulted, other states
// are kept; a Closing channel's Close returns OperationAborted) and never
// fails.
var transitions = [...]transition{
	opOpen:   {"Open", states(Created), Opening, Open, Faulted},
	opAccept: {"Accept", states(Created), Accepting, Open, Faulted},
	opIO:     {"message exchange", states(Open), Open, Open, Faulted},
	opClose:  {"Close", states(Open, Faulted), Closing, Closed, Closed},
	opReset:  {"Reset", states(Created, Closed), Created, Created, Created},
}

// stateError is the error of an operation called in a state that does not
// allow it: ObjectFaulted for a message exchange on a Faulted channel (the
// caller should Close or Abort it and make a new one, or Close and Reset
// it), InvalidOperation otherwise. The channel is unchanged.
func stateError(o op, s State) *errors.Error {
	t := &transitions[o]
	if o == opIO && s == Faulted {
		return errors.Errorf(errors.ObjectFaulted,
			"%s on a Faulted channel: an earlier exchange broke it or it was aborted; Close it, then Reset and Open it again", t.name)
	}
	return errors.Errorf(errors.InvalidOperation,
		"%s is not allowed in channel state %v (allowed in: %s)", t.name, s, t.from)
}

func (m stateSet) String() string {
	out := ""
	for s := Created; s <= Closed; s++ {
		if m.has(s) {
			if out != "" {
				out += ", "
			}
			out += s.String()
		}
	}
	return out
}
