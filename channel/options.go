package channel

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"time"

	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/security"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// Default quotas, WWSAPI's "conservative and secure" values (wwsapi.md
// §2.4). Raising them is a denial-of-service consideration: a buffered
// message is held in memory whole.
const (
	// DefaultMaxBufferedMessageSize bounds a buffered envelope, sent or
	// received (WS_CHANNEL_PROPERTY_MAX_BUFFERED_MESSAGE_SIZE).
	DefaultMaxBufferedMessageSize = 65536
	// DefaultMaxStreamedMessageSize bounds a streamed envelope
	// (WS_CHANNEL_PROPERTY_MAX_STREAMED_MESSAGE_SIZE).
	DefaultMaxStreamedMessageSize = 4 << 20
	// DefaultMaxStreamedStartSize bounds the part of a streamed envelope
	// before the first body element: envelope start, headers and the Body
	// start tag (WS_CHANNEL_PROPERTY_MAX_STREAMED_START_SIZE).
	DefaultMaxStreamedStartSize = 16384
	// DefaultTimeout is WWSAPI's default for each timed phase except
	// name resolution, which is unbounded by default.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxConnsPerHost bounds the connections a channel opens to one
	// host (WS_CHANNEL_PROPERTY_MAX_HTTP_SERVER_CONNECTIONS is unbounded in
	// WWSAPI; a bound protects the server from a runaway caller).
	DefaultMaxConnsPerHost = 128
)

// TransferMode says whether messages are held whole in memory or streamed
// (WWSAPI's WS_TRANSFER_MODE flags, with their values).
type TransferMode int

// The transfer modes.
const (
	// Buffered holds each message whole, up to the max buffered message
	// size. The default.
	Buffered TransferMode = 0
	// StreamedInput reads received messages as they arrive, up to the max
	// streamed message size; memory stays flat whatever the size.
	StreamedInput TransferMode = 1
	// StreamedOutput writes sent messages to the connection as they are
	// produced (chunked), up to the max streamed message size.
	StreamedOutput TransferMode = 2
	// Streamed is StreamedInput|StreamedOutput.
	Streamed TransferMode = 3
)

// String returns the mode's name.
func (m TransferMode) String() string {
	switch m {
	case Buffered:
		return "Buffered"
	case StreamedInput:
		return "StreamedInput"
	case StreamedOutput:
		return "StreamedOutput"
	case Streamed:
		return "Streamed"
	}
	return "TransferMode(?)"
}

// ProxyMode chooses how a channel finds its HTTP proxy (WWSAPI's
// WS_HTTP_PROXY_SETTING_MODE, with its values).
type ProxyMode int

// The proxy modes.
const (
	// ProxyAuto takes the proxy from the environment: HTTPS_PROXY,
	// HTTP_PROXY and NO_PROXY (or their lower-case forms), as
	// net/http.ProxyFromEnvironment reads them. Requests to localhost and
	// loopback addresses never use it. The default.
	ProxyAuto ProxyMode = 1
	// ProxyNone connects directly.
	ProxyNone ProxyMode = 2
	// ProxyCustom uses the servers given to WithCustomProxy.
	ProxyCustom ProxyMode = 3
)

// CookieMode says who handles HTTP cookies (WWSAPI's WS_COOKIE_MODE, with
// its values).
type CookieMode int

// The cookie modes.
const (
	// ManualCookies leaves cookies to the caller, through mapped headers
	// ("Cookie" on requests, "Set-Cookie" on replies).
	ManualCookies CookieMode = 1
	// AutoCookies keeps a cookie jar per channel: cookies the service sets
	// are sent back on later requests, as a browser would. The default, as
	// in WWSAPI.
	AutoCookies CookieMode = 2
)

// Timeouts bounds each phase of an exchange (WWSAPI's *_TIMEOUT channel
// properties). A zero field means the default (DefaultTimeout, or none for
// Resolve); a negative one means no limit for that phase. The caller's
// context bounds the whole call in addition.
type Timeouts struct {
	// Resolve bounds the DNS lookup of the service's (or proxy's) host.
	Resolve time.Duration
	// Connect bounds establishing a connection, TLS handshake included.
	Connect time.Duration
	// Send bounds writing the request, headers and body.
	Send time.Duration
	// ReceiveResponse bounds the wait, after the request is written, for
	// the response headers.
	ReceiveResponse time.Duration
	// Receive bounds reading the response body (the whole message).
	Receive time.Duration
	// Close bounds how long Close waits for pending exchanges before it
	// aborts them.
	Close time.Duration
}

