package service

import (
	"context"
	"sync"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// Client calls the operations of one service endpoint (WWSAPI's service
// proxy) over a Request channel. It is safe for concurrent use; generated
// stubs hold one and call Call.
//
// When an exchange faults the channel (a timeout, a dropped connection, a
// malformed reply), that call returns its error and the next call replaces
// the channel with a fresh one, as a WCF client would have to by hand.
type Client struct {
	address string
	opts    []channel.Option

	mu      sync.Mutex
	ch      *channel.Channel
	closed  bool
	closing sync.WaitGroup // background Closes of replaced channels

	msgs sync.Pool // *message.Message of the channel's versions, Empty
}

// NewClient opens a client for the service at address (an http or https
// URL) with the channel options opts (envelope and addressing versions,
// timeouts, proxy, TLS, ...). Most SOAP 1.1 services want
// channel.WithEnvelope(message.SOAP11) and
// channel.WithAddressing(message.AddressingTransport).
func NewClient(ctx context.Context, address string, opts ...channel.Option) (*Client, error) {
	c := &Client{address: address, opts: opts}
	ch, err := c.open(ctx)
	if err != nil {
		return nil, err
	}
	c.ch = ch
	return c, nil
}

func (c *Client) open(ctx context.Context) (*channel.Channel, error) {
	ch, err := channel.New(channel.Request, c.opts...)
	if err != nil {
		return nil, err
	}
	if err := ch.Open(ctx, c.address); err != nil {
		return nil, err
	}
	return ch, nil
}

// Channel returns the client's current channel.
func (c *Client) Channel() *channel.Channel {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ch
}

// channel returns an Open channel, replacing a Faulted one.
func (c *Client) channel(ctx context.Context) (*channel.Channel, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errors.Errorf(errors.InvalidOperation, "the client is closed")
	}
	ch := c.ch
	if ch.State() != channel.Faulted {
		c.mu.Unlock()
		return ch, nil
	}
	fresh, err := c.open(ctx)
	if err != nil {
		c.mu.Unlock()
		return nil, err
	}
	c.ch = fresh
	// The faulted channel is closed in the background: its Close waits
	// for the calls still running on it (bounded by its Close timeout),
	// which this call must neither wait for nor abort. Client.Close waits
	// for it.
	c.closing.Add(1)
	c.mu.Unlock()
	go func() {
		defer c.closing.Done()
		_ = ch.Close(context.Background())
	}()
	return fresh, nil
}

// Close closes the client's channel, waiting for calls in progress (at
// most until ctx ends or the channel's Close timeout passes).
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	ch := c.ch
	c.mu.Unlock()
	err := ch.Close(ctx)
	c.closing.Wait()
	return err
}

// Abort aborts every call in progress and closes the client.
func (c *Client) Abort() {
	c.mu.Lock()
	c.closed = true
	ch := c.ch
	c.mu.Unlock()
	ch.Abort()
	_ = ch.Close(context.Background())
	c.closing.Wait()
}

func (c *Client) message(ch *channel.Channel) (*message.Message, error) {
	if m, ok := c.msgs.Get().(*message.Message); ok &&
		m.EnvelopeVersion() == ch.EnvelopeVersion() && m.AddressingVersion() == ch.AddressingVersion() {
		return m, nil
	}
	return ch.NewMessage()
}

func (c *Client) release(m *message.Message) {
	m.Reset()
	c.msgs.Put(m)
}

// CallOption adjusts one call (WWSAPI's WS_CALL_PROPERTY).
type CallOption func(*callSettings)

type callSettings struct {
	headers []header
	onReply func(*message.Message) error
	onReq   func(*message.Message) error
}

type header struct {
	value any
	attrs message.HeaderAttributes
}

// WithHeader adds a custom SOAP header to the request: a value package
// serialize writes as an element, or an *etree.Element.
func WithHeader(v any, attrs message.HeaderAttributes) CallOption {
	return func(s *callSettings) { s.headers = append(s.headers, header{v, attrs}) }
}

// WithRequestMessage calls fn with the request message after its headers
// are set and before it is sent (WS_CALL_PROPERTY_SEND_MESSAGE_CONTEXT), to
// add mapped (HTTP) headers or standard headers.
func WithRequestMessage(fn func(*message.Message) error) CallOption {
	return func(s *callSettings) { s.onReq = fn }
}

// WithReplyMessage calls fn with the reply message once the call succeeded
// (WS_CALL_PROPERTY_RECEIVE_MESSAGE_CONTEXT), to read reply headers: custom
// headers with CustomHeader, HTTP headers with MappedHeader. The message is
// reused after fn returns; copy what you keep.
func WithReplyMessage(fn func(*message.Message) error) CallOption {
	return func(s *callSettings) { s.onReply = fn }
}

// Call sends in as the body of a request with the given action and returns
// the reply body decoded into a new Out (WsCall). A SOAP fault comes back as
// an *errors.Error with Code EndpointFaultReceived and the fault in its
// Fault field; use message.FaultDetail to decode a typed detail.
func Call[Out any](ctx context.Context, c *Client, action string, in any, opts ...CallOption) (*Out, error) {
	out := new(Out)
	if err := c.call(ctx, action, in, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Send sends in as a one-way message with the given action; it returns
// when the service has accepted it (HTTP 202).
func (c *Client) Send(ctx context.Context, action string, in any, opts ...CallOption) error {
	return c.call(ctx, action, in, nil, opts)
}

func (c *Client) call(ctx context.Context, action string, in, out any, opts []CallOption) error {
	var cs callSettings
	for _, o := range opts {
		o(&cs)
	}
	ch, err := c.channel(ctx)
	if err != nil {
		return err
	}
	req, err := c.message(ch)
	if err != nil {
		return err
	}
	defer c.release(req)
	if err := req.Initialize(message.Request, nil); err != nil {
		return err
	}
	if err := req.SetAction(action); err != nil {
		return err
	}
	for _, h := range cs.headers {
		if err := req.AddCustomHeader(h.value, h.attrs); err != nil {
			return err
		}
	}
	if cs.onReq != nil {
		if err := cs.onReq(req); err != nil {
			return err
		}
	}
	if out == nil {
		return ch.Send(ctx, req, in)
	}
	reply, err := c.message(ch)
	if err != nil {
		return err
	}
	defer c.release(reply)
	if err := ch.Request(ctx, req, in, reply, out); err != nil {
		return err
	}
	if cs.onReply != nil {
		return cs.onReply(reply)
	}
	return nil
}
