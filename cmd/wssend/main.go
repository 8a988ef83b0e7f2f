package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	status := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

// run is wssend with its command-line arguments (without the program
// name) and standard streams; it returns the exit status. Tests call it
// in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is run under ctx, which Ctrl-C cancels.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if err == errHelp {
		printManual(stdout)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "wssend: %s\nRun 'wssend -h' for the flags.\n", errorText(err))
		return exitStatus(err)
	}
	if o.demo {
		return runDemo(ctx, stdout, stderr)
	}
	x, err := send(ctx, o, stdin, stderr)
	if x != nil && x.gotReply && (err == nil || exitStatus(err) == exitFault) {
		if werr := writeReply(o, x.reply, stdout); werr != nil && err == nil {
			err = werr
		}
	}
	status := ""
	if x != nil {
		status = x.status
	}
	return report(stderr, err, status, o.pretty.on || (!o.pretty.set && isTerminal(stderr)))
}

// report prints the outcome's error on stderr (a fault with its code,
// reason and detail, and the HTTP status it came with) and returns the
// exit status.
func report(stderr io.Writer, err error, httpStatus string, pretty bool) int {
	if err == nil {
		return exitOK
	}
	var e *errors.Error
	if errors.As(err, &e) && e.Fault != nil {
		fmt.Fprintf(stderr, "wssend: %s\n", faultLine(e, httpStatus))
		printFault(stderr, e.Fault, pretty)
	} else {
		fmt.Fprintf(stderr, "wssend: %s [%v]\n", errorText(err), errors.CodeOf(err))
	}
	return exitStatus(err)
}

// errorText is an error's message without the library's "wsgo: " prefix.
func errorText(err error) string {
	return strings.TrimPrefix(err.Error(), "wsgo: ")
}

// faultLine is what wssend says before the fault itself, which
// printFault shows in full.
func faultLine(e *errors.Error, httpStatus string) string {
	s := "SOAP fault received"
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if httpStatus != "" {
		s += " (HTTP " + httpStatus + ")"
	}
	return s
}

// exchange is one call of wssend: what the Trace hooks saw of it.
type exchange struct {
	o        *options
	tracer   *tracer   // -v, or nil
	progress *progress // on a terminal without -v, or nil

	status   string // the response's HTTP status
	reply    []byte // the response body as received (after content decoding)
	gotReply bool
}

// send makes the call the options describe and returns what came back.
func send(ctx context.Context, o *options, stdin io.Reader, stderr io.Writer) (*exchange, error) {
	data, name, err := readInput(o, stdin)
	if err != nil {
		return nil, err
	}
	env, addr, action := o.soap, o.addressing, o.action
	var body any
	var bindingHeaders []httpHeader
	if o.envelope {
		// An envelope is sent as it is, byte for byte (it may be signed, or
		// carry exactly the headers a bug report needs). The channel then
		// works with EnvelopeNone, which writes no envelope of its own: the
		// body function writes the file's bytes raw. The SOAP content type
		// (and SOAPAction) of the file's version are set as the request's
		// mapped headers, which replace the binding's application/xml.
		// The reply comes back as a plain XML document, so faults are
		// recognised here (faultIn) instead of by the channel.
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, usageErrorf("-envelope needs an envelope in BODY (a file, or - for stdin)")
		}
		info, err := inspectEnvelope(data, name)
		if err != nil {
			return nil, err
		}
		if o.soapSet && info.version != o.soap {
			return nil, usageErrorf("-soap says %v but %s is a %v envelope", o.soap, name, info.version)
		}
		if action == "" {
			action = info.action
		}
		bindingHeaders = envelopeHeaders(info, action)
		env, addr = message.EnvelopeNone, message.AddressingTransport
		body = rawEnvelope(data)
	} else {
		if err := checkBody(data, name); err != nil {
			return nil, err
		}
		body = bodyWriter(data)
	}

	if err := o.resolvePasswords(); err != nil {
		return nil, err
	}
	opts, err := channelOptions(o, env, addr)
	if err != nil {
		return nil, err
	}
	x := &exchange{o: o}
	if o.verbose {
		x.tracer = &tracer{w: stderr, pretty: o.pretty.on || (!o.pretty.set && isTerminal(stderr))}
	} else if isTerminal(stderr) {
		x.progress = &progress{w: stderr}
	}
	defer x.progress.finish()
	opts = append(opts, channel.WithTrace(x.trace()))

	ch, err := channel.New(channel.Request, opts...)
	if err != nil {
		return nil, err
	}
	if err := ch.Open(ctx, o.url); err != nil {
		return nil, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = ch.Close(cctx)
		cancel()
	}()
	req, err := newRequest(ch, o, action, bindingHeaders)
	if err != nil {
		return nil, err
	}
	reply, err := ch.NewMessage()
	if err != nil {
		return nil, err
	}
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.timeout)
		defer cancel()
	}
	err = ch.Request(ctx, req, body, reply, nil)
	x.progress.finish()
	if o.envelope && x.gotReply {
		if f := faultIn(x.reply); f != nil {
			e := errors.Errorf(errors.EndpointFaultReceived, "the service answered with a SOAP fault (HTTP %s)", x.status)
			e.Fault = f
			err = e.WithOp("send " + o.url)
		}
	}
	return x, err
}

