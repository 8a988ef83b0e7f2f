package errors

import (
	"slices"
	"strconv"
)

// Code names one error condition. Its numeric value is the HRESULT WWSAPI
// returns for the same condition (FACILITY_WEBSERVICES is 0x3D), so
// uint32(code) can be compared with values logged by Windows peers.
//
// Each constant's comment names the WWSAPI constant it mirrors, the situations
// in which wsgo returns it, and whether retrying can help. The endpoint codes
// are chosen by what is known about the peer:
//
//   - EndpointNotFound: the address does not lead to a service (DNS name
//     unknown, HTTP 404). Retrying the same address will not help.
//   - EndpointUnreachable: nothing answered at all (connection refused, no
//     route). Retry later or check the network.
//   - EndpointNotAvailable: the service answered that it is out of service
//     (HTTP 503 without a hint that it is merely busy). Retry much later.
//   - EndpointTooBusy: the service answered that it is overloaded (HTTP 429, or
//     503 with Retry-After). Retry after the delay it asked for.
//   - EndpointFailure: the service answered but could not process the request
//     (HTTP 500 without a SOAP fault, other 5xx). Retrying may not help.
//   - EndpointDisconnected: an exchange that had started was cut (reset, EOF
//     mid-body). The call may or may not have taken effect.
type Code uint32

