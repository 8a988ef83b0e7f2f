package service

import (
	"context"
	"encoding/xml"
	"runtime/debug"

	"github.com/beevik/etree"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// serve handles one request on its Reply channel: receive the envelope,
// check mustUnderstand, dispatch, reply.
func (h *Host) serve(ctx context.Context, ch *channel.Channel) {
	req, err := ch.NewMessage()
	if err != nil {
		return
	}
	// Read the envelope start and headers; the body is decoded once the
	// operation (and so its input type) is known.
	var op *operation
	var in any
	var body *etree.Element
	var bodyName xml.Name
	var bodyErr error
	err = ch.Receive(ctx, req, channel.BodyFunc(func(m *message.Message) error {
		bodyName, _ = m.BodyName()
		op = h.lookup(m)
		if op == nil {
			if h.fallback != nil && m.HasMoreBody() {
				if err := m.ReadBody(&body); err != nil {
					bodyErr = err
					return err
				}
			}
			return nil
		}
		in = op.newIn()
		if err := m.ReadBody(in); err != nil {
			bodyErr = err
			return err
		}
		return nil
	}))
	if err != nil && bodyErr == nil {
		return // Close answers with the fault or status that fits
	}
	oc := &opContext{req: req, ch: ch}
	ctx = context.WithValue(ctx, opContextKey{}, oc)
	if bodyErr != nil {
		h.replyFault(ctx, ch, req, oc, errors.Errorf(errors.InvalidFormat, "%s", firstString(bodyErr)), message.FaultSender)
		return
	}
	if err := h.checkMustUnderstand(req); err != nil {
		h.mustUnderstandFault(ctx, ch, req, err)
		return
	}
	var out any
	switch {
	case op != nil:
		out, err = h.invoke(ctx, func() (any, error) { return op.call(ctx, in) })
	case h.fallback != nil:
		out, err = h.invoke(ctx, func() (any, error) { return h.fallback(ctx, req, body) })
	default:
		action, _ := req.Action()
		h.actionNotSupported(ctx, ch, req, action, bodyName)
		return
	}
	if err != nil {
		h.replyFault(ctx, ch, req, oc, err, message.FaultReceiver)
		return
	}
	if (op != nil && op.oneWay) || (op == nil && out == nil) {
		_ = ch.Close(ctx) // HTTP 202
		return
	}
	reply, rerr := ch.NewReplyMessage(req)
	if rerr != nil {
		return
	}
	if err := reply.Initialize(message.Reply, req); err != nil {
		return
	}
	if op != nil {
		_ = reply.SetAction(op.action + "Response")
	}
	if err := oc.addHeaders(reply); err != nil {
		h.log.ErrorContext(ctx, "wsgo service: reply header", "err", err)
	}
	if err := ch.SendReply(ctx, reply, out, req); err != nil {
		h.log.ErrorContext(ctx, "wsgo service: send reply", "err", err)
		if ch.State() == channel.Open {
			// Nothing was sent (the reply is over the quota, or cannot be
			// serialized): answer with a fault instead.
			h.replyFault(ctx, ch, req, oc, err, message.FaultReceiver)
		}
	}
}

// invoke runs an operation, turning a panic into an error (logged with
// its stack) so that the client gets a Receiver fault rather than a reset
// connection.
func (h *Host) invoke(ctx context.Context, fn func() (any, error)) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			h.log.ErrorContext(ctx, "wsgo service: operation panicked", "panic", p, "stack", string(debug.Stack()))
			out, err = nil, errors.Errorf(errors.Other, "the operation panicked: %v", p)
		}
	}()
	return fn()
}

// lookup finds the operation of a request: by its action, or, when it
// carries none (some clients send an empty SOAPAction), by its body
// element's name.
func (h *Host) lookup(m *message.Message) *operation {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if action, ok := m.Action(); ok && action != "" {
		return h.byAction[action] // an action that names no operation is not guessed at
	}
	if name, ok := m.BodyName(); ok {
		return h.byElement[name]
	}
	return nil
}

func (h *Host) checkMustUnderstand(req *message.Message) error {
	for _, name := range req.NotUnderstood() {
		if h.understood[name] {
			if err := req.MarkUnderstood(name); err != nil {
				return err
			}
		}
	}
	return req.CheckMustUnderstand()
}

func (h *Host) mustUnderstandFault(ctx context.Context, ch *channel.Channel, req *message.Message, err error) {
	env := ch.EnvelopeVersion()
	f := message.NewFault(env, message.FaultMustUnderstand, "a header marked mustUnderstand was not understood")
	reply, _ := ch.NewReplyMessage(req)
	_ = reply.Initialize(message.FaultReply, req)
	var mu *message.MustUnderstandError
	if env == message.SOAP12 && errors.As(err, &mu) {
		for _, n := range mu.Headers {
			_ = reply.AddCustomHeader(message.NotUnderstoodHeader(n), message.HeaderAttributes{})
		}
	}
	h.sendFault(ctx, ch, reply, req, f)
}

func (h *Host) actionNotSupported(ctx context.Context, ch *channel.Channel, req *message.Message, action string, body xml.Name) {
	env := ch.EnvelopeVersion()
	f := message.NewFault(env, message.FaultSender,
		"the action "+quote(action)+" (body element {"+body.Space+"}"+body.Local+") is not supported by this service")
	if env == message.SOAP12 {
		f.Code.Subcode = &errors.FaultCode{Value: xml.Name{Space: message.NamespaceAddressing1_0, Local: "ActionNotSupported"}}
	}
	reply, _ := ch.NewReplyMessage(req)
	_ = reply.Initialize(message.FaultReply, req)
	h.sendFault(ctx, ch, reply, req, f)
}

func quote(s string) string { return "\"" + s + "\"" }

// replyFault answers an error: a fault the handler built (NewFault, or a
// fault received from another service) is sent as is; any other error
// becomes a generic fault of code std, with its text only under
// WithFaultDisclosure(true) or when it concerns the request's own content.
func (h *Host) replyFault(ctx context.Context, ch *channel.Channel, req *message.Message, oc *opContext, err error, std message.StandardFaultCode) {
	env := ch.EnvelopeVersion()
	var f *errors.Fault
	var e *errors.Error
	switch {
	case errors.As(err, &e) && e.Fault != nil:
		f = adaptFault(e.Fault, env)
	case std == message.FaultSender:
		f = message.NewFault(env, message.FaultSender, "the request could not be read: "+err.Error())
	default:
		reason := "The server was unable to process the request due to an internal error."
		if h.disclose {
			reason = err.Error()
		} else {
			h.log.ErrorContext(ctx, "wsgo service: operation failed", "err", err)
		}
		f = message.NewFault(env, std, reason)
	}
	reply, rerr := ch.NewReplyMessage(req)
	if rerr != nil {
		return
	}
	if err := reply.Initialize(message.FaultReply, req); err != nil {
		return
	}
	_ = oc.addHeaders(reply)
	h.sendFault(ctx, ch, reply, req, f)
}

func (h *Host) sendFault(ctx context.Context, ch *channel.Channel, reply, req *message.Message, f *errors.Fault) {
	if err := ch.SendReply(ctx, reply, f, req); err != nil {
		h.log.ErrorContext(ctx, "wsgo service: send fault", "err", err)
	}
}

func firstString(err error) string {
	var e *errors.Error
	if errors.As(err, &e) && len(e.Strings) > 0 {
		return e.Strings[0]
	}
	return err.Error()
}
