package message

import (
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// mappedHeader is one transport (HTTP) header of a message.
type mappedHeader struct {
	name, value string
}

// AddMappedHeader adds a transport header (WsAddMappedHeader): the channel
// sends it as an HTTP header, and a receiving channel records the HTTP
// headers it got this way. Mapped headers are never written into the
// envelope. Names compare case-insensitively, as in HTTP; adding a name
// twice keeps both values.
func (m *Message) AddMappedHeader(name, value string) error {
	const op = "AddMappedHeader"
	if err := m.check(opSetMapped); err != nil {
		return err
	}
	if name == "" {
		return errors.Errorf(errors.InvalidArgument, "the mapped header name is empty").WithOp(op)
	}
	if !mappedNameOK(name) || !mappedValueOK(value) {
		return errors.Errorf(errors.InvalidArgument, "mapped header %q: names must not contain spaces or colons and values must not contain line breaks", name).WithOp(op)
	}
	m.mapped = append(m.mapped, mappedHeader{name: name, value: value})
	return nil
}

// MappedHeader returns the first value of the transport header name and
// whether there is one.
func (m *Message) MappedHeader(name string) (string, bool) {
	if !m.allowed(opGetMapped) {
		return "", false
	}
	for _, h := range m.mapped {
		if strings.EqualFold(h.name, name) {
			return h.value, true
		}
	}
	return "", false
}

// MappedHeaders returns every value of the transport header name, in the
// order they were added (nil when there is none).
func (m *Message) MappedHeaders(name string) []string {
	if !m.allowed(opGetMapped) {
		return nil
	}
	var out []string
	for _, h := range m.mapped {
		if strings.EqualFold(h.name, name) {
			out = append(out, h.value)
		}
	}
	return out
}

// MappedHeaderNames returns the names of the message's transport headers
// in the order they were added, each once (in the spelling first used).
func (m *Message) MappedHeaderNames() []string {
	if !m.allowed(opGetMapped) {
		return nil
	}
	var out []string
next:
	for _, h := range m.mapped {
		for _, n := range out {
			if strings.EqualFold(n, h.name) {
				continue next
			}
		}
		out = append(out, h.name)
	}
	return out
}

// RemoveMappedHeader removes every value of the transport header name
// (WsRemoveMappedHeader). Removing a header that is not there is not an
// error.
func (m *Message) RemoveMappedHeader(name string) error {
	if err := m.checkFor(opSetMapped, "RemoveMappedHeader"); err != nil {
		return err
	}
	kept := m.mapped[:0]
	for _, h := range m.mapped {
		if !strings.EqualFold(h.name, name) {
			kept = append(kept, h)
		}
	}
	clear(m.mapped[len(kept):])
	m.mapped = kept
	return nil
}

// mappedNameOK reports whether name has none of the bytes a mapped header
// name must not contain: space, tab, CR, LF and ':'. (A table lookup per
// byte: the channel adds every HTTP header of every reply, and
// strings.ContainsAny builds its set on every call.)
func mappedNameOK(name string) bool {
	for i := 0; i < len(name); i++ {
		if badNameByte[name[i]] {
			return false
		}
	}
	return true
}

// badNameByte marks the bytes a mapped header name must not contain.
var badNameByte = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, ':': true}

// mappedValueOK reports whether value has no line break (CR or LF).
func mappedValueOK(value string) bool {
	return strings.IndexByte(value, '\n') < 0 && strings.IndexByte(value, '\r') < 0
}
