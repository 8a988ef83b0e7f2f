// Command wssend sends one SOAP request and prints the reply: curl for SOAP,
// built on wsgo's channel package.
//
// Usage:
//
//	wssend [flags] URL [BODY|-]              send the body element in file BODY (or stdin)
//	wssend -envelope [flags] URL [FILE|-]    send a whole envelope as it is
//	wssend demo                              call a built-in demo service on loopback
//
// BODY is one XML element, the request's body element, copied into the
// envelope as it is (prefixes and namespace declarations included). Left
// out, it is read from stdin when stdin is a pipe or a file; an empty body
// sends an empty SOAP Body. With -envelope the file is a whole SOAP 1.1 or
// 1.2 envelope, sent byte for byte with the content type of its version;
// its wsa:Action, if any, becomes the SOAPAction (or the SOAP 1.2 action
// parameter) unless -action says otherwise.
//
// The reply envelope is printed on stdout (or written to -o FILE), indented
// when stdout is a terminal or -pretty is given; -body-only prints only the
// body element(s). A SOAP fault is printed too, and its code chain, reason,
// role, node and detail are shown on stderr. Every other failure is one
// line on stderr naming the wsgo error code.
//
// When stderr is a terminal (and -v is not given), a request or reply of 4
// MiB or more shows a progress line on stderr: the phase, the bytes moved
// so far and of how many, and the time spent.
//
// Flags (they may come before or after URL):
//
//	-action URI        the operation's action: SOAPAction in SOAP 1.1, the
//	                   action media-type parameter in SOAP 1.2, and wsa:Action
//	                   with WS-Addressing
//	-soap 1.1|1.2      SOAP version (default 1.1)
//	-addressing none|1.0|2004
//	                   WS-Addressing version (default none with SOAP 1.1,
//	                   1.0 with SOAP 1.2)
//	-header FILE       add the element in FILE as a SOAP header (repeatable);
//	                   its mustUnderstand, actor/role and relay attributes are
//	                   kept and written in the request's SOAP version
//	-H 'Name: value'   add an HTTP header (repeatable); it replaces a header
//	                   wssend would set, such as Content-Type or SOAPAction
//	-envelope          BODY is a whole envelope, sent as it is
//	-timeout D         give up after D (such as 10s); by default each phase
//	                   of the exchange has the channel's 30 s
//	-proxy URL|none|env
//	                   the HTTP proxy (default env: HTTPS_PROXY, HTTP_PROXY,
//	                   NO_PROXY; loopback is always direct)
//	-cacert FILE       trust the CA certificates in this PEM file
//	-cert FILE -key FILE
//	                   client certificate and key (PEM), for mutual TLS
//	-ignore-cert expired,cn,untrusted-root,usage,revocation
//	                   accept a server certificate despite these failure
//	                   classes, each named (there is no "all")
//	-tls-min 1.2|1.3   the lowest TLS version accepted (default 1.2)
//	-auth basic|digest|ntlm|negotiate|auto
//	                   HTTP authentication to the service, comma-separated
//	                   schemes; auto (the default with -user) takes the
//	                   strongest the service offers
//	-user NAME         user, DOMAIN\user or user@REALM
//	-password-file FILE, -password-env VAR
//	                   where the password is; without either, wssend reads
//	                   $WSSEND_PASSWORD, else asks on the terminal
//	-basic-over-http   allow Basic over plain http://
//	-proxy-auth, -proxy-user, -proxy-password-file, -proxy-password-env
//	                   the same for the proxy ($WSSEND_PROXY_PASSWORD)
//	-krb5-conf FILE, -keytab FILE, -ccache FILE, -spn NAME
//	                   Kerberos for negotiate: configuration, a keytab or a
//	                   kinit credential cache instead of a password, the
//	                   service principal (default HTTP/ and the URL's host)
//	-wss-user NAME     add a WS-Security UsernameToken (password from
//	                   -wss-password-file, -wss-password-env,
//	                   $WSSEND_WSS_PASSWORD or the terminal); -wss-digest
//	                   sends it as PasswordDigest
//	-wss-timestamp D   add a wsu:Timestamp valid for D
//	-wss-sign CERT.pem KEY.pem
//	                   sign Body and Timestamp (exclusive C14N, RSA-SHA256)
//	-wss-verify-reply  require a reply signed by a certificate -cacert trusts
//	-max-size N        largest envelope sent or received (default 64M)
//	-o FILE            write the reply to FILE
//	-body-only         print only the reply's body element(s)
//	-pretty[=false]    indent the XML printed (default: when on a terminal)
//	-v                 print the whole exchange on stderr: request line,
//	                   HTTP headers and envelope, response status, headers and
//	                   body; Authorization and Proxy-Authorization keep only
//	                   their scheme ("Basic ***"), Cookie and Set-Cookie are
//	                   masked whole, a password in the URL is redacted, and
//	                   so is a WS-Security wsse:Password
//
// Passwords never need to be on the command line, where other users of the
// machine can read them: they come from a file, an environment variable or
// the terminal.
//
// There is no flag to skip certificate verification: to call a service
// with a test certificate, trust its CA with -cacert.
//
// On a terminal, an exchange whose request or reply is larger than 4 MiB
// shows its phase (sending, waiting for the reply, receiving) and the time
// spent in it on one line of stderr.
//
// # Exit status
//
//	  0  success      the service answered with a reply
//	  1  other        a failure no other status describes
//	  2  usage        bad flags or arguments, or an input file that cannot be
//	                  read (InvalidArgument, InvalidEndpointURL)
//	  3  fault        the service answered with a SOAP fault
//	                  (EndpointFaultReceived, or any error carrying a fault)
//	  4  unreachable  unknown host, connection refused, HTTP 404, connection
//	                  cut, proxy failure (EndpointNotFound, EndpointUnreachable,
//	                  EndpointDisconnected, ProxyFailure)
//	  5  auth         authentication required or access denied: HTTP 401, 403,
//	                  407 (EndpointAccessDenied, ProxyAccessDenied,
//	                  ServerRequires*Auth, ProxyRequires*Auth,
//	                  SecurityTokenExpired)
//	  6  security     untrusted, expired or mismatched certificate, failed
//	                  handshake, a WS-Security check that failed
//	                  (Cert*, SecurityVerificationFailure,
//	                  SecuritySystemFailure)
//	  7  timeout      -timeout or a phase timeout expired (OperationTimedOut)
//	  8  quota        a message over -max-size or another reader limit
//	                  (QuotaExceeded)
//	  9  format       malformed XML in the input or the reply, or a reply that
//	                  is not SOAP (InvalidFormat, NumericOverflow)
//	 10  service      the service failed or refused: HTTP 5xx without a fault,
//	                  405, 410, 429, 503 (EndpointFailure, EndpointNotAvailable,
//	                  EndpointTooBusy, EndpointActionNotSupported)
//	130  interrupted  Ctrl-C (OperationAborted)
//
// # Examples
//
// See it work against a service it starts itself:
//
//	wssend demo
//
// Call an operation with the body element in a file:
//
//	wssend -action http://example.com/calc/Add http://localhost:8080/calc add.xml
//
// Pipe the body in, SOAP 1.2, and keep only the reply's body:
//
//	echo '<Echo xmlns="http://example.com/calc"><text>hi</text></Echo>' |
//	    wssend -soap 1.2 -action http://example.com/calc/Echo -body-only http://localhost:8080/calc
//
// Replay a captured envelope, showing the whole exchange:
//
//	wssend -v -H 'Authorization: Basic dXNlcjpwdw==' -envelope https://host/svc captured.xml
package main
