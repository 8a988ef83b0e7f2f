package errors

import (
	"context"
	stderrors "errors"
	"fmt"
	"strings"
)

// Error is the error every wsgo operation returns. It is comparable with
// errors.Is against a [Code], and its fields are meant to be read:
//
//	var e *errors.Error
//	if errors.As(err, &e) && e.Fault != nil {
//		log.Printf("fault %v: %s", e.Fault.Code.Value, e.Fault.Reason())
//	}
type Error struct {
	// Code is the condition; never OK.
	Code Code

	// Op names what was being done, such as "read envelope" or
	// "send http://host/svc". It may be empty.
	Op string

	// Strings are human-readable descriptions, most recent first, as
	// WWSAPI's WsGetErrorString index 0..n-1. The first one says what
	// happened; later ones add context that layers below supplied. Strings
	// may contain data received from the network.
	Strings []string

	// Quota names the limit that was hit when Code is QuotaExceeded, such as
	// "MaxDepth" or "MaxBufferedMessageSize".
	Quota string

	// Fault is the SOAP fault the peer sent, when Code is
	// EndpointFaultReceived (or a more specific code recognised from a
	// fault).
	Fault *Fault

	// Err is the underlying cause, if any: a net.OpError, a tls error, a
	// context error. Unwrap returns it.
	Err error
}

// Errorf returns an *Error with the given code and a first string formatted
// from format and args. A %w verb in format also records the wrapped error
// as the cause.
func Errorf(code Code, format string, args ...any) *Error {
	msg := fmt.Errorf(format, args...)
	e := &Error{Code: code, Strings: []string{msg.Error()}}
	e.Err = stderrors.Unwrap(msg)
	if e.Err == nil {
		if u, ok := msg.(interface{ Unwrap() []error }); ok {
			if errs := u.Unwrap(); len(errs) > 0 {
				e.Err = errs[0]
			}
		}
	}
	return e
}

// Quotaf returns an *Error with code QuotaExceeded naming the quota, with a
// string formatted from format and args.
func Quotaf(quota string, format string, args ...any) *Error {
	e := Errorf(QuotaExceeded, format, args...)
	e.Quota = quota
	return e
}

// WithOp sets the operation name and returns e, for use in return
// statements: return errors.Errorf(...).WithOp("read body").
func (e *Error) WithOp(op string) *Error {
	e.Op = op
	return e
}

// AddString pushes a new most-recent description onto e's string stack, as
// WWSAPI's WsAddErrorString, and returns e.
func (e *Error) AddString(s string) *Error {
	e.Strings = append(e.Strings, "")
	copy(e.Strings[1:], e.Strings)
	e.Strings[0] = s
	return e
}

// Error formats e as "wsgo: OP: STRING0: STRING1...", followed by the cause
// when no string already includes it.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wsgo: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if len(e.Strings) == 0 {
		if e.Fault != nil {
			b.WriteString("service returned ")
			b.WriteString(e.Fault.Error())
		} else {
			b.WriteString(describe(e.Code))
		}
	}
	for i, s := range e.Strings {
		if i > 0 {
			b.WriteString(": ")
		}
		b.WriteString(s)
	}
	if e.Err != nil {
		cause := e.Err.Error()
		if !containsString(e.Strings, cause) {
			b.WriteString(": ")
			b.WriteString(cause)
		}
	}
	return b.String()
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is e's Code, or an *Error with the same Code
// (and, when the target names one, the same Quota).
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Code:
		return e.Code == t
	case *Error:
		return t != nil && e.Code == t.Code && (t.Quota == "" || t.Quota == e.Quota)
	}
	return false
}

// CodeOf returns the Code of the first *Error in err's tree, OK for nil, and
// Other for an error that carries no Code. A context.Canceled or
// context.DeadlineExceeded without a wsgo error around it maps to
// OperationAborted or OperationTimedOut.
func CodeOf(err error) Code {
	if err == nil {
		return OK
	}
	var e *Error
	if stderrors.As(err, &e) {
		return e.Code
	}
	var c Code
	if stderrors.As(err, &c) {
		return c
	}
	if isTimeout(err) {
		return OperationTimedOut
	}
	if isCanceled(err) {
		return OperationAborted
	}
	return Other
}

// isTimeout reports a deadline: context.DeadlineExceeded or a net error
// whose Timeout method says so.
func isTimeout(err error) bool {
	if stderrors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return stderrors.As(err, &t) && t.Timeout()
}

func isCanceled(err error) bool { return stderrors.Is(err, context.Canceled) }

// describe is the default text of a code when an *Error carries no string.
func describe(c Code) string {
	switch c {
	case QuotaExceeded:
		return "a quota was exceeded"
	case InvalidFormat:
		return "the input is not in the expected format"
	case InvalidOperation:
		return "the call is not allowed in the object's current state"
	}
	return c.String()
}
