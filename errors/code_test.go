package errors_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// TestCodesMirrorWWSAPI checks every code against the HRESULT and constant
// name of webservices.h / winerror.h.
func TestCodesMirrorWWSAPI(t *testing.T) {
	want := map[errors.Code]struct {
		hr   uint32
		name string
	}{
		errors.InvalidFormat:               {0x803D0000, "WS_E_INVALID_FORMAT"},
		errors.ObjectFaulted:               {0x803D0001, "WS_E_OBJECT_FAULTED"},
		errors.NumericOverflow:             {0x803D0002, "WS_E_NUMERIC_OVERFLOW"},
		errors.InvalidOperation:            {0x803D0003, "WS_E_INVALID_OPERATION"},
		errors.OperationAborted:            {0x803D0004, "WS_E_OPERATION_ABORTED"},
		errors.EndpointAccessDenied:        {0x803D0005, "WS_E_ENDPOINT_ACCESS_DENIED"},
		errors.OperationTimedOut:           {0x803D0006, "WS_E_OPERATION_TIMED_OUT"},
		errors.OperationAbandoned:          {0x803D0007, "WS_E_OPERATION_ABANDONED"},
		errors.QuotaExceeded:               {0x803D0008, "WS_E_QUOTA_EXCEEDED"},
		errors.NoTranslationAvailable:      {0x803D0009, "WS_E_NO_TRANSLATION_AVAILABLE"},
		errors.SecurityVerificationFailure: {0x803D000A, "WS_E_SECURITY_VERIFICATION_FAILURE"},
		errors.AddressInUse:                {0x803D000B, "WS_E_ADDRESS_IN_USE"},
		errors.AddressNotAvailable:         {0x803D000C, "WS_E_ADDRESS_NOT_AVAILABLE"},
		errors.EndpointNotFound:            {0x803D000D, "WS_E_ENDPOINT_NOT_FOUND"},
		errors.EndpointNotAvailable:        {0x803D000E, "WS_E_ENDPOINT_NOT_AVAILABLE"},
		errors.EndpointFailure:             {0x803D000F, "WS_E_ENDPOINT_FAILURE"},
		errors.EndpointUnreachable:         {0x803D0010, "WS_E_ENDPOINT_UNREACHABLE"},
		errors.EndpointActionNotSupported:  {0x803D0011, "WS_E_ENDPOINT_ACTION_NOT_SUPPORTED"},
		errors.EndpointTooBusy:             {0x803D0012, "WS_E_ENDPOINT_TOO_BUSY"},
		errors.EndpointFaultReceived:       {0x803D0013, "WS_E_ENDPOINT_FAULT_RECEIVED"},
		errors.EndpointDisconnected:        {0x803D0014, "WS_E_ENDPOINT_DISCONNECTED"},
		errors.ProxyFailure:                {0x803D0015, "WS_E_PROXY_FAILURE"},
		errors.ProxyAccessDenied:           {0x803D0016, "WS_E_PROXY_ACCESS_DENIED"},
		errors.NotSupported:                {0x803D0017, "WS_E_NOT_SUPPORTED"},
		errors.ProxyRequiresBasicAuth:      {0x803D0018, "WS_E_PROXY_REQUIRES_BASIC_AUTH"},
		errors.ProxyRequiresDigestAuth:     {0x803D0019, "WS_E_PROXY_REQUIRES_DIGEST_AUTH"},
		errors.ProxyRequiresNTLMAuth:       {0x803D001A, "WS_E_PROXY_REQUIRES_NTLM_AUTH"},
		errors.ProxyRequiresNegotiateAuth:  {0x803D001B, "WS_E_PROXY_REQUIRES_NEGOTIATE_AUTH"},
		errors.ServerRequiresBasicAuth:     {0x803D001C, "WS_E_SERVER_REQUIRES_BASIC_AUTH"},
		errors.ServerRequiresDigestAuth:    {0x803D001D, "WS_E_SERVER_REQUIRES_DIGEST_AUTH"},
		errors.ServerRequiresNTLMAuth:      {0x803D001E, "WS_E_SERVER_REQUIRES_NTLM_AUTH"},
		errors.ServerRequiresNegotiateAuth: {0x803D001F, "WS_E_SERVER_REQUIRES_NEGOTIATE_AUTH"},
		errors.InvalidEndpointURL:          {0x803D0020, "WS_E_INVALID_ENDPOINT_URL"},
		errors.Other:                       {0x803D0021, "WS_E_OTHER"},
		errors.SecurityTokenExpired:        {0x803D0022, "WS_E_SECURITY_TOKEN_EXPIRED"},
		errors.SecuritySystemFailure:       {0x803D0023, "WS_E_SECURITY_SYSTEM_FAILURE"},
		errors.CertExpired:                 {0x800B0101, "CERT_E_EXPIRED"},
		errors.CertUntrustedRoot:           {0x800B0109, "CERT_E_UNTRUSTEDROOT"},
		errors.CertCNNoMatch:               {0x800B010F, "CERT_E_CN_NO_MATCH"},
		errors.CertWrongUsage:              {0x800B0110, "CERT_E_WRONG_USAGE"},
		errors.CertRevocationOffline:       {0x80092013, "CRYPT_E_REVOCATION_OFFLINE"},
		errors.OutOfMemory:                 {0x8007000E, "E_OUTOFMEMORY"},
		errors.InvalidArgument:             {0x80070057, "E_INVALIDARG"},
	}
	codes := errors.Codes()
	if len(codes) != len(want) {
		t.Fatalf("Codes() has %d codes, the WWSAPI table %d", len(codes), len(want))
	}
	for i, c := range codes {
		if i > 0 && codes[i-1] >= c {
			t.Errorf("Codes() not in ascending order at %d: %v then %v", i, codes[i-1], c)
		}
		w, ok := want[c]
		if !ok {
			t.Errorf("Codes() lists %v, which the WWSAPI table lacks", c)
			continue
		}
		if c.HRESULT() != w.hr {
			t.Errorf("%v.HRESULT() = %#x, want %#x", c, c.HRESULT(), w.hr)
		}
		if c.WWSName() != w.name {
			t.Errorf("%v.WWSName() = %q, want %q", c, c.WWSName(), w.name)
		}
		if s := c.String(); s == "" || strings.HasPrefix(s, "Code(") {
			t.Errorf("%#x has no readable name: %q", uint32(c), s)
		}
	}
}

func TestCodeStringUnknown(t *testing.T) {
	if got := errors.Code(0x803D00FF).String(); got != "Code(0x803d00ff)" {
		t.Errorf("unknown code String() = %q", got)
	}
	if errors.OK.WWSName() != "" {
		t.Errorf("OK has a WWSAPI name")
	}
}

func TestCodePrintsAsName(t *testing.T) {
	for _, verb := range []string{"%v", "%s"} {
		if got := fmt.Sprintf(verb, errors.QuotaExceeded); got != "QuotaExceeded" {
			t.Errorf("Sprintf(%q, QuotaExceeded) = %q", verb, got)
		}
	}
}
