// Package channel moves SOAP messages over HTTP, in the shape of WWSAPI's
// WS_CHANNEL and WS_LISTENER: a Channel with an explicit lifecycle, the HTTP
// binding of SOAP 1.1 and 1.2, and the mapping of everything that can go
// wrong on the way to one errors.Code. It sits between package message,
// which writes and reads envelopes, and package service, which gives
// typed calls and a typed host (DESIGN.md: "HTTP POST ... status/content-type
// -> error code or reply ... read envelope").
//
// # Client side
//
//	ch, _ := channel.New(channel.Request,
//		channel.WithEnvelope(message.SOAP11),
//		channel.WithAddressing(message.AddressingTransport))
//	ch.Open(ctx, "https://example.com/calc")
//	req, _ := ch.NewMessage()
//	req.Initialize(message.Request, nil)
//	req.SetAction("http://example.com/calc/Add")
//	reply, _ := ch.NewMessage()
//	var out AddResponse
//	err := ch.Request(ctx, req, &Add{A: 2, B: 3}, reply, &out)
//	ch.Close(ctx)
//
// One Request channel serves any number of concurrent calls, each with its
// own pair of messages, over a pool of keep-alive connections.
//
// # The wire
//
// A service the channel reaches directly is spoken to by the channel's own
// HTTP/1.1 client (wire.go): the calling goroutine writes the request on a
// pooled connection and reads the reply's headers itself, without the two
// goroutine hand-offs per exchange of net/http's Transport. That makes a
// small exchange about as cheap as a bare net/http POST of pre-built bytes
// (BENCHMARKS.md). An idle connection is probed before reuse, so one the
// service closed while idle is not given a request; a large or streamed
// request body is written while the response is read, so a service that
// answers early (a 413) is heard. Requests through a proxy, the lanes of
// NTLM and Negotiate, and international host names go through net/http's
// Transport, configured alike; WithRoundTripper replaces both.
//
// # Server side
//
// A Listener is an http.Handler whose requests are taken with Accept as
// Reply channels; NewHandler is the push form, calling a function per
// request. A Reply channel carries one request: Receive, then SendReply or
// SendFault (or just Close: HTTP 202, the answer to a one-way message).
//
// # States
//
// Every Channel method checks the state against one table (state.go):
//
//	operation              allowed in          during      after
//	Open                   Created             Opening     Open
//	Accept (Listener)      Created             Accepting   Open
//	Request, Send,
//	 Receive, SendReply,
//	 SendFault             Open                Open        Open (Faulted if the exchange broke the channel)
//	Close                  Open, Faulted       Closing     Closed (even when Close reports an error)
//	Abort                  any                 —           Open/Opening → Faulted; others unchanged
//	Reset                  Created, Closed     —           Created
//
// A call in another state fails with InvalidOperation and changes nothing;
// a message exchange on a Faulted channel fails with ObjectFaulted.
// An exchange faults the channel when it fails after a connection was made
// in a way that leaves the exchange in doubt: a phase timeout, the peer
// disconnecting mid-message, a message over a size quota while it was
// being sent or received. A SOAP fault, an
// HTTP error status, a refused connection, an unresolvable host, or the
// caller's own context ending do not.
//
// # Properties
//
// Options set WWSAPI's channel properties, with its defaults: SOAP 1.2 and
// WS-Addressing 1.0; 30 s for the connect, send, receive-response, receive
// and close timeouts (resolve unbounded); 64 KiB buffered messages, 4 MiB
// streamed ones, 16 KiB for a streamed message's start; buffered transfer;
// keep-alive on; cookies kept per channel; redirects not followed; the
// proxy taken from the environment.
//
// # The HTTP binding
//
// SOAP 1.1 is sent as text/xml with a SOAPAction header, SOAP 1.2 as
// application/soap+xml with the action as a media-type parameter, a bare
// XML body (EnvelopeNone) as application/xml. A message's mapped headers
// become HTTP headers (replacing the binding's own of the same name), and a
// received message's mapped headers are the HTTP headers that came with
// it. The channel asks for gzip and deflate and decodes them itself, so
// the size quotas apply to the decoded bytes.
//
// A reply is read from a 2xx response with an XML content type (any XML
// type: the envelope's namespace tells the version). Every other outcome
// is one code, with a message that says what happened and what to try;
// an HTTP status failure carries a *StatusError as its cause:
//
//	outcome                                          code
//	2xx with an envelope                             (success; a fault in it: EndpointFaultReceived)
//	202/204 or empty 2xx to Request                  InvalidFormat (the operation is one-way: use Send)
//	any status with a SOAP fault body                EndpointFaultReceived, the fault in Error.Fault
//	3xx not followed                                 EndpointNotFound, naming the new location
//	400                                              InvalidFormat
//	401 / 407 with no allowed scheme offered         ServerRequires<scheme>Auth / ProxyRequires<scheme>Auth (strongest offered)
//	401 / 407 after the credentials were answered    EndpointAccessDenied / ProxyAccessDenied
//	a KDC refusing the user (Negotiate)              EndpointAccessDenied / ProxyAccessDenied
//	no KDC, no ticket, unknown SPN (Negotiate)       SecuritySystemFailure (NTLM is tried when allowed and offered)
//	Basic alone to an http:// address                InvalidArgument, nothing sent (WithBasicOverHTTP allows it)
//	CONNECT answered 401 or 403                      ProxyAccessDenied
//	CONNECT answered 502, 503, 504 or other          ProxyFailure
//	a reply or fault failing message security        SecurityVerificationFailure (SecurityTokenExpired: stale timestamp)
//	403                                              EndpointAccessDenied
//	404                                              EndpointNotFound
//	405                                              EndpointActionNotSupported
//	408                                              OperationTimedOut
//	410                                              EndpointNotAvailable
//	413                                              QuotaExceeded (Quota "ServerMaxRequestSize")
//	415                                              InvalidFormat (hint: the other SOAP version)
//	429, 503 with Retry-After                        EndpointTooBusy (RetryAfter(err) gives the delay)
//	503 without Retry-After                          EndpointNotAvailable
//	500 without a fault, 502, 504, other 5xx         EndpointFailure
//	HTML page, text/plain or other non-XML type      InvalidFormat (the page's title quoted)
//	malformed or truncated XML                       InvalidFormat
//	reply over the size quota (decoded; a fault in
//	 an error status too)                            QuotaExceeded (MaxBufferedMessageSize / MaxStreamedMessageSize)
//	streamed reply's headers over their quota        QuotaExceeded (MaxStreamedStartSize)
//	HTTP headers of the reply over 64 KiB            QuotaExceeded (MaxHeaderBytes)
//	host not found                                   EndpointNotFound
//	connection refused, no route                     EndpointUnreachable
//	reset or EOF mid-exchange                        EndpointDisconnected
//	phase timeout, context deadline                  OperationTimedOut
//	context cancelled, channel aborted               OperationAborted
//	redirect loop (more than 10)                     EndpointFailure
//	certificate expired / wrong host / unknown CA /
//	 wrong usage                                     CertExpired / CertCNNoMatch / CertUntrustedRoot / CertWrongUsage
//	other TLS handshake failure                      SecurityVerificationFailure
//	proxy unreachable or failing                     ProxyFailure
//
// # Security
//
// WithServiceAuth and WithProxyAuth give each target its schemes and
// credentials (package security: Basic, Digest, NTLM, Negotiate). With
// several schemes the channel probes once and answers with the strongest
// offered; NTLM and Negotiate run on single-connection lanes so that a
// handshake's legs share one connection and later requests ride the
// authenticated connection. Credentials go only to their own target and
// origin: not to a redirect elsewhere, not from service to proxy or back,
// not in a CONNECT's Authorization, and Basic not over plain HTTP unless
// WithBasicOverHTTP. For https through a proxy the channel opens and
// authenticates the CONNECT tunnel itself, with any of the four schemes.
// WithTransportSecurity sets the roots, client certificates, minimum TLS
// version and the certificate failure classes to ignore, each on its own.
// WithMessageSecurity secures whole envelopes (package security/wssec:
// WS-Security); SecurityResult gives what was verified.
//
// # Streaming
//
// With WithTransferMode(Streamed) a BodyFunc writes a request body straight
// to the connection (chunked) and reads a reply body as it arrives, so a
// body of any size passes through a few tens of KiB of memory, bounded by
// the max streamed message size.
package channel
