// Package errors is wsgo's error vocabulary: one [Code] per condition of the
// Windows Web Services API's WS_E_* set, and the rich [*Error] that carries a
// code together with the operation that failed, a stack of human-readable
// strings (WWSAPI's WsGetErrorString), the SOAP [Fault] when one was received,
// and the underlying cause.
//
// Every failure a wsgo caller can meet is an *Error with exactly one Code, so
// programs branch on the condition rather than on message text:
//
//	if errors.Is(err, errors.QuotaExceeded) { ... }
//	switch errors.CodeOf(err) {
//	case errors.EndpointUnreachable, errors.EndpointTooBusy:
//		// retry later
//	}
//
// The package also re-exports [Is], [As], [New], [Join] and [Unwrap] from the
// standard library, so it can replace "errors" in an import block.
//
// [Fault] lives here rather than in package message because both sides need
// it: a received fault travels inside an *Error (Code EndpointFaultReceived),
// and package message reads and writes it on the wire. The dependency points
// one way, message → errors.
package errors
