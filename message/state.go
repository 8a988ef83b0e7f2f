package message

import (
	"strconv"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// State is the lifecycle state of a Message (WWSAPI's WS_MESSAGE_STATE).
type State int

// The states, with WWSAPI's values.
const (
	// Empty: after New and Reset. No headers, no body.
	Empty State = 1
	// Initialized: headers can be set and read; the body is not accessible.
	Initialized State = 2
	// Reading: a received envelope's headers have been read; the body is
	// being read.
	Reading State = 3
	// Writing: the envelope start and headers have been written; the body
	// is being written.
	Writing State = 4
	// Done: the body has been read or written to its end. Headers remain
	// accessible.
	Done State = 5
)

// String returns the state's name, such as "Initialized".
func (s State) String() string {
	switch s {
	case Empty:
		return "Empty"
	case Initialized:
		return "Initialized"
	case Reading:
		return "Reading"
	case Writing:
		return "Writing"
	case Done:
		return "Done"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// stateSet is a set of states, one bit per State value.
type stateSet uint8

func states(list ...State) stateSet {
	var s stateSet
	for _, st := range list {
		s |= 1 << st
	}
	return s
}

func (s stateSet) has(st State) bool { return st >= Empty && st <= Done && s&(1<<st) != 0 }

// String lists the states of s, as "Initialized, Reading or Done".
func (s stateSet) String() string {
	var names []string
	for st := Empty; st <= Done; st++ {
		if s.has(st) {
			names = append(names, st.String())
		}
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// operation is one row of the transition table: a Message method (or a
// group of methods with the same rule).
type operation uint8

// The operations. Getters without an error result (Action, MappedHeader,
// ...) consult the table too and return their zero value when the state
// does not allow them.
const (
	opInitialize operation = iota
	opWriteStart
	opWriteBody
	opBodyWriter
	opWriteEnd
	opReadStart
	opReadBody
	opBodyReader
	opReadEnd
	opSetHeader    // SetAction, SetTo, ..., RemoveHeader
	opGetHeader    // Action, To, ...
	opAddress      // Address
	opAddCustom    // AddCustomHeader
	opGetCustom    // CustomHeader, CustomHeaderAt, CustomHeaderCount
	opRemoveCustom // RemoveCustomHeader
	opMarkUnderstood
	opCheckMustUnderstand
	opSetMapped // AddMappedHeader, RemoveMappedHeader
	opGetMapped // MappedHeader, MappedHeaders
	opReset
	opCount
)

// transition is what the table says about one operation: the states it is
// allowed in and the state it leaves the message in on success (0: the
// state does not change).
type transition struct {
	name string
	from stateSet
	to   State
}

// headersAccessible are the states in which WWSAPI lets headers be read
// and changed: all but Empty.
var headersAccessible = states(Initialized, Reading, Writing, Done)

// transitions is WWSAPI's message state table (wwsapi.md §1.1), consulted
// by every method before it changes anything. An operation not allowed in
// the current state fails with InvalidOperation and changes nothing; a
// legal operation that fails for another reason does not change the state
// either.
var transitions = [opCount]transition{
	opInitialize:          {"Initialize", states(Empty), Initialized},
	opWriteStart:          {"WriteStart", states(Initialized), Writing},
	opWriteBody:           {"WriteBody", states(Writing), 0},
	opBodyWriter:          {"BodyWriter", states(Writing), 0},
	opWriteEnd:            {"WriteEnd", states(Writing), Done},
	opReadStart:           {"ReadStart", states(Empty), Reading},
	opReadBody:            {"ReadBody", states(Reading), 0},
	opBodyReader:          {"BodyReader", states(Reading), 0},
	opReadEnd:             {"ReadEnd", states(Reading), Done},
	opSetHeader:           {"SetHeader", headersAccessible, 0},
	opGetHeader:           {"GetHeader", headersAccessible, 0},
	opAddress:             {"Address", headersAccessible, 0},
	opAddCustom:           {"AddCustomHeader", headersAccessible, 0},
	opGetCustom:           {"CustomHeader", headersAccessible, 0},
	opRemoveCustom:        {"RemoveCustomHeader", headersAccessible, 0},
	opMarkUnderstood:      {"MarkUnderstood", headersAccessible, 0},
	opCheckMustUnderstand: {"CheckMustUnderstand", states(Reading, Done), 0},
	opSetMapped:           {"AddMappedHeader", headersAccessible, 0},
	opGetMapped:           {"MappedHeader", headersAccessible, 0},
	opReset:               {"Reset", states(Empty, Initialized, Reading, Writing, Done), Empty},
}

// allowed reports whether op may run in the message's current state.
func (m *Message) allowed(op operation) bool { return transitions[op].from.has(m.state) }

// check returns the InvalidOperation error for op in the current state, or
// nil when the table allows it.
func (m *Message) check(op operation) error { return m.checkFor(op, transitions[op].name) }

// checkFor is check for a method that shares op's row under another name.
func (m *Message) checkFor(op operation, method string) error {
	if m.allowed(op) {
		return nil
	}
	return errors.Errorf(errors.InvalidOperation,
		"%s is not allowed in message state %s; it needs state %s", method, m.state, transitions[op].from).WithOp(method)
}

// advance moves the message to op's target state after op succeeded.
func (m *Message) advance(op operation) {
	if to := transitions[op].to; to != 0 {
		m.state = to
	}
}
