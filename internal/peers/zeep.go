package peers

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

//go:embed zeep/client.py
var zeepClient []byte

// zeepTimeout is a watchdog against a hung zeep run, far above the second
// or two it takes.
const zeepTimeout = 90 * time.Second

// ZeepOptions selects how RunZeep calls the service.
type ZeepOptions struct {
	// SOAP12 binds to the WSDL's SOAP 1.2 binding; else SOAP 1.1.
	SOAP12 bool
	// Addressing adds zeep's WS-Addressing 1.0 plugin (wsa:Action,
	// wsa:MessageID, wsa:To on every request).
	Addressing bool
}

// ZeepCall is what zeep reported for one operation call, one JSON line of
// zeep/client.py. Exactly one of Result (Add), Text (Echo), Fault and Error
// is set.
type ZeepCall struct {
	// Op is the operation called: "Add" or "Echo".
	Op string `json:"op"`
	// Result is Add's result.
	Result *int `json:"result"`
	// Text is Echo's text.
	Text *string `json:"text"`
	// Fault is the SOAP fault zeep raised.
	Fault *ZeepFault `json:"fault"`
	// Error is any other failure (transport error, unparsable reply), as
	// "ExceptionType: message".
	Error string `json:"error"`
}

// ZeepFault is a SOAP fault as zeep.exceptions.Fault saw it.
type ZeepFault struct {
	// Message is faultstring (SOAP 1.1) or Reason/Text (SOAP 1.2).
	Message string `json:"message"`
	// Code is faultcode or Code/Value as written, prefix included.
	Code string `json:"code"`
	// Subcodes are the SOAP 1.2 Subcode values as {namespace}local.
	Subcodes []string `json:"subcodes"`
	// Detail is the CalcFault in the fault's detail, if there was one.
	Detail *ZeepCalcFault `json:"detail"`
}

// ZeepCalcFault is the CalcFault detail zeep found.
type ZeepCalcFault struct {
	// Code is CalcFault/code.
	Code int `json:"code"`
	// Message is CalcFault/message.
	Message string `json:"message"`
}

// RunZeep runs zeep against a calc service: it loads the WSDL at wsdlPath
// (see CalcWSDLAt), binds to address and calls Add(2, 3), Echo("hi") and
// Echo("fault"), and returns the three calls in that order. zeep's log of
// every envelope it sent and received is logged when the test failed.
//
// When zeep is not installed, the test is skipped, or fails if Required; a
// zeep run that crashes or prints something else fails the test.
func RunZeep(t testing.TB, wsdlPath, address string, opts ZeepOptions) []ZeepCall {
	t.Helper()
	if err := pythonHas("zeep (python3-zeep)", "zeep", "lxml"); err != nil {
		unavailable(t, "peers: %v", err)
	}
	script := filepath.Join(t.TempDir(), "client.py")
	if err := os.WriteFile(script, zeepClient, 0o644); err != nil {
		t.Fatalf("peers: write zeep client script: %v", err)
	}
	binding := "soap11"
	if opts.SOAP12 {
		binding = "soap12"
	}
	args := []string{wsdlPath, address, binding}
	if opts.Addressing {
		args = append(args, "wsa")
	}
	out := runPython(t, fmt.Sprintf("zeep (%s, addressing %v) against %s", binding, opts.Addressing, address), script, args...)
	return parseZeepCalls(t, "zeep", out)
}

// runPython runs script with args under Python (the zeep client scripts)
// within zeepTimeout and returns its standard output. what names the run in
// failures; the script's standard error (zeep's envelope log) is logged
// when the test failed.
func runPython(t testing.TB, what, script string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), zeepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, Python, append([]string{script}, args...)...)
	cmd.Env = append(cmd.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t.Cleanup(func() {
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("%s log:\n%s", what, stderr.String())
		}
	})
	if err := cmd.Run(); err != nil {
		t.Fatalf("peers: %s: %v\nstdout:\n%s\nstderr:\n%s", what, err, stdout.String(), stderr.String())
	}
	return stdout.Bytes()
}

// parseZeepCalls reads the JSON lines a zeep script printed, one ZeepCall
// each; anything else fails the test.
func parseZeepCalls(t testing.TB, who string, out []byte) []ZeepCall {
	t.Helper()
	var calls []ZeepCall
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c ZeepCall
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("peers: %s printed %q, not a call result: %v", who, line, err)
		}
		calls = append(calls, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("peers: read %s's output: %v", who, err)
	}
	return calls
}
