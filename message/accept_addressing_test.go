package message_test

import (
	"testing"

	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

const (
	env2004 = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing">` +
		`<s:Header><a:Action s:mustUnderstand="1">urn:act</a:Action><a:MessageID>urn:uuid:1</a:MessageID>` +
		`<a:To s:mustUnderstand="1">http://svc/</a:To></s:Header><s:Body/></s:Envelope>`
	env2005 = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing">` +
		`<s:Header><a:Action s:mustUnderstand="1">urn:act</a:Action></s:Header><s:Body/></s:Envelope>`
	// A 1.0 header first, then a 2004/08 one: an envelope speaks one
	// version, so the second stays a custom header.
	envMixed = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing" xmlns:b="http://schemas.xmlsoap.org/ws/2004/08/addressing">` +
		`<s:Header><a:Action>urn:act</a:Action><b:To s:mustUnderstand="1">http://svc/</b:To></s:Header><s:Body/></s:Envelope>`
)

func TestAcceptOtherAddressing(t *testing.T) {
	for _, c := range []struct {
		name     string
		addr     message.AddressingVersion
		accept   bool
		env      string
		wantAddr message.AddressingVersion
		wantStd  bool // Action read as the standard header
		wantMU   bool // a mustUnderstand header left not understood
	}{
		{"1.0 reads 2004/08", message.Addressing1_0, true, env2004, message.Addressing0_9, true, false},
		{"2004/08 reads 1.0", message.Addressing0_9, true, env2005, message.Addressing1_0, true, false},
		{"1.0 reads 1.0", message.Addressing1_0, true, env2005, message.Addressing1_0, true, false},
		{"without the option", message.Addressing1_0, false, env2004, message.Addressing1_0, false, true},
		{"mixed stays 1.0", message.Addressing1_0, true, envMixed, message.Addressing1_0, true, true},
		{"transport never switches", message.AddressingTransport, true, env2004, message.AddressingTransport, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := message.New(message.SOAP11, c.addr, &message.Options{AcceptOtherAddressing: c.accept})
			if err != nil {
				t.Fatal(err)
			}
			if err := m.ReadStart(xmlio.NewReader([]byte(c.env), nil)); err != nil {
				t.Fatal(err)
			}
			if got := m.AddressingVersion(); got != c.wantAddr {
				t.Errorf("AddressingVersion %v, want %v", got, c.wantAddr)
			}
			action, ok := m.Action()
			if ok != c.wantStd || (ok && action != "urn:act") {
				t.Errorf("Action %q (standard %v), want standard %v", action, ok, c.wantStd)
			}
			if err := m.CheckMustUnderstand(); (err != nil) != c.wantMU {
				t.Errorf("CheckMustUnderstand: %v, want an error: %v", err, c.wantMU)
			}
			m.Reset()
			if got := m.AddressingVersion(); got != c.addr {
				t.Errorf("after Reset: AddressingVersion %v, want %v as created", got, c.addr)
			}
		})
	}
}