// The codes, in WWSAPI's numeric order.
const (
	// OK is the zero Code: no error. CodeOf(nil) returns OK.
	OK Code = 0

	// InvalidFormat (WS_E_INVALID_FORMAT, 0x803D0000): input was not in the
	// expected format: malformed or forbidden XML (a DTD, an undefined entity,
	// invalid UTF-8), an envelope or body that does not match the expected
	// schema, a reply with a wrong content type or an unexpected HTTP status.
	// Retrying the same exchange will not help.
	InvalidFormat Code = 0x803D0000

	// ObjectFaulted (WS_E_OBJECT_FAULTED, 0x803D0001): the object (a channel,
	// a listener) was faulted by an earlier unrecoverable error; only Abort,
	// Close or Reset are allowed now.
	ObjectFaulted Code = 0x803D0001

	// NumericOverflow (WS_E_NUMERIC_OVERFLOW, 0x803D0002): a number on the
	// wire does not fit the Go type it is read into (300 into a uint8), or an
	// arithmetic result would overflow. A contract mismatch; retrying will not
	// help.
	NumericOverflow Code = 0x803D0002

	// InvalidOperation (WS_E_INVALID_OPERATION, 0x803D0003): the call is not
	// allowed in the object's current state (writing a body into a message that
	// was never initialized, opening a channel twice). A bug in the calling
	// program; the object is unchanged.
	InvalidOperation Code = 0x803D0003

	// OperationAborted (WS_E_OPERATION_ABORTED, 0x803D0004): the operation was
	// cancelled: its context was cancelled, or the object was aborted while the
	// operation was pending.
	OperationAborted Code = 0x803D0004

	// EndpointAccessDenied (WS_E_ENDPOINT_ACCESS_DENIED, 0x803D0005): the
	// service said access is denied (HTTP 403, or 401 after credentials were
	// sent and rejected). Fix the credentials; retrying as is will not help.
	EndpointAccessDenied Code = 0x803D0005

	// OperationTimedOut (WS_E_OPERATION_TIMED_OUT, 0x803D0006): the operation
	// did not finish within its timeout or the context's deadline. The peer
	// may still be working; retrying may help.
	OperationTimedOut Code = 0x803D0006

	// OperationAbandoned (WS_E_OPERATION_ABANDONED, 0x803D0007): the caller
	// stopped waiting for a pending operation, which may still run to its end.
	OperationAbandoned Code = 0x803D0007

	// QuotaExceeded (WS_E_QUOTA_EXCEEDED, 0x803D0008): a configured limit
	// would be exceeded: message size, XML depth, attributes per element,
	// namespaces in scope, bytes of one token, processed headers, pending
	// calls. The *Error's Quota field names the limit. Raise the quota if the
	// input is legitimate; retrying as is will not help.
	QuotaExceeded Code = 0x803D0008

	// NoTranslationAvailable (WS_E_NO_TRANSLATION_AVAILABLE, 0x803D0009): a
	// fault reason or error string is not available in the requested language.
	NoTranslationAvailable Code = 0x803D0009

	// SecurityVerificationFailure (WS_E_SECURITY_VERIFICATION_FAILURE,
	// 0x803D000A): received security data was well-formed but could not be
	// verified: a bad signature, an unknown user, a replayed nonce, a stale
	// timestamp.
	SecurityVerificationFailure Code = 0x803D000A

	// AddressInUse (WS_E_ADDRESS_IN_USE, 0x803D000B): a listener could not
	// bind its address because another socket holds it.
	AddressInUse Code = 0x803D000B

	// AddressNotAvailable (WS_E_ADDRESS_NOT_AVAILABLE, 0x803D000C): the
	// listen address cannot be used on this machine (not a local address).
	AddressNotAvailable Code = 0x803D000C

	// EndpointNotFound (WS_E_ENDPOINT_NOT_FOUND, 0x803D000D): the endpoint
	// does not exist: the host name does not resolve, or the server answered
	// 404 for the path. Check the address; retrying will not help.
	EndpointNotFound Code = 0x803D000D

	// EndpointNotAvailable (WS_E_ENDPOINT_NOT_AVAILABLE, 0x803D000E): the
	// service said it is out of service at this address (HTTP 503 without
	// Retry-After, 410). Retry much later or use another endpoint.
	EndpointNotAvailable Code = 0x803D000E

	// EndpointFailure (WS_E_ENDPOINT_FAILURE, 0x803D000F): the service
	// answered but could not process the request (HTTP 500 without a SOAP
	// fault, 502, 504, other 5xx).
	EndpointFailure Code = 0x803D000F

	// EndpointUnreachable (WS_E_ENDPOINT_UNREACHABLE, 0x803D0010): nothing
	// answered: connection refused, host or network unreachable. Retrying
	// later may help.
	EndpointUnreachable Code = 0x803D0010

	// EndpointActionNotSupported (WS_E_ENDPOINT_ACTION_NOT_SUPPORTED,
	// 0x803D0011): the service does not support the requested action (an
	// ActionNotSupported fault, HTTP 405). A contract mismatch.
	EndpointActionNotSupported Code = 0x803D0011

	// EndpointTooBusy (WS_E_ENDPOINT_TOO_BUSY, 0x803D0012): the service said
	// it is too busy (HTTP 429, 503 with Retry-After, a ServerTooBusy fault).
	// Retry after the delay the service asked for.
	EndpointTooBusy Code = 0x803D0012

	// EndpointFaultReceived (WS_E_ENDPOINT_FAULT_RECEIVED, 0x803D0013): the
	// service answered with a SOAP fault; the *Error's Fault field holds it.
	EndpointFaultReceived Code = 0x803D0013

	// EndpointDisconnected (WS_E_ENDPOINT_DISCONNECTED, 0x803D0014): the
	// connection was closed or reset by the peer during an exchange (EOF or
	// reset mid-body, truncated reply). The request may have taken effect.
	EndpointDisconnected Code = 0x803D0014

	// ProxyFailure (WS_E_PROXY_FAILURE, 0x803D0015): the HTTP proxy failed to
	// process the request (it could not connect onward, answered 502/504, or
	// refused the CONNECT tunnel).
	ProxyFailure Code = 0x803D0015

	// ProxyAccessDenied (WS_E_PROXY_ACCESS_DENIED, 0x803D0016): the HTTP proxy
	// denied access (403, or 407 after credentials were sent and rejected).
	ProxyAccessDenied Code = 0x803D0016

	// NotSupported (WS_E_NOT_SUPPORTED, 0x803D0017): the feature is not
	// supported by this build or binding.
	NotSupported Code = 0x803D0017

	// ProxyRequiresBasicAuth (WS_E_PROXY_REQUIRES_BASIC_AUTH, 0x803D0018): the
	// proxy asks for Basic authentication, which is not enabled for the proxy.
	ProxyRequiresBasicAuth Code = 0x803D0018

	// ProxyRequiresDigestAuth (WS_E_PROXY_REQUIRES_DIGEST_AUTH, 0x803D0019):
	// the proxy asks for Digest authentication, which is not enabled for it.
	ProxyRequiresDigestAuth Code = 0x803D0019

	// ProxyRequiresNTLMAuth (WS_E_PROXY_REQUIRES_NTLM_AUTH, 0x803D001A): the
	// proxy asks for NTLM authentication, which is not enabled for it.
	ProxyRequiresNTLMAuth Code = 0x803D001A

	// ProxyRequiresNegotiateAuth (WS_E_PROXY_REQUIRES_NEGOTIATE_AUTH,
	// 0x803D001B): the proxy asks for Negotiate (SPNEGO/Kerberos)
	// authentication, which is not enabled for it.
	ProxyRequiresNegotiateAuth Code = 0x803D001B

	// ServerRequiresBasicAuth (WS_E_SERVER_REQUIRES_BASIC_AUTH, 0x803D001C):
	// the service asks for Basic authentication, which is not enabled.
	ServerRequiresBasicAuth Code = 0x803D001C

	// ServerRequiresDigestAuth (WS_E_SERVER_REQUIRES_DIGEST_AUTH, 0x803D001D):
	// the service asks for Digest authentication, which is not enabled.
	ServerRequiresDigestAuth Code = 0x803D001D

	// ServerRequiresNTLMAuth (WS_E_SERVER_REQUIRES_NTLM_AUTH, 0x803D001E): the
	// service asks for NTLM authentication, which is not enabled.
	ServerRequiresNTLMAuth Code = 0x803D001E

	// ServerRequiresNegotiateAuth (WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH,
	// 0x803D001F): the service asks for Negotiate authentication, which is not
	// enabled.
	ServerRequiresNegotiateAuth Code = 0x803D001F

	// InvalidEndpointURL (WS_E_INVALID_ENDPOINT_URL, 0x803D0020): the address
	// is not a valid URL for the binding (bad syntax, unsupported scheme).
	InvalidEndpointURL Code = 0x803D0020

	// Other (WS_E_OTHER, 0x803D0021): a failure in an underlying component
	// that no other code describes. The cause is kept in the *Error.
	Other Code = 0x803D0021

	// SecurityTokenExpired (WS_E_SECURITY_TOKEN_EXPIRED, 0x803D0022): a
	// security token was rejected because its lifetime ended; obtaining a new
	// token and retrying may help.
	SecurityTokenExpired Code = 0x803D0022

	// SecuritySystemFailure (WS_E_SECURITY_SYSTEM_FAILURE, 0x803D0023): a
	// security component failed (Kerberos library, key material unreadable).
	SecuritySystemFailure Code = 0x803D0023

	// CertExpired (CERT_E_EXPIRED, 0x800B0101): the peer's certificate is
	// expired or not yet valid.
	CertExpired Code = 0x800B0101

	// CertUntrustedRoot (CERT_E_UNTRUSTEDROOT, 0x800B0109): the peer's
	// certificate chains to a root that is not trusted.
	CertUntrustedRoot Code = 0x800B0109

	// CertCNNoMatch (CERT_E_CN_NO_MATCH, 0x800B010F): the peer's certificate
	// does not name the host that was dialled (CN/SAN mismatch).
	CertCNNoMatch Code = 0x800B010F

	// CertWrongUsage (CERT_E_WRONG_USAGE, 0x800B0110): the peer's certificate
	// is not valid for this use (extended key usage lacks server or client
	// authentication).
	CertWrongUsage Code = 0x800B0110

	// CertRevocationOffline (CRYPT_E_REVOCATION_OFFLINE, 0x80092013): the
	// revocation status of the peer's certificate could not be checked.
	CertRevocationOffline Code = 0x80092013

	// OutOfMemory (E_OUTOFMEMORY, 0x8007000E): memory could not be obtained.
	OutOfMemory Code = 0x8007000E

	// InvalidArgument (E_INVALIDARG, 0x80070057): an argument is invalid (a
	// nil pointer where a value is needed, a type the serializer cannot
	// handle). A bug in the calling program.
	InvalidArgument Code = 0x80070057
)

