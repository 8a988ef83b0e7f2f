package message

import (
	"encoding/xml"
	"slices"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// MustUnderstandError is the cause inside the InvalidFormat error of
// CheckMustUnderstand: the headers that carry mustUnderstand, are targeted
// at this node, and were not understood. A host answers with a
// MustUnderstand fault (NewFault(version, FaultMustUnderstand, ...)) and,
// in SOAP 1.2, may list Headers in NotUnderstood header blocks.
//
//	var mu *message.MustUnderstandError
//	if errors.As(err, &mu) { ... mu.Headers ... }
type MustUnderstandError struct {
	Headers []xml.Name
}

// Error lists the headers.
func (e *MustUnderstandError) Error() string {
	names := make([]string, len(e.Headers))
	for i, n := range e.Headers {
		names[i] = formatName(n)
	}
	return "mustUnderstand headers not understood: " + strings.Join(names, ", ")
}

// CheckMustUnderstand fails when a received header marked mustUnderstand
// and targeted at this node has not been understood
// (WsCheckMustUnderstandHeaders). Call it after reading the headers the
// program processes: CustomHeader and CustomHeaderAt mark a header
// understood, as does MarkUnderstood, and the standard headers always are.
//
// A header is targeted at this node when it has no role (SOAP 1.1 actor),
// or the role is next or ultimateReceiver (SOAP 1.2), next (SOAP 1.1), or
// one of Options.Roles; SOAP 1.2's none role and other roles are not.
//
// The error has code InvalidFormat and wraps a *MustUnderstandError naming
// the headers.
func (m *Message) CheckMustUnderstand() error {
	if err := m.check(opCheckMustUnderstand); err != nil {
		return err
	}
	names := m.notUnderstood()
	if len(names) == 0 {
		return nil
	}
	cause := &MustUnderstandError{Headers: names}
	e := errors.Errorf(errors.InvalidFormat, "%s; process them (CustomHeader, MarkUnderstood) or answer with a MustUnderstand fault", cause.Error())
	e.Err = cause
	return e.WithOp("CheckMustUnderstand")
}

// NotUnderstood returns the names of the mustUnderstand headers targeted
// at this node that have not been understood yet, each once, in message
// order: what CheckMustUnderstand would report. It is nil when there is
// none, and in state Empty.
func (m *Message) NotUnderstood() []xml.Name {
	if !m.allowed(opGetCustom) {
		return nil
	}
	return m.notUnderstood()
}

func (m *Message) notUnderstood() []xml.Name {
	var names []xml.Name
	for i := range m.hdrs {
		h := &m.hdrs[i]
		if h.understood || !h.attrs.MustUnderstand || !m.targeted(h.attrs.Role) {
			continue
		}
		if !slices.Contains(names, h.name) {
			names = append(names, h.name)
		}
	}
	return names
}

// targeted reports whether a header with the given role is meant for this
// node.
func (m *Message) targeted(role string) bool {
	switch role {
	case "":
		return true
	case RoleNext11:
		return m.env == SOAP11
	case RoleNext12, RoleUltimateReceiver12:
		return m.env == SOAP12
	}
	return slices.Contains(m.roles, role)
}
