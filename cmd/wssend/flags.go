package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/message"
)

// defaultMaxSize bounds each envelope, sent or received. WWSAPI's 64 KiB
// default protects services from strangers; wssend is run by the person
// who chose the service, so it allows far more, and -max-size changes it.
const defaultMaxSize = 64 << 20

// options is one invocation of wssend, parsed and checked.
type options struct {
	demo bool

	url   string
	input string // "" none given, "-" stdin, otherwise a file name

	envelope    bool
	action      string
	soap        message.EnvelopeVersion
	soapSet     bool
	addressing  message.AddressingVersion
	headerFiles []string
	httpHeaders []httpHeader

	timeout time.Duration
	proxy   string // "env", "none" or a proxy URL
	cacert  string
	cert    string
	key     string
	maxSize int64

	output   string
	bodyOnly bool
	pretty   triState
	verbose  bool

	sec securityFlags
}

// httpHeader is one -H flag.
type httpHeader struct{ name, value string }

// errHelp is returned by parseArgs for -h: the caller prints the manual.
var errHelp = flag.ErrHelp

// newFlagSet declares wssend's flags into o.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("wssend", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by run, -h prints the manual
	fs.Usage = func() {}
	fs.BoolVar(&o.envelope, "envelope", false, "BODY is a whole SOAP envelope, sent as it is (its version and headers are its own)")
	fs.StringVar(&o.action, "action", "", "the operation's action `URI` (SOAPAction, the SOAP 1.2 action parameter, or wsa:Action)")
	fs.Func("soap", "SOAP `version`: 1.1 (text/xml) or 1.2 (application/soap+xml) (default 1.1)", func(s string) error {
		switch s {
		case "1.1", "11":
			o.soap = message.SOAP11
		case "1.2", "12":
			o.soap = message.SOAP12
		default:
			return fmt.Errorf("want 1.1 or 1.2")
		}
		o.soapSet = true
		return nil
	})
	fs.Func("addressing", "WS-Addressing `version`: none, 1.0 or 2004 (default none with SOAP 1.1, 1.0 with SOAP 1.2)", func(s string) error {
		switch s {
		case "none", "transport":
			o.addressing = message.AddressingTransport
		case "1.0", "10", "2005":
			o.addressing = message.Addressing1_0
		case "2004", "2004/08", "0.9":
			o.addressing = message.Addressing0_9
		default:
			return fmt.Errorf("want none, 1.0 or 2004")
		}
		return nil
	})
	fs.Func("header", "add the SOAP header element in `FILE` (repeatable); its mustUnderstand, role/actor and relay attributes are kept", func(s string) error {
		o.headerFiles = append(o.headerFiles, s)
		return nil
	})
	fs.Func("H", "add the HTTP header `'Name: value'` (repeatable); it replaces a header wssend would set", func(s string) error {
		h, err := parseHTTPHeader(s)
		if err == nil {
			o.httpHeaders = append(o.httpHeaders, h)
		}
		return err
	})
	fs.DurationVar(&o.timeout, "timeout", 0, "give up after `duration` (such as 10s); 0 keeps the channel's 30 s per phase")
	fs.StringVar(&o.proxy, "proxy", "env", "HTTP proxy: a `URL`, none, or env (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)")
	fs.StringVar(&o.cacert, "cacert", "", "trust the CA certificates in PEM `FILE` (instead of the system's)")
	fs.StringVar(&o.cert, "cert", "", "client certificate PEM `FILE` (with -key)")
	fs.StringVar(&o.key, "key", "", "client private key PEM `FILE` (with -cert)")
	fs.Func("max-size", "largest envelope sent or received, in `bytes` (suffixes K, M, G) (default 64M)", func(s string) error {
		n, err := parseSize(s)
		if err == nil {
			o.maxSize = n
		}
		return err
	})
	fs.StringVar(&o.output, "o", "", "write the reply to `FILE` instead of stdout")
	fs.BoolVar(&o.bodyOnly, "body-only", false, "print only the reply's body element(s), not the whole envelope")
	fs.Var(&o.pretty, "pretty", "indent the XML printed (default: when stdout is a terminal); -pretty=false prints it as received")
	declareSecurityFlags(fs, &o.sec)
	fs.BoolVar(&o.verbose, "v", false, "print the whole exchange to stderr: request and reply, HTTP headers and envelopes, secrets masked")
	return fs
}

