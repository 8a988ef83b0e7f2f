package service

import (
	"context"

	"encoding/xml"
	"github.com/beevik/etree"
	"log/slog"
	"net/http"
	"sync"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/serialize"
)

// Host serves typed operations over HTTP (WWSAPI's service host): an
// http.Handler that reads each request on a Reply channel, dispatches it by
// action to the function registered with Handle or HandleOneWay, and
// writes the result or the error as the reply.
//
// Dispatch uses the request's action: the SOAP 1.1 SOAPAction header, the
// SOAP 1.2 action media-type parameter, or the WS-Addressing Action
// header. A request without an action is matched by its body element's
// name. A request no operation matches goes to the default handler, and
// otherwise gets an ActionNotSupported fault. Requests in SOAP 1.1 and 1.2 are both served,
// each answered in its own version.
type Host struct {
	opts       []channel.Option
	disclose   bool
	understood map[xml.Name]bool
	fallback   DefaultHandler
	log        *slog.Logger

	mu        sync.RWMutex
	byAction  map[string]*operation
	byElement map[xml.Name]*operation
	closing   bool
	inflight  sync.WaitGroup
	handler   http.Handler
}

// DefaultHandler handles requests no registered operation matches
// (WWSAPI's default message handler). req is the request, Done, with its
// headers; body is its first body element (nil for an empty body). It
// returns the reply body (nil for none: the client gets HTTP 202) or an
// error, answered as a fault.
type DefaultHandler func(ctx context.Context, req *message.Message, body *etree.Element) (any, error)

type operation struct {
	action string
	oneWay bool
	elem   xml.Name
	newIn  func() any
	call   func(ctx context.Context, in any) (any, error)
}

// HostOption configures a Host.
type HostOption func(*Host)

// WithChannelOptions sets the options of the host's Reply channels:
// quotas (default 64 KiB buffered), timeouts, transfer mode, and, to
// restrict the host to one SOAP version, channel.WithEnvelope.
func WithChannelOptions(opts ...channel.Option) HostOption {
	return func(h *Host) { h.opts = append(h.opts, opts...) }
}

// WithFaultDisclosure makes the host put the text of errors its handlers
// return into the faults it sends (WWSAPI's WS_FULL_FAULT_DISCLOSURE). By
// default a handler error that is not a fault built with NewFault is sent
// as a generic Receiver fault, so internal details do not leak.
func WithFaultDisclosure(full bool) HostOption {
	return func(h *Host) { h.disclose = full }
}

// WithUnderstoodHeaders names the custom headers the host's operations
// process. A request header marked mustUnderstand that is not one of them
// is answered with a MustUnderstand fault before any handler runs.
func WithUnderstoodHeaders(names ...xml.Name) HostOption {
	return func(h *Host) {
		for _, n := range names {
			h.understood[n] = true
		}
	}
}

// WithDefaultHandler sets the handler for requests no operation matches.
func WithDefaultHandler(fn DefaultHandler) HostOption {
	return func(h *Host) { h.fallback = fn }
}

// WithLogger sets where the host logs handler errors that it does not
// disclose to clients (default slog.Default()).
func WithLogger(l *slog.Logger) HostOption {
	return func(h *Host) { h.log = l }
}

// NewHost returns a Host with no operations.
func NewHost(opts ...HostOption) *Host {
	h := &Host{
		understood: map[xml.Name]bool{},
		byAction:   map[string]*operation{},
		byElement:  map[xml.Name]*operation{},
		log:        slog.Default(),
	}
	for _, o := range opts {
		o(h)
	}
	h.handler = channel.NewHandler(h.serve, h.opts...)
	return h
}

// Handle registers fn as the request/reply operation for action. The
// request body is decoded into a new In, and the *Out fn returns is the
// reply body. Registering an action twice replaces the first.
func Handle[In, Out any](h *Host, action string, fn func(ctx context.Context, in *In) (*Out, error)) {
	h.register(&operation{
		action: action,
		newIn:  func() any { return new(In) },
		call: func(ctx context.Context, in any) (any, error) {
			out, err := fn(ctx, in.(*In))
			if err != nil || out == nil {
				return nil, err
			}
			return out, nil
		},
	})
}

// HandleOneWay registers fn as the one-way operation for action: the
// client gets HTTP 202 once fn returns nil.
func HandleOneWay[In any](h *Host, action string, fn func(ctx context.Context, in *In) error) {
	h.register(&operation{
		action: action,
		oneWay: true,
		newIn:  func() any { return new(In) },
		call: func(ctx context.Context, in any) (any, error) {
			return nil, fn(ctx, in.(*In))
		},
	})
}

func (h *Host) register(op *operation) {
	if name, ok := serialize.ElementName(op.newIn()); ok {
		op.elem = name
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byAction[op.action] = op
	if op.elem.Local != "" {
		h.byElement[op.elem] = op
	}
}

// ServeHTTP serves one SOAP request.
func (h *Host) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.RLock()
	if h.closing {
		h.mu.RUnlock()
		w.Header().Set("Retry-After", "5")
		http.Error(w, "wsgo: the service is shutting down", http.StatusServiceUnavailable)
		return
	}
	h.inflight.Add(1)
	h.mu.RUnlock()
	defer h.inflight.Done()
	h.handler.ServeHTTP(w, r)
}

// Shutdown stops the host gracefully: new requests are answered 503 with
// Retry-After, and Shutdown waits until the requests in progress are done
// or ctx ends (then it returns OperationTimedOut or OperationAborted, and
// the remaining requests finish on their own). Shut down the http.Server
// the host is mounted in as well, to close its listeners and connections.
func (h *Host) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	h.mu.Unlock()
	done := make(chan struct{})
	go func() {
		h.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		if ctx.Err() == context.DeadlineExceeded {
			return errors.Errorf(errors.OperationTimedOut, "shutdown: requests still in progress at the deadline")
		}
		return errors.Errorf(errors.OperationAborted, "shutdown: cancelled with requests still in progress")
	}
}