// resolved returns t with defaults filled in and negatives as 0 (no limit).
func (t Timeouts) resolved() Timeouts {
	def := func(d, dflt time.Duration) time.Duration {
		switch {
		case d < 0:
			return 0
		case d == 0:
			return dflt
		}
		return d
	}
	return Timeouts{
		Resolve:         def(t.Resolve, -1),
		Connect:         def(t.Connect, DefaultTimeout),
		Send:            def(t.Send, DefaultTimeout),
		ReceiveResponse: def(t.ReceiveResponse, DefaultTimeout),
		Receive:         def(t.Receive, DefaultTimeout),
		Close:           def(t.Close, DefaultTimeout),
	}
}

// RedirectPolicy decides whether a channel follows an HTTP redirect from
// original (the channel's address) to next (WWSAPI's
// WS_HTTP_REDIRECT_CALLBACK). A redirect from https to plain http is
// never followed, whatever the policy says, and credentials and cookies
// (Authorization, Proxy-Authorization, Cookie) are dropped when the
// scheme, host or port changes.
type RedirectPolicy func(original, next *url.URL) bool

// FollowRedirects is a RedirectPolicy that follows every redirect (at most
// 10 in a row), like WWSAPI's ENABLE_HTTP_REDIRECT.
func FollowRedirects(original, next *url.URL) bool { return true }

// Option configures a channel, a listener or a handler. Options that
// concern only the client side (proxies, redirects, cookies, connection
// reuse) are ignored on the server side.
type Option func(*settings)

// settings are the channel properties, resolved from Options.
type settings struct {
	envelope         message.EnvelopeVersion
	envelopeSet      bool
	addressing       message.AddressingVersion
	addressingSet    bool
	timeouts         Timeouts
	maxBuffered      int64
	maxStreamed      int64
	maxStreamedStart int64
	transfer         TransferMode
	keepAlive        bool
	maxConnsPerHost  int
	cookies          CookieMode
	redirect         RedirectPolicy
	proxyMode        ProxyMode
	proxyURL         *url.URL
	proxyBypass      []string
	proxyErr         error
	tlsConfig        *tls.Config
	roundTripper     http.RoundTripper
	header           http.Header
	trace            *Trace
	messageOptions   *message.Options
	recvOptions      *message.Options // a Reply channel's: messageOptions + AcceptOtherAddressing
	readerOptions    xmlio.Options
	readerSet        bool

	// Security (issue 4). Each is set by its own option file:
	// options_auth.go, options_tls.go, options_message_security.go.
	serviceAuth        authConfig
	proxyAuth          authConfig
	allowBasicOverHTTP bool
	transportSecurity  *security.TLS
	messageSecurity    MessageSecurity
}

// authConfig is one target's HTTP header authentication: the schemes
// allowed and the credentials they use. Zero schemes means none.
type authConfig struct {
	schemes security.Scheme
	cred    security.Credentials
}

func defaultSettings() settings {
	return settings{
		envelope:         message.SOAP12,
		addressing:       message.Addressing1_0,
		maxBuffered:      DefaultMaxBufferedMessageSize,
		maxStreamed:      DefaultMaxStreamedMessageSize,
		maxStreamedStart: DefaultMaxStreamedStartSize,
		keepAlive:        true,
		maxConnsPerHost:  DefaultMaxConnsPerHost,
		cookies:          AutoCookies,
		proxyMode:        ProxyAuto,
	}
}

func newSettings(opts []Option) settings {
	s := defaultSettings()
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	if s.envelope == message.EnvelopeNone && !s.addressingSet {
		s.addressing = message.AddressingTransport
	}
	s.timeouts = s.timeouts.resolved()
	s.recvOptions = s.receiveOptions()
	return s
}

// WithEnvelope sets the SOAP version of the channel's messages (default
// SOAP 1.2, as in WWSAPI; most SOAP 1.1 services, WCF's BasicHttpBinding
// among them, need message.SOAP11). message.EnvelopeNone sends and receives
// a bare XML document (and implies AddressingTransport). On the server
// side it restricts a listener to that version; without it a listener
// takes SOAP 1.1 and 1.2 requests alike, telling them apart by content
// type, and answers each in its own version.
func WithEnvelope(v message.EnvelopeVersion) Option {
	return func(s *settings) { s.envelope = v; s.envelopeSet = true }
}

// WithAddressing sets the WS-Addressing version of the channel's messages
// (default WS-Addressing 1.0). message.AddressingTransport writes no
// addressing headers: the HTTP request carries the address and the action,
// as plain SOAP 1.1 services expect.
func WithAddressing(v message.AddressingVersion) Option {
	return func(s *settings) { s.addressing = v; s.addressingSet = true }
}

// WithTimeouts sets the per-phase timeouts; zero fields keep their
// defaults.
func WithTimeouts(t Timeouts) Option {
	return func(s *settings) { s.timeouts = t }
}

