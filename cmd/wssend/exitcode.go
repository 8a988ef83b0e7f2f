package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// exitClass is one row of wssend's exit status table: the status, and the
// error codes that end with it. A script branches on the class; the code
// itself is printed on stderr.
type exitClass struct {
	status  int
	name    string
	meaning string
	codes   []errors.Code
}

// The exit statuses. A received SOAP fault is exitFault whatever code
// the library gave it (a recognised fault may carry a more specific one).
const (
	exitOK          = 0
	exitOther       = 1
	exitUsage       = 2
	exitFault       = 3
	exitUnreachable = 4
	exitAuth        = 5
	exitTLS         = 6
	exitTimeout     = 7
	exitQuota       = 8
	exitFormat      = 9
	exitService     = 10
	exitInterrupted = 130
)

// exitClasses is the documented table (printed by -h and in the package
// documentation), in status order.
var exitClasses = []exitClass{
	{exitOK, "success", "the service answered with a reply", nil},
	{exitOther, "other", "a failure no other status describes", nil},
	{exitUsage, "usage", "bad flags or arguments, or an input file that cannot be read",
		[]errors.Code{errors.InvalidArgument, errors.InvalidEndpointURL}},
	{exitFault, "fault", "the service answered with a SOAP fault (printed on stderr)",
		[]errors.Code{errors.EndpointFaultReceived}},
	{exitUnreachable, "unreachable", "no service at the address: unknown host, connection refused, HTTP 404, connection cut, proxy failure",
		[]errors.Code{errors.EndpointNotFound, errors.EndpointUnreachable, errors.EndpointDisconnected, errors.ProxyFailure}},
	{exitAuth, "auth", "authentication required or access denied (HTTP 401, 403, 407)",
		[]errors.Code{errors.EndpointAccessDenied, errors.ProxyAccessDenied,
			errors.ServerRequiresBasicAuth, errors.ServerRequiresDigestAuth, errors.ServerRequiresNTLMAuth, errors.ServerRequiresNegotiateAuth,
			errors.ProxyRequiresBasicAuth, errors.ProxyRequiresDigestAuth, errors.ProxyRequiresNTLMAuth, errors.ProxyRequiresNegotiateAuth,
			errors.SecurityTokenExpired}},
	{exitTLS, "security", "TLS or message security failure: untrusted, expired or mismatched certificate, failed handshake, a WS-Security check that failed",
		[]errors.Code{errors.CertExpired, errors.CertUntrustedRoot, errors.CertCNNoMatch, errors.CertWrongUsage,
			errors.CertRevocationOffline, errors.SecurityVerificationFailure, errors.SecuritySystemFailure}},
	{exitTimeout, "timeout", "the exchange took longer than -timeout (or a 30 s phase timeout)",
		[]errors.Code{errors.OperationTimedOut}},
	{exitQuota, "quota", "a message over -max-size, or another size limit of the XML reader",
		[]errors.Code{errors.QuotaExceeded}},
	{exitFormat, "format", "malformed XML in the input or the reply, or a reply that is not SOAP",
		[]errors.Code{errors.InvalidFormat, errors.NumericOverflow}},
	{exitService, "service", "the service failed or refused: HTTP 5xx without a fault, 405, 410, 429, 503",
		[]errors.Code{errors.EndpointFailure, errors.EndpointNotAvailable, errors.EndpointTooBusy, errors.EndpointActionNotSupported}},
	{exitInterrupted, "interrupted", "interrupted (Ctrl-C)",
		[]errors.Code{errors.OperationAborted}},
}

// exitStatus returns the exit status of the outcome err.
func exitStatus(err error) int {
	if err == nil {
		return exitOK
	}
	var e *errors.Error
	if errors.As(err, &e) && e.Fault != nil {
		return exitFault
	}
	code := errors.CodeOf(err)
	for _, c := range exitClasses {
		for _, k := range c.codes {
			if k == code {
				return c.status
			}
		}
	}
	return exitOther
}

// printExitTable writes the table as the manual shows it.
func printExitTable(w io.Writer) {
	for _, c := range exitClasses {
		fmt.Fprintf(w, "  %3d  %-12s %s\n", c.status, c.name, c.meaning)
		if len(c.codes) > 0 {
			names := make([]string, len(c.codes))
			for i, k := range c.codes {
				names[i] = k.String()
			}
			fmt.Fprintf(w, "       %-12s (%s)\n", "", wrap(strings.Join(names, ", "), 60, "\n                     "))
		}
	}
}

// wrap breaks s into lines of at most width bytes at spaces.
func wrap(s string, width int, sep string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(word) > width {
				b.WriteString(sep)
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
