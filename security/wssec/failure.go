package wssec

import (
	"encoding/xml"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Failure is the cause inside every *errors.Error Verify returns: the WSS
// fault subcode a service answers with. The error's own strings say in
// detail what failed (for the log); the fault says only what the WSS
// specification's fault strings say, so a caller learns nothing about
// which check an attacker tripped.
//
//	var f *wssec.Failure
//	if errors.As(err, &f) { ... f.Subcode ... }
type Failure struct {
	// Subcode is one of FailedAuthentication, InvalidSecurity,
	// InvalidSecurityToken, FailedCheck, MessageExpired.
	Subcode xml.Name
}

// Error names the subcode.
func (f *Failure) Error() string { return "WS-Security fault " + f.Subcode.Local }

// SecurityFault returns the fault to answer with in envelope version env:
// SOAP 1.1 faultcode wsse:… (wsu:MessageExpired), SOAP 1.2 Sender with the
// subcode. The channel calls it when a request fails Verify.
func (f *Failure) SecurityFault(env message.EnvelopeVersion) *errors.Fault {
	reason := faultReasons[f.Subcode.Local]
	if reason == "" {
		reason = faultReasons[InvalidSecurity.Local]
	}
	if env == message.SOAP11 {
		return &errors.Fault{
			Code:    errors.FaultCode{Value: f.Subcode},
			Reasons: []errors.FaultReason{{Text: reason, Lang: "en"}},
		}
	}
	fault := message.NewFault(env, message.FaultSender, reason)
	fault.Code.Subcode = &errors.FaultCode{Value: f.Subcode}
	return fault
}

// faultReasons are the fault strings of WSS 1.0 §12 and §10.
var faultReasons = map[string]string{
	FailedAuthentication.Local: "The security token could not be authenticated or authorized",
	InvalidSecurity.Local:      "An error was discovered processing the <wsse:Security> header",
	InvalidSecurityToken.Local: "An invalid security token was provided",
	FailedCheck.Local:          "The signature or decryption was invalid",
	MessageExpired.Local:       "The message has expired",
}

// Fault returns the SOAP fault (in envelope version env) that answers err,
// an error of Verify, or nil when err carries no WSS failure.
func Fault(err error, env message.EnvelopeVersion) *errors.Fault {
	var f *Failure
	if !errors.As(err, &f) {
		return nil
	}
	return f.SecurityFault(env)
}

// fail returns a verification error: code SecurityVerificationFailure
// (SecurityTokenExpired for MessageExpired) with the subcode as cause.
func fail(sub xml.Name, format string, args ...any) *errors.Error {
	code := errors.SecurityVerificationFailure
	if sub == MessageExpired {
		code = errors.SecurityTokenExpired
	}
	e := errors.Errorf(code, format, args...)
	e.Err = &Failure{Subcode: sub}
	return e.WithOp("verify WS-Security")
}