var codeNames = map[Code]string{
	OK:                          "OK",
	InvalidFormat:               "InvalidFormat",
	ObjectFaulted:               "ObjectFaulted",
	NumericOverflow:             "NumericOverflow",
	InvalidOperation:            "InvalidOperation",
	OperationAborted:            "OperationAborted",
	EndpointAccessDenied:        "EndpointAccessDenied",
	OperationTimedOut:           "OperationTimedOut",
	OperationAbandoned:          "OperationAbandoned",
	QuotaExceeded:               "QuotaExceeded",
	NoTranslationAvailable:      "NoTranslationAvailable",
	SecurityVerificationFailure: "SecurityVerificationFailure",
	AddressInUse:                "AddressInUse",
	AddressNotAvailable:         "AddressNotAvailable",
	EndpointNotFound:            "EndpointNotFound",
	EndpointNotAvailable:        "EndpointNotAvailable",
	EndpointFailure:             "EndpointFailure",
	EndpointUnreachable:         "EndpointUnreachable",
	EndpointActionNotSupported:  "EndpointActionNotSupported",
	EndpointTooBusy:             "EndpointTooBusy",
	EndpointFaultReceived:       "EndpointFaultReceived",
	EndpointDisconnected:        "EndpointDisconnected",
	ProxyFailure:                "ProxyFailure",
	ProxyAccessDenied:           "ProxyAccessDenied",
	NotSupported:                "NotSupported",
	ProxyRequiresBasicAuth:      "ProxyRequiresBasicAuth",
	ProxyRequiresDigestAuth:     "ProxyRequiresDigestAuth",
	ProxyRequiresNTLMAuth:       "ProxyRequiresNTLMAuth",
	ProxyRequiresNegotiateAuth:  "ProxyRequiresNegotiateAuth",
	ServerRequiresBasicAuth:     "ServerRequiresBasicAuth",
	ServerRequiresDigestAuth:    "ServerRequiresDigestAuth",
	ServerRequiresNTLMAuth:      "ServerRequiresNTLMAuth",
	ServerRequiresNegotiateAuth: "ServerRequiresNegotiateAuth",
	InvalidEndpointURL:          "InvalidEndpointURL",
	Other:                       "Other",
	SecurityTokenExpired:        "SecurityTokenExpired",
	SecuritySystemFailure:       "SecuritySystemFailure",
	CertExpired:                 "CertExpired",
	CertUntrustedRoot:           "CertUntrustedRoot",
	CertCNNoMatch:               "CertCNNoMatch",
	CertWrongUsage:              "CertWrongUsage",
	CertRevocationOffline:       "CertRevocationOffline",
	OutOfMemory:                 "OutOfMemory",
	InvalidArgument:             "InvalidArgument",
}