// WithMaxBufferedMessageSize bounds a buffered message, sent or received
// (default 64 KiB). A larger one fails with QuotaExceeded naming
// "MaxBufferedMessageSize".
func WithMaxBufferedMessageSize(n int64) Option {
	return func(s *settings) { s.maxBuffered = n }
}

// WithMaxStreamedMessageSize bounds a streamed message (default 4 MiB); a
// larger one fails with QuotaExceeded naming "MaxStreamedMessageSize".
func WithMaxStreamedMessageSize(n int64) Option {
	return func(s *settings) { s.maxStreamed = n }
}

// WithMaxStreamedStartSize bounds what precedes the first body element of
// a streamed received message (default 16 KiB), so a stream of headers
// cannot hold memory; "MaxStreamedStartSize" is the quota's name.
func WithMaxStreamedStartSize(n int64) Option {
	return func(s *settings) { s.maxStreamedStart = n }
}

// WithTransferMode sets buffered or streamed transfer (default Buffered).
func WithTransferMode(m TransferMode) Option {
	return func(s *settings) { s.transfer = m }
}

// WithKeepAlive turns HTTP connection reuse on or off (default on).
func WithKeepAlive(on bool) Option {
	return func(s *settings) { s.keepAlive = on }
}

// WithMaxConnsPerHost bounds the connections open to one host at a time
// (default 128); callers beyond it wait for a connection. 0 means no limit.
func WithMaxConnsPerHost(n int) Option {
	return func(s *settings) { s.maxConnsPerHost = n }
}

// WithCookies sets the cookie mode (default AutoCookies).
func WithCookies(m CookieMode) Option {
	return func(s *settings) { s.cookies = m }
}

// WithRedirects lets a policy decide whether to follow HTTP redirects
// (301, 302, 303, 307, 308). Without it redirects are not followed and
// end the exchange with EndpointNotFound naming the new location. Pass
// FollowRedirects to follow them all.
func WithRedirects(p RedirectPolicy) Option {
	return func(s *settings) { s.redirect = p }
}

// WithProxy sets the proxy mode: ProxyAuto (the default) or ProxyNone.
// Use WithCustomProxy for ProxyCustom.
func WithProxy(m ProxyMode) Option {
	return func(s *settings) { s.proxyMode = m }
}

// WithCustomProxy sends requests through the HTTP proxy at proxyURL
// (such as "http://proxy.corp:3128"), except to hosts matching a bypass
// entry (WWSAPI's WS_CUSTOM_HTTP_PROXY). A bypass entry is a host name
// ("intranet.corp"), a domain suffix ("*.corp" or ".corp"), an IP address,
// a CIDR block ("10.0.0.0/8"), any of these with ":port", or "<local>" for
// host names without a dot.
func WithCustomProxy(proxyURL string, bypass ...string) Option {
	return func(s *settings) {
		s.proxyMode = ProxyCustom
		s.proxyBypass = bypass
		u, err := parseProxyURL(proxyURL)
		s.proxyURL, s.proxyErr = u, err
	}
}

// WithTLSConfig sets the TLS configuration for https addresses (roots,
// client certificates, minimum version). The channel clones it.
func WithTLSConfig(c *tls.Config) Option {
	return func(s *settings) { s.tlsConfig = c }
}

// WithRoundTripper makes the channel send its HTTP requests through rt
// instead of its own transport; the connection, proxy and TLS options then
// belong to rt, and the Resolve and Connect timeouts are rt's business.
func WithRoundTripper(rt http.RoundTripper) Option {
	return func(s *settings) { s.roundTripper = rt }
}

// WithHTTPHeader adds an HTTP header to every request the channel sends
// (or every reply a server channel sends). Per-message headers are the
// message's mapped headers.
func WithHTTPHeader(name, value string) Option {
	return func(s *settings) {
		if s.header == nil {
			s.header = make(http.Header)
		}
		s.header.Add(name, value)
	}
}

// WithMessageOptions sets the options of the messages NewMessage creates
// (max processed headers, roles, serializer options).
func WithMessageOptions(o *message.Options) Option {
	return func(s *settings) { s.messageOptions = o }
}

// WithReaderOptions sets the XML quotas of received envelopes (depth,
// attributes, namespaces, token size). The document size limit is always
// the channel's message size quota.
func WithReaderOptions(o xmlio.Options) Option {
	return func(s *settings) { s.readerOptions = o; s.readerSet = true }
}

// WithTrace installs hooks that observe each exchange (wssend -v uses it).
func WithTrace(t *Trace) Option {
	return func(s *settings) { s.trace = t }
}
