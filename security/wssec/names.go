package wssec

import "encoding/xml"

// The namespaces of OASIS WS-Security 1.0/1.1 and XML Signature.
const (
	// NamespaceWSSE is the wsse namespace (WSS 1.0 SOAP Message Security):
	// Security, UsernameToken, BinarySecurityToken,
	// SecurityTokenReference, and the fault subcodes.
	NamespaceWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	// NamespaceWSU is the wsu namespace (WSS 1.0 utility): Id, Timestamp,
	// Created, Expires.
	NamespaceWSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	// NamespaceDS is the XML Signature namespace.
	NamespaceDS = "http://www.w3.org/2000/09/xmldsig#"
	// NamespaceXENC is the XML Encryption namespace. Encrypted parts are
	// not supported: a Security header carrying them is rejected.
	NamespaceXENC = "http://www.w3.org/2001/04/xmlenc#"
)

// URIs of the token profiles (Type, ValueType and EncodingType values).
const (
	usernameProfile = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
	// PasswordTextType is the Type of a wsse:Password sent in clear.
	PasswordTextType = usernameProfile + "#PasswordText"
	// PasswordDigestType is the Type of a wsse:Password holding
	// Base64(SHA-1(nonce + created + password)).
	PasswordDigestType = usernameProfile + "#PasswordDigest"
	// Base64BinaryEncoding is the EncodingType of base64 nonces and binary
	// tokens.
	Base64BinaryEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
	// X509v3ValueType is the ValueType of a BinarySecurityToken holding
	// one DER X.509 v3 certificate (X.509 Token Profile 1.0).
	X509v3ValueType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
)

// Algorithm URIs (XML Signature, xmldsig-more, Exclusive C14N).
const (
	// ExcC14N is Exclusive XML Canonicalization 1.0 without comments, the
	// only canonicalization and transform accepted.
	ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
	// RSASHA256 is the RSA PKCS#1 v1.5 signature with SHA-256, the default.
	RSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	// RSASHA1 is the RSA PKCS#1 v1.5 signature with SHA-1, for older
	// stacks; verified only when the Policy allows SHA-1.
	RSASHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	// DigestSHA256 is the SHA-256 reference digest, the default.
	DigestSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	// DigestSHA1 is the SHA-1 reference digest, for older stacks.
	DigestSHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
)

// The WSS fault subcodes (WSS 1.0 SOAP Message Security §12, and wsu's
// MessageExpired of §10). A Verify failure carries one (see Failure).
var (
	// FailedAuthentication: the security token could not be authenticated
	// or authorized (unknown user, wrong password).
	FailedAuthentication = xml.Name{Space: NamespaceWSSE, Local: "FailedAuthentication"}
	// InvalidSecurity: the Security header is missing, malformed or asks
	// for something this node does not accept.
	InvalidSecurity = xml.Name{Space: NamespaceWSSE, Local: "InvalidSecurity"}
	// InvalidSecurityToken: a token (certificate) is malformed or not
	// trusted.
	InvalidSecurityToken = xml.Name{Space: NamespaceWSSE, Local: "InvalidSecurityToken"}
	// FailedCheck: a signature value or a reference digest does not match.
	FailedCheck = xml.Name{Space: NamespaceWSSE, Local: "FailedCheck"}
	// MessageExpired: the message's timestamp is too old.
	MessageExpired = xml.Name{Space: NamespaceWSU, Local: "MessageExpired"}
)

// SecurityHeader is the name of the wsse:Security header.
var SecurityHeader = xml.Name{Space: NamespaceWSSE, Local: "Security"}
