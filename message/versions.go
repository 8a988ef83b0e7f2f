package message

import "strconv"

// EnvelopeVersion is the SOAP version of a message's envelope (WWSAPI's
// WS_ENVELOPE_VERSION). It is fixed when the message is created.
type EnvelopeVersion int

// The envelope versions, with WWSAPI's values.
const (
	// SOAP11 is SOAP 1.1 (namespace http://schemas.xmlsoap.org/soap/envelope/).
	SOAP11 EnvelopeVersion = 1
	// SOAP12 is SOAP 1.2 (namespace http://www.w3.org/2003/05/soap-envelope).
	SOAP12 EnvelopeVersion = 2
	// EnvelopeNone is a raw body without a SOAP envelope ("POX"). It
	// requires AddressingTransport, and such a message has no SOAP headers.
	EnvelopeNone EnvelopeVersion = 3
)

// The namespaces of the versions.
const (
	NamespaceSOAP11        = "http://schemas.xmlsoap.org/soap/envelope/"
	NamespaceSOAP12        = "http://www.w3.org/2003/05/soap-envelope"
	NamespaceAddressing0_9 = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	NamespaceAddressing1_0 = "http://www.w3.org/2005/08/addressing"
)

// The SOAP roles (SOAP 1.1 actors) that CheckMustUnderstand treats as
// targeting this node, besides a header without a role attribute.
const (
	RoleNext11             = "http://schemas.xmlsoap.org/soap/actor/next"
	RoleNext12             = "http://www.w3.org/2003/05/soap-envelope/role/next"
	RoleUltimateReceiver12 = "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"
	// RoleNone12 is the SOAP 1.2 role no node plays: headers with it are
	// never processed.
	RoleNone12 = "http://www.w3.org/2003/05/soap-envelope/role/none"
)

// String returns "SOAP 1.1", "SOAP 1.2" or "EnvelopeNone".
func (v EnvelopeVersion) String() string {
	switch v {
	case SOAP11:
		return "SOAP 1.1"
	case SOAP12:
		return "SOAP 1.2"
	case EnvelopeNone:
		return "EnvelopeNone"
	}
	return "EnvelopeVersion(" + strconv.Itoa(int(v)) + ")"
}

// Namespace returns the envelope namespace of v, "" for EnvelopeNone.
func (v EnvelopeVersion) Namespace() string {
	switch v {
	case SOAP11:
		return NamespaceSOAP11
	case SOAP12:
		return NamespaceSOAP12
	}
	return ""
}

func (v EnvelopeVersion) valid() bool { return v >= SOAP11 && v <= EnvelopeNone }

// envelopeVersionOf returns the SOAP version whose namespace is ns.
func envelopeVersionOf(ns []byte) (EnvelopeVersion, bool) {
	switch string(ns) {
	case NamespaceSOAP11:
		return SOAP11, true
	case NamespaceSOAP12:
		return SOAP12, true
	}
	return 0, false
}

// AddressingVersion is the WS-Addressing version of a message's headers
// (WWSAPI's WS_ADDRESSING_VERSION). It is fixed when the message is created.
type AddressingVersion int

// The addressing versions, with WWSAPI's values.
const (
	// Addressing0_9 is the WS-Addressing 2004/08 member submission
	// (namespace http://schemas.xmlsoap.org/ws/2004/08/addressing).
	Addressing0_9 AddressingVersion = 1
	// Addressing1_0 is W3C WS-Addressing 1.0 (namespace
	// http://www.w3.org/2005/08/addressing).
	Addressing1_0 AddressingVersion = 2
	// AddressingTransport writes no WS-Addressing headers: the transport
	// addresses the message (the HTTP URL and SOAPAction) and correlates the
	// reply (the HTTP response). Action and To are kept as message
	// properties for the transport to use.
	AddressingTransport AddressingVersion = 3
)

// String returns "WS-Addressing 0.9", "WS-Addressing 1.0" or
// "AddressingTransport".
func (a AddressingVersion) String() string {
	switch a {
	case Addressing0_9:
		return "WS-Addressing 0.9"
	case Addressing1_0:
		return "WS-Addressing 1.0"
	case AddressingTransport:
		return "AddressingTransport"
	}
	return "AddressingVersion(" + strconv.Itoa(int(a)) + ")"
}

// Namespace returns the WS-Addressing namespace of a, "" for
// AddressingTransport.
func (a AddressingVersion) Namespace() string {
	switch a {
	case Addressing0_9:
		return NamespaceAddressing0_9
	case Addressing1_0:
		return NamespaceAddressing1_0
	}
	return ""
}

// AnonymousURL returns the version's anonymous address (the reply goes
// back over the connection the request came in on), "" for
// AddressingTransport.
func (a AddressingVersion) AnonymousURL() string {
	switch a {
	case Addressing0_9:
		return NamespaceAddressing0_9 + "/role/anonymous"
	case Addressing1_0:
		return NamespaceAddressing1_0 + "/anonymous"
	}
	return ""
}

// NoneURL returns WS-Addressing 1.0's "none" address (messages sent to it
// are discarded); "" for the other versions, which have none.
func (a AddressingVersion) NoneURL() string {
	if a == Addressing1_0 {
		return NamespaceAddressing1_0 + "/none"
	}
	return ""
}

func (a AddressingVersion) valid() bool { return a >= Addressing0_9 && a <= AddressingTransport }

// usesHeaders reports whether the version writes WS-Addressing headers.
func (a AddressingVersion) usesHeaders() bool { return a == Addressing0_9 || a == Addressing1_0 }
