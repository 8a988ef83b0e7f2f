package service

import (
	"context"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// opContext is what an operation can reach through its context (WWSAPI's
// WS_OPERATION_CONTEXT).
type opContext struct {
	req     *message.Message
	ch      *channel.Channel
	headers []header
}

type opContextKey struct{}

func fromContext(ctx context.Context) *opContext {
	oc, _ := ctx.Value(opContextKey{}).(*opContext)
	return oc
}

// RequestMessage returns the request message of the operation running with
// ctx (in state Done: its headers can be read, with CustomHeader for SOAP
// headers and MappedHeader for HTTP ones), or nil outside an operation.
func RequestMessage(ctx context.Context) *message.Message {
	if oc := fromContext(ctx); oc != nil {
		return oc.req
	}
	return nil
}

// RequestChannel returns the Reply channel of the operation running with
// ctx (for its HTTP request: remote address, TLS state), or nil.
func RequestChannel(ctx context.Context) *channel.Channel {
	if oc := fromContext(ctx); oc != nil {
		return oc.ch
	}
	return nil
}

// AddReplyHeader adds a custom header to the reply of the operation running
// with ctx.
func AddReplyHeader(ctx context.Context, v any, attrs message.HeaderAttributes) error {
	oc := fromContext(ctx)
	if oc == nil {
		return errors.Errorf(errors.InvalidOperation, "AddReplyHeader outside a service operation")
	}
	oc.headers = append(oc.headers, header{v, attrs})
	return nil
}

func (oc *opContext) addHeaders(reply *message.Message) error {
	for _, h := range oc.headers {
		if err := reply.AddCustomHeader(h.value, h.attrs); err != nil {
			return err
		}
	}
	return nil
}