var wwsNames = map[Code]string{
	InvalidFormat:               "WS_E_INVALID_FORMAT",
	ObjectFaulted:               "WS_E_OBJECT_FAULTED",
	NumericOverflow:             "WS_E_NUMERIC_OVERFLOW",
	InvalidOperation:            "WS_E_INVALID_OPERATION",
	OperationAborted:            "WS_E_OPERATION_ABORTED",
	EndpointAccessDenied:        "WS_E_ENDPOINT_ACCESS_DENIED",
	OperationTimedOut:           "WS_E_OPERATION_TIMED_OUT",
	OperationAbandoned:          "WS_E_OPERATION_ABANDONED",
	QuotaExceeded:               "WS_E_QUOTA_EXCEEDED",
	NoTranslationAvailable:      "WS_E_NO_TRANSLATION_AVAILABLE",
	SecurityVerificationFailure: "WS_E_SECURITY_VERIFICATION_FAILURE",
	AddressInUse:                "WS_E_ADDRESS_IN_USE",
	AddressNotAvailable:         "WS_E_ADDRESS_NOT_AVAILABLE",
	EndpointNotFound:            "WS_E_ENDPOINT_NOT_FOUND",
	EndpointNotAvailable:        "WS_E_ENDPOINT_NOT_AVAILABLE",
	EndpointFailure:             "WS_E_ENDPOINT_FAILURE",
	EndpointUnreachable:         "WS_E_ENDPOINT_UNREACHABLE",
	EndpointActionNotSupported:  "WS_E_ENDPOINT_ACTION_NOT_SUPPORTED",
	EndpointTooBusy:             "WS_E_ENDPOINT_TOO_BUSY",
	EndpointFaultReceived:       "WS_E_ENDPOINT_FAULT_RECEIVED",
	EndpointDisconnected:        "WS_E_ENDPOINT_DISCONNECTED",
	ProxyFailure:                "WS_E_PROXY_FAILURE",
	ProxyAccessDenied:           "WS_E_PROXY_ACCESS_DENIED",
	NotSupported:                "WS_E_NOT_SUPPORTED",
	ProxyRequiresBasicAuth:      "WS_E_PROXY_REQUIRES_BASIC_AUTH",
	ProxyRequiresDigestAuth:     "WS_E_PROXY_REQUIRES_DIGEST_AUTH",
	ProxyRequiresNTLMAuth:       "WS_E_PROXY_REQUIRES_NTLM_AUTH",
	ProxyRequiresNegotiateAuth:  "WS_E_PROXY_REQUIRES_NEGOTIATE_AUTH",
	ServerRequiresBasicAuth:     "WS_E_SERVER_REQUIRES_BASIC_AUTH",
	ServerRequiresDigestAuth:    "WS_E_SERVER_REQUIRES_DIGEST_AUTH",
	ServerRequiresNTLMAuth:      "WS_E_SERVER_REQUIRES_NTLM_AUTH",
	ServerRequiresNegotiateAuth: "WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH",
	InvalidEndpointURL:          "WS_E_INVALID_ENDPOINT_URL",
	Other:                       "WS_E_OTHER",
	SecurityTokenExpired:        "WS_E_SECURITY_TOKEN_EXPIRED",
	SecuritySystemFailure:       "WS_E_SECURITY_SYSTEM_FAILURE",
	CertExpired:                 "CERT_E_EXPIRED",
	CertUntrustedRoot:           "CERT_E_UNTRUSTEDROOT",
	CertCNNoMatch:               "CERT_E_CN_NO_MATCH",
	CertWrongUsage:              "CERT_E_WRONG_USAGE",
	CertRevocationOffline:       "CRYPT_E_REVOCATION_OFFLINE",
	OutOfMemory:                 "E_OUTOFMEMORY",
	InvalidArgument:             "E_INVALIDARG",
}

// String returns the code's Go name, such as "QuotaExceeded", or
// "Code(0x...)" for a value that is not one of the constants.
func (c Code) String() string {
	if s, ok := codeNames[c]; ok {
		return s
	}
	return "Code(0x" + strconv.FormatUint(uint64(c), 16) + ")"
}

// HRESULT returns the code's Windows HRESULT value, such as 0x803D0008.
func (c Code) HRESULT() uint32 { return uint32(c) }

// WWSName returns the name of the WWSAPI (or Win32) constant the code
// mirrors, such as "WS_E_QUOTA_EXCEEDED"; "" for OK and unknown values.
func (c Code) WWSName() string { return wwsNames[c] }

// Error makes a Code usable as an errors.Is target: errors.Is(err,
// errors.QuotaExceeded) reports whether err carries that code. It returns
// the same text as String, so a Code prints as its name with any fmt verb
// (fmt prefers Error to String). A bare Code is rarely returned as an error
// itself.
func (c Code) Error() string { return c.String() }

// Codes returns every defined Code except OK, in numeric order of their
// WWSAPI definition. It is meant for tests and documentation tools.
func Codes() []Code {
	out := make([]Code, 0, len(codeNames)-1)
	for c := range codeNames {
		if c != OK {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}
