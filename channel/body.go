package channel

import (
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// BodyFunc writes or reads a message body in place of a single value: in
// the body position of Request, Send and SendReply it is called with the
// message Writing and writes any number of body elements (WriteBody, or
// BodyWriter for direct XML); in the out position of Request and Receive
// it is called with the message Reading and reads the body (ReadBody,
// HasMoreBody, BodyReader). With a streamed transfer mode this is how a
// body larger than memory goes through: the writer flushes to the
// connection as it fills, the reader pulls from it.
type BodyFunc func(m *message.Message) error

// writeBody writes body (nil, a BodyFunc, or a value for WriteBody) into a
// Writing message.
func writeBody(m *message.Message, body any) error {
	switch b := body.(type) {
	case nil:
		return nil
	case BodyFunc:
		return b(m)
	case func(*message.Message) error:
		return b(m)
	}
	return m.WriteBody(body)
}

// readBody reads a Reading message's body into out (nil: skipped, a
// BodyFunc, or a pointer for ReadBody) and ends the message.
func readBody(m *message.Message, out any) error {
	switch o := out.(type) {
	case nil:
	case BodyFunc:
		if err := o(m); err != nil {
			return err
		}
	case func(*message.Message) error:
		if err := o(m); err != nil {
			return err
		}
	default:
		if !m.HasMoreBody() {
			return errors.Errorf(errors.InvalidFormat, "the message body is empty; a body element was expected")
		}
		if err := m.ReadBody(out); err != nil {
			return err
		}
	}
	return m.ReadEnd()
}

// checkMessage checks that m can be used on a channel with settings s.
func (s *settings) checkMessage(m *message.Message, what string) error {
	if m == nil {
		return errors.Errorf(errors.InvalidArgument, "%s message is nil", what)
	}
	if m.EnvelopeVersion() != s.envelope || m.AddressingVersion() != s.addressing {
		return errors.Errorf(errors.InvalidArgument,
			"%s message is %v with %v, the channel %v with %v; create messages with Channel.NewMessage",
			what, m.EnvelopeVersion(), m.AddressingVersion(), s.envelope, s.addressing)
	}
	return nil
}
