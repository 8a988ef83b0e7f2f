package channel

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/security"
)

// transportError classifies an error of the HTTP transport (dialing,
// writing the request, reading the response) into its code, and decides
// whether it breaks the channel.
func (x *exchange) transportError(err error) error {
	if e, ok := err.(*errors.Error); ok {
		return e
	}
	var we *errors.Error // an *errors.Error inside (a streamed writer's, a netReader's)
	if errors.As(err, &we) {
		return we
	}
	if te := x.phaseTimeout(); te != nil {
		return x.timeoutErr(te)
	}
	if x.caller.Err() != nil || context.Cause(x.ctx) == errAborted {
		return contextError(x.ctx, "exchange")
	}
	if strings.Contains(err.Error(), "server response headers exceeded") {
		return errors.Quotaf("MaxHeaderBytes", "the reply's HTTP headers are larger than %d bytes", MaxHeaderBytes)
	}
	var rl *redirectLoopError
	if errors.As(err, &rl) {
		return errors.Errorf(errors.EndpointFailure,
			"stopped after %d redirects in a row (last to %q): the service's redirects loop", rl.n, rl.last)
	}
	return classifyNetError(err)
}

// phaseTimeout returns the phase timer that ended the exchange, if any.
func (x *exchange) phaseTimeout() *timeoutError {
	if te, ok := context.Cause(x.ctx).(*timeoutError); ok {
		return te
	}
	return nil
}

func (x *exchange) timeoutErr(te *timeoutError) *errors.Error {
	what := map[string]string{
		"Resolve":         "resolving the service's host name",
		"Connect":         "connecting to the service",
		"Send":            "sending the request",
		"ReceiveResponse": "waiting for the response headers",
		"Receive":         "receiving the reply",
	}[te.phase]
	return errors.Errorf(errors.OperationTimedOut,
		"%s took longer than the %s timeout (%v); the service may be slow or stalled: raise Timeouts.%s or retry",
		what, te.phase, te.limit, te.phase)
}

// classifyNetError maps a dial, TLS or I/O error to a code.
func classifyNetError(err error) *errors.Error {
	var te *timeoutError
	if errors.As(err, &te) {
		return errors.Errorf(errors.OperationTimedOut,
			"%s timed out after %v; raise Timeouts.%s or check that the host answers", strings.ToLower(te.phase), te.limit, te.phase)
	}
	proxy := false
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		proxy = true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsTimeout {
			return errors.Errorf(errors.OperationTimedOut, "looking up host %q timed out: %w", dns.Name, err)
		}
		if proxy {
			return errors.Errorf(errors.ProxyFailure, "the proxy's host %q could not be resolved: %w", dns.Name, err)
		}
		if dns.IsNotFound {
			return errors.Errorf(errors.EndpointNotFound, "host %q not found (DNS); check the address's host name: %w", dns.Name, err)
		}
		return errors.Errorf(errors.EndpointUnreachable, "host %q could not be resolved (DNS server failure); retry later: %w", dns.Name, err)
	}
	if ce := certificateError(err); ce != nil {
		return ce
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the server did not answer the TLS handshake with TLS; is the address http:// rather than https://? %w", err)
	}
	if alert, ok := tlsAlert(err); ok {
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the TLS handshake failed: the server sent alert %q (no common protocol version or cipher, or a client certificate is required)", alert)
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		if proxy {
			return errors.Errorf(errors.ProxyFailure, "the proxy refused the connection; check the proxy address: %w", err)
		}
		return errors.Errorf(errors.EndpointUnreachable, "connection refused: nothing listens at the address's host and port; check them or retry when the service is up: %w", err)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return errors.Errorf(errors.EndpointUnreachable, "the host cannot be reached from here (no route): %w", err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		if proxy {
			return errors.Errorf(errors.ProxyFailure, "the proxy closed the connection: %w", err)
		}
		return errors.Errorf(errors.EndpointDisconnected,
			"the service closed the connection during the exchange; the request may or may not have taken effect: %w", err)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.Errorf(errors.OperationTimedOut, "the network operation timed out: %w", err)
	}
	if proxy {
		return errors.Errorf(errors.ProxyFailure, "could not use the proxy: %w", err)
	}
	var ue *url.Error
	if errors.As(err, &ue) && strings.Contains(ue.Err.Error(), "server closed") {
		return errors.Errorf(errors.EndpointDisconnected, "the service closed the connection: %w", err)
	}
	return errors.Errorf(errors.Other, "the HTTP exchange failed: %w", err)
}

