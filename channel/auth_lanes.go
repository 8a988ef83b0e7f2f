package channel

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Connection-bound schemes (NTLM, Negotiate) authenticate a connection,
// not a request: every leg of the handshake must travel on one connection,
// and the requests after it go on that connection without credentials
// (IIS, and Apache with GssapiConnectionBound, expect exactly that). An
// http.Transport gives no say over which pooled connection a request
// gets, so a channel whose allowed schemes include NTLM or Negotiate sends
// its requests through lanes instead: each lane is an http.Transport of
// its own holding at most one connection (MaxConnsPerHost 1), lent to one
// exchange at a time from a pool of at most the channel's
// MaxConnsPerHost lanes (DefaultMaxConnsPerHost when that is 0). An
// exchange waits for a free lane as long as its context allows.
//
// A lane keeps its connection, and with it the authentication, from one
// exchange to the next. Should the server close it, the next request
// meets a 401 on a new connection and the handshake starts again there.
// While a handshake is under way the lane refuses to dial: a connection
// lost between legs fails the exchange (EndpointDisconnected, or
// ProxyFailure for the proxy's handshake) rather than sending the next
// leg's token on a connection that never saw the first.
//
// With WithRoundTripper the caller's round tripper owns the connections;
// NTLM and Negotiate are still attempted, but nothing guarantees that the
// legs share one connection.

// lanePool lends lanes to exchanges.
type lanePool struct {
	base      *http.Transport
	keepAlive bool
	slots     chan struct{} // one token per lane lent or free

	mu   sync.Mutex
	free []*lane
	gen  uint64 // bumped by closeIdle: lanes of an older generation are dropped when returned
}

// lane is one exclusive connection (and its transport).
type lane struct {
	pool  *lanePool
	t     *http.Transport
	gen   uint64
	guard atomic.Bool // a connection-bound handshake is mid-way: no new connection
}

func newLanePool(base *http.Transport, size int, keepAlive bool) *lanePool {
	if size <= 0 {
		size = DefaultMaxConnsPerHost
	}
	return &lanePool{base: base, keepAlive: keepAlive, slots: make(chan struct{}, size)}
}

// acquire waits for a lane, at most as long as ctx.
func (p *lanePool) acquire(ctx context.Context) (*lane, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		ln := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return ln, nil
	}
	gen := p.gen
	p.mu.Unlock()
	return p.newLane(gen), nil
}

// newLane makes a lane: a clone of the channel's transport limited to one
// connection, whose dials fail while a handshake is under way.
func (p *lanePool) newLane(gen uint64) *lane {
	ln := &lane{pool: p, gen: gen}
	t := p.base.Clone()
	t.MaxConnsPerHost = 1
	t.MaxIdleConnsPerHost = 1
	t.DisableKeepAlives = false // the handshake needs its connection kept; release closes it when keep-alive is off
	if dial := t.DialContext; dial != nil {
		t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if ln.guard.Load() {
				return nil, errHandshakeConnLost
			}
			return dial(ctx, network, addr)
		}
	}
	if dial := t.DialTLSContext; dial != nil {
		t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if ln.guard.Load() {
				return nil, errHandshakeConnLost
			}
			return dial(ctx, network, addr)
		}
	}
	ln.t = t
	return ln
}

// release returns a lane to the pool; a lane from before the last
// closeIdle, or any lane when keep-alive is off, loses its connection.
func (ln *lane) release() {
	p := ln.pool
	ln.guard.Store(false)
	p.mu.Lock()
	keep := ln.gen == p.gen
	if keep {
		p.free = append(p.free, ln)
	}
	p.mu.Unlock()
	if !keep || !p.keepAlive {
		ln.t.CloseIdleConnections()
	}
	<-p.slots
}

// closeIdle closes the connections of the free lanes and makes the lanes
// now lent close theirs when they come back (Channel Close and Abort).
func (p *lanePool) closeIdle() {
	p.mu.Lock()
	p.gen++
	free := p.free
	p.free = nil
	p.mu.Unlock()
	for _, ln := range free {
		ln.t.CloseIdleConnections()
	}
}

// laneBody is the body of a response that came over a lane: closing it
// gives the lane back.
type laneBody struct {
	io.ReadCloser
	ln   *lane
	once sync.Once
}

func (b *laneBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.ln.release)
	return err
}