// parseArgs parses the command line. Flags and the positional arguments
// (URL, BODY) may come in any order, as with curl; "--" ends the flags.
func parseArgs(args []string) (*options, error) {
	o := &options{soap: message.SOAP11, maxSize: defaultMaxSize}
	fs := newFlagSet(o)
	args = joinTwoArgFlags(args)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return nil, errHelp
			}
			return nil, usageErrorf("%v", err)
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	flagsGiven := fs.NFlag() > 0

	switch {
	case len(pos) == 0 && !flagsGiven, len(pos) == 1 && pos[0] == "demo":
		if flagsGiven {
			return nil, usageErrorf("wssend demo takes no flags")
		}
		o.demo = true
		return o, nil
	case len(pos) == 0:
		return nil, usageErrorf("missing the service URL (run 'wssend demo' to see wssend at work)")
	case len(pos) > 2:
		return nil, usageErrorf("too many arguments %q: want URL and at most one BODY file (or - for stdin)", pos[2:])
	}
	o.url = pos[0]
	if len(pos) == 2 {
		o.input = pos[1]
	}
	if err := o.check(fs); err != nil {
		return nil, err
	}
	return o, nil
}

// check validates the combination of flags.
func (o *options) check(fs *flag.FlagSet) error {
	u, err := url.Parse(o.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.Errorf(errors.InvalidEndpointURL, "%q is not an http:// or https:// URL", o.url)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.envelope && (set["addressing"] || set["header"]) {
		return usageErrorf("-addressing and -header do not apply with -envelope: the envelope carries its own headers")
	}
	if !set["addressing"] {
		o.addressing = message.AddressingTransport
		if o.soap == message.SOAP12 {
			o.addressing = message.Addressing1_0
		}
	}
	if (o.cert == "") != (o.key == "") {
		return usageErrorf("-cert and -key go together: give both, or neither")
	}
	switch o.proxy {
	case "env", "none":
	default:
		p, err := url.Parse(o.proxy)
		if err != nil || p.Scheme == "" || p.Host == "" {
			return usageErrorf("-proxy %q: want a proxy URL (such as http://proxy:3128), none, or env", o.proxy)
		}
	}
	if o.timeout < 0 {
		return usageErrorf("-timeout %v: want a positive duration", o.timeout)
	}
	if o.maxSize <= 0 {
		return usageErrorf("-max-size must be positive")
	}
	return o.checkSecurity(set)
}

// parseHTTPHeader parses an -H value, "Name: value".
func parseHTTPHeader(s string) (httpHeader, error) {
	name, value, ok := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || !validHeaderName(name) {
		return httpHeader{}, fmt.Errorf("%q: want 'Name: value'", s)
	}
	if strings.ContainsAny(value, "\r\n") {
		return httpHeader{}, fmt.Errorf("%q: a header value cannot span lines", s)
	}
	return httpHeader{name: http.CanonicalHeaderKey(name), value: strings.TrimSpace(value)}, nil
}

// validHeaderName reports whether s is an HTTP field name (an RFC 9110 token).
func validHeaderName(s string) bool {
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// parseSize reads a byte count with an optional binary suffix (K, M, G,
// with or without "iB" or "B").
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q: want a positive size such as 65536, 512K or 16M", s)
	}
	return n * mult, nil
}

// triState is a boolean flag that remembers whether it was given.
type triState struct{ set, on bool }

func (t *triState) String() string {
	if t == nil || !t.set {
		return "auto"
	}
	return strconv.FormatBool(t.on)
}

func (t *triState) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false")
	}
	t.set, t.on = true, v
	return nil
}

// IsBoolFlag lets -pretty stand alone, meaning -pretty=true.
func (t *triState) IsBoolFlag() bool { return true }

// usageErrorf is the error of a command line wssend cannot run.
func usageErrorf(format string, args ...any) *errors.Error {
	return errors.Errorf(errors.InvalidArgument, format, args...)
}

// printManual writes the -h text: usage, flags, exit statuses.
func printManual(w io.Writer) {
	fmt.Fprint(w, `wssend sends one SOAP request and prints the reply: curl for SOAP.

Usage:
  wssend [flags] URL [BODY|-]    send the body element in file BODY (or stdin)
  wssend -envelope [flags] URL [FILE|-]
                                 send a whole envelope as it is
  wssend demo                    call a built-in demo service on loopback

BODY left out reads stdin when it is a pipe or a file, and sends an empty
Body otherwise. Flags may come before or after URL.

Flags:
`)
	fs := newFlagSet(&options{})
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, "\nExit status:\n")
	printExitTable(w)
	fmt.Fprint(w, `
Examples:
  wssend -action http://example.com/calc/Add http://localhost:8080/calc add.xml
  echo '<Echo xmlns="http://example.com/calc"><text>hi</text></Echo>' |
      wssend -soap 1.2 -body-only http://localhost:8080/calc
  wssend -v -H 'Authorization: Basic dXNlcjpwdw==' -envelope https://host/svc env.xml
`)
}
