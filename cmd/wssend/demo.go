package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/wsgo/wsgo/channel"
	"github.com/wsgo/wsgo/internal/testtypes/calc"
	"github.com/wsgo/wsgo/message"
	"github.com/wsgo/wsgo/service"
)

// calcNS is the namespace of the calc contract (internal/testtypes/wsdl/calc.wsdl).
const calcNS = "http://example.com/calc"

// demoStep is one call of the demo: the command a user would type and the
// exit status it must end with.
type demoStep struct {
	title  string
	args   []string // after "wssend", with URL standing for the service's address
	body   string   // piped into wssend
	status int
}

// demoSteps are the demo's calls: a reply, a reply body alone in SOAP 1.2
// with WS-Addressing, and a fault.
var demoSteps = []demoStep{
	{
		title:  "Add 2 and 3 (SOAP 1.1, the whole reply envelope):",
		args:   []string{"-action", calcNS + "/Add", "URL"},
		body:   `<Add xmlns="http://example.com/calc"><a>2</a><b>3</b></Add>`,
		status: exitOK,
	},
	{
		title:  "Echo in SOAP 1.2 with WS-Addressing 1.0, printing only the reply's body:",
		args:   []string{"-soap", "1.2", "-action", calcNS + "/Echo", "-body-only", "URL"},
		body:   `<Echo xmlns="http://example.com/calc"><text>hello, SOAP</text></Echo>`,
		status: exitOK,
	},
	{
		title:  "An Add that overflows: the service answers with a SOAP fault:",
		args:   []string{"-action", calcNS + "/Add", "URL"},
		body:   `<Add xmlns="http://example.com/calc"><a>2147483647</a><b>1</b></Add>`,
		status: exitFault,
	},
}

// runDemo serves the calc contract on a loopback port and calls it with
// wssend itself, printing each command and what it prints, so that the
// first command a reader runs shows the whole tool working. It returns 0
// when every call ended as expected (the fault included).
func runDemo(ctx context.Context, stdout, stderr io.Writer) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "wssend demo: cannot listen on loopback: %v\n", err)
		return exitOther
	}
	mux := http.NewServeMux()
	mux.Handle("/calc", newDemoHost())
	srv := channel.NewServer(mux, channel.Timeouts{})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-served
	}()

	url := "http://" + ln.Addr().String() + "/calc"
	fmt.Fprintf(stdout, "A demo calc service (Add, Echo) is listening on %s.\n", url)
	for i, step := range demoSteps {
		args := make([]string, len(step.args))
		for j, a := range step.args {
			args[j] = strings.ReplaceAll(a, "URL", url)
		}
		fmt.Fprintf(stdout, "\n%d. %s\n\n$ echo '%s' |\n    wssend %s\n", i+1, step.title, step.body, strings.Join(args, " "))
		// The call's stderr goes to the same stream as its stdout, as on
		// a terminal, so the transcript keeps the order of what it says.
		// -pretty: the transcript reads the same piped as on a terminal.
		status := runContext(ctx, append([]string{"-pretty"}, args...), strings.NewReader(step.body), stdout, stdout)
		if status != exitOK {
			fmt.Fprintf(stdout, "(exit status %d)\n", status)
		}
		if status != step.status {
			fmt.Fprintf(stderr, "wssend demo: step %d ended with exit status %d instead of %d\n", i+1, status, step.status)
			return exitOther
		}
	}
	fmt.Fprintf(stdout, "\nRun wssend -h for the flags and exit statuses.\n")
	return exitOK
}

// newDemoHost returns the calc service: Add (with an overflow fault) and
// Echo, in SOAP 1.1 and 1.2 alike.
func newDemoHost(opts ...service.HostOption) *service.Host {
	h := service.NewHost(opts...)
	service.Handle(h, calcNS+"/Add", func(ctx context.Context, in *calc.Add) (*calc.AddResponse, error) {
		sum := int64(in.A) + int64(in.B)
		if sum > math.MaxInt32 || sum < math.MinInt32 {
			return nil, service.NewFault(message.FaultSender, xml.Name{Space: calcNS, Local: "Overflow"},
				"a + b does not fit in a 32-bit integer",
				&calc.CalcFault{Code: 1, Message: fmt.Sprintf("%d + %d = %d", in.A, in.B, sum)})
		}
		return &calc.AddResponse{Result: int32(sum)}, nil
	})
	service.Handle(h, calcNS+"/Echo", func(ctx context.Context, in *calc.Echo) (*calc.EchoResponse, error) {
		return &calc.EchoResponse{Text: in.Text}, nil
	})
	return h
}