// tlsAlert returns the text of the TLS alert that ended a handshake
// ("tls: protocol version not supported"). On a TCP connection crypto/tls
// reports the peer's alert as a *net.OpError with Op "remote error" around
// its unexported alert type, whose text starts "tls: "; tls.AlertError is
// what QUIC connections return.
func tlsAlert(err error) (string, bool) {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && op.Err != nil && strings.HasPrefix(op.Err.Error(), "tls: ") {
		return op.Err.Error(), true
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return alert.Error(), true
	}
	return "", false
}

// certificateError classifies a certificate verification failure into
// WWSAPI's certificate codes: the transport security's own check
// (*security.CertError, which has found every failure class and names the
// most severe), else crypto/tls's built-in one (WithTLSConfig alone),
// which stops at the first failure.
func certificateError(err error) *errors.Error {
	var sc *security.CertError
	if errors.As(err, &sc) {
		return errors.Errorf(sc.Code(), "TLS handshake: %w", sc)
	}
	if ae := clientCertAlert(err); ae != nil {
		return ae
	}
	var ua x509.UnknownAuthorityError
	if errors.As(err, &ua) {
		return errors.Errorf(errors.CertUntrustedRoot,
			"the server's certificate is signed by an authority this client does not trust; add the CA with WithTransportSecurity (RootCAs): %w", err)
	}
	var he x509.HostnameError
	if errors.As(err, &he) {
		return errors.Errorf(errors.CertCNNoMatch,
			"the server's certificate does not name the host %q; use the host name the certificate is for: %w", he.Host, err)
	}
	var ci x509.CertificateInvalidError
	if errors.As(err, &ci) {
		switch ci.Reason {
		case x509.Expired:
			return errors.Errorf(errors.CertExpired, "the server's certificate is expired or not yet valid: %w", err)
		case x509.IncompatibleUsage:
			return errors.Errorf(errors.CertWrongUsage, "the server's certificate is not valid for server authentication: %w", err)
		}
		return errors.Errorf(errors.CertUntrustedRoot, "the server's certificate is invalid: %w", err)
	}
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) {
		return errors.Errorf(errors.CertUntrustedRoot, "the server's certificate could not be verified: %w", err)
	}
	return nil
}

// clientCertAlert classifies an alert the server ended the handshake with
// because of this client's certificate (mutual TLS): crypto/tls returns a
// peer's alert as a net.OpError "remote error", and in TLS 1.3 only when
// the reply is read.
func clientCertAlert(err error) *errors.Error {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err == nil {
		return nil
	}
	alert := strings.TrimPrefix(op.Err.Error(), "tls: ")
	switch alert {
	case "certificate required":
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the server requires a client certificate (mutual TLS) and none was sent; give one with WithTransportSecurity (Certificates): %w", err)
	case "bad certificate", "unsupported certificate", "revoked certificate", "expired certificate",
		"unknown certificate", "unknown certificate authority", "access denied":
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the server refused this client's certificate with TLS alert %q: give a certificate from a CA the server trusts, valid now and issued for client authentication (WithTransportSecurity Certificates): %w", alert, err)
	case "handshake failure":
		return errors.Errorf(errors.SecurityVerificationFailure,
			"the server ended the TLS handshake with alert \"handshake failure\": it may require a client certificate (mutual TLS; give one with WithTransportSecurity Certificates), or it shares no cipher suite with this client: %w", err)
	}
	return nil
}

// netReader wraps a response body so that its errors arrive as
// *errors.Error with the right code (xmlio passes those through).
type netReader struct {
	r io.Reader
	x *exchange
}

func (n *netReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if pc := n.x.progress; pc != nil && (k > 0 || err == io.EOF) {
		pc.addReceived(k, err == io.EOF)
	}
	if err != nil && err != io.EOF {
		err = n.x.transportError(err)
	}
	return k, err
}

// requestReadError classifies an error reading a request body on the
// server side.
func requestReadError(ctx context.Context, err error) error {
	if _, ok := err.(*errors.Error); ok {
		return err
	}
	if ctx.Err() != nil {
		return contextError(ctx, "read request")
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return errors.Errorf(errors.OperationTimedOut,
			"the client did not send the whole request within the Receive timeout: %w", err)
	}
	return errors.Errorf(errors.EndpointDisconnected, "the client went away while sending the request: %w", err)
}
