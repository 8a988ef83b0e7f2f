package service

import (
	"encoding/xml"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// NewFault returns an error that a handler returns to answer with a SOAP
// fault: a standard code (message.FaultSender for a problem with the
// request, message.FaultReceiver for one of the service), an optional
// application subcode (a zero xml.Name for none), a reason, and an optional
// detail value that package serialize writes as an element (nil for none).
// The host writes it in the request's SOAP version; in SOAP 1.1, which has
// no subcodes, the subcode becomes the fault code.
//
// The error is the same *errors.Error a client receives for a fault (Code
// EndpointFaultReceived), so a fault received from another service can be
// returned as is to relay it.
func NewFault(code message.StandardFaultCode, subcode xml.Name, reason string, detail any) error {
	f := message.NewFault(message.SOAP12, code, reason)
	if subcode.Local != "" {
		f.Code.Subcode = &errors.FaultCode{Value: subcode}
	}
	if detail != nil {
		if err := message.SetFaultDetail(f, detail); err != nil {
			return err
		}
	}
	e := errors.Errorf(errors.EndpointFaultReceived, "fault %s: %s", subcode.Local, reason)
	e.Fault = f
	return e
}

// adaptFault returns f in the form of envelope version env: SOAP 1.2 codes
// are translated to SOAP 1.1's (a subcode becomes the code), and a SOAP
// 1.1 fault code to a SOAP 1.2 subcode of the matching standard code.
func adaptFault(f *errors.Fault, env message.EnvelopeVersion) *errors.Fault {
	g := *f
	std := map[xml.Name]message.StandardFaultCode{}
	for _, c := range []message.StandardFaultCode{message.FaultSender, message.FaultReceiver, message.FaultVersionMismatch, message.FaultMustUnderstand, message.FaultDataEncodingUnknown} {
		std[c.Name(message.SOAP11)] = c
		std[c.Name(message.SOAP12)] = c
	}
	switch env {
	case message.SOAP11:
		if f.Code.Value.Space == message.NamespaceSOAP12 {
			if f.Code.Subcode != nil {
				g.Code = errors.FaultCode{Value: f.Code.Subcode.Value}
			} else if c, ok := std[f.Code.Value]; ok {
				g.Code = errors.FaultCode{Value: c.Name(message.SOAP11)}
			}
		}
	case message.SOAP12:
		if f.Code.Value.Space != message.NamespaceSOAP12 {
			if c, ok := std[f.Code.Value]; ok {
				g.Code = errors.FaultCode{Value: c.Name(message.SOAP12), Subcode: f.Code.Subcode}
			} else {
				g.Code = errors.FaultCode{Value: message.FaultReceiver.Name(message.SOAP12), Subcode: &errors.FaultCode{Value: f.Code.Value}}
			}
		}
	}
	return &g
}
