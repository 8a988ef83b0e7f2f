package channel

import (
	"net/http"
	"net/http/httptrace"
)

// Trace observes the exchanges of a channel, the way net/http/httptrace
// observes a request: wssend -v prints the whole exchange through it. Every
// hook is optional and is called on the goroutine making the call; hooks
// must not keep the byte slices they are given, which are reused.
type Trace struct {
	// Request is called before each HTTP request is sent, with the request
	// (its header complete but for credentials a security layer adds later)
	// and the envelope it carries; envelope is nil in streamed output mode.
	Request func(req *http.Request, envelope []byte)

	// Response is called when the response headers have arrived.
	Response func(resp *http.Response)

	// ResponseBody is called with the response body as received (after
	// content decoding), in buffered input mode or for error statuses.
	ResponseBody func(body []byte)

	// HTTP, if set, is attached to each request's context, so connection,
	// DNS and TLS events can be observed too.
	HTTP *httptrace.ClientTrace
}