// newRequest builds the request message: its action, the -header
// elements as custom headers, and the HTTP headers (the binding's for an
// -envelope, then -H, which replace them) as mapped headers.
func newRequest(ch *channel.Channel, o *options, action string, bindingHeaders []httpHeader) (*message.Message, error) {
	req, err := ch.NewMessage()
	if err != nil {
		return nil, err
	}
	if err := req.Initialize(message.Request, nil); err != nil {
		return nil, err
	}
	if action != "" && !o.envelope {
		if err := req.SetAction(action); err != nil {
			return nil, err
		}
	}
	for _, name := range o.headerFiles {
		h, attrs, err := readHeader(name, o.maxSize)
		if err != nil {
			return nil, err
		}
		if err := req.AddCustomHeader(h, attrs); err != nil {
			var e *errors.Error
			if errors.As(err, &e) {
				e.AddString("-header " + name)
			}
			return nil, err
		}
	}
	given := map[string]bool{}
	for _, h := range o.httpHeaders {
		given[h.name] = true
	}
	for _, h := range bindingHeaders {
		if !given[http.CanonicalHeaderKey(h.name)] {
			if err := req.AddMappedHeader(h.name, h.value); err != nil {
				return nil, err
			}
		}
	}
	for _, h := range o.httpHeaders {
		if err := req.AddMappedHeader(h.name, h.value); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// trace returns the channel hooks that record the reply and feed -v and
// the progress line.
func (x *exchange) trace() *channel.Trace {
	tr := x.hooks()
	if x.progress != nil {
		tr.Progress = x.progress.bytes // only on a terminal: counting costs a write syscall per request
	}
	return tr
}

func (x *exchange) hooks() *channel.Trace {
	return &channel.Trace{
		Request: func(req *http.Request, envelope []byte) {
			if x.tracer != nil {
				x.tracer.request(req, envelope)
			}
			x.progress.set("sending", req.ContentLength >= progressThreshold, true, req.ContentLength)
		},
		Response: func(resp *http.Response) {
			x.status = resp.Status
			if x.tracer != nil {
				x.tracer.response(resp)
			}
			x.progress.set("receiving the reply", resp.ContentLength >= progressThreshold, false, resp.ContentLength)
		},
		ResponseBody: func(body []byte) {
			x.reply = append(x.reply[:0], body...)
			x.gotReply = true
			if x.tracer != nil {
				x.tracer.responseBody(body)
			}
		},
		HTTP: &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) {
				x.progress.set("waiting for the reply", false, false, -1)
			},
		},
	}
}
