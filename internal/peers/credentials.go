package peers

// The fixed test identity every security peer (apache2, lighttpd, squid,
// tinyproxy, the KDC, gss-ntlmssp) knows. Nothing outside a test's loopback
// peers ever sees it.
const (
	// User is the user name every peer accepts.
	User = "wsgo"
	// Password is User's password in every peer. Its characters are
	// those tinyproxy 1.11's BasicAuth accepts ([A-Za-z0-9._-]; it
	// refuses to start on "!", "@", ":", "~", "%", quoted or not).
	Password = "Pa55-wsgo.1"
	// WrongPassword is a password no peer accepts, for the access-denied
	// cases.
	WrongPassword = "not-" + Password
	// Realm is the HTTP authentication realm (Basic and Digest) of the
	// web servers and proxies.
	Realm = "wsgo-test"
	// KerberosRealm is the realm of the KDC started by StartKDC.
	KerberosRealm = "WSGO.TEST"
	// Domain is the NTLM domain of User in apache's gss-ntlmssp user file.
	Domain = "WSGO"
	// Host is the host name clients must use for Negotiate: the service
	// principal is HTTP/Host@KerberosRealm, and the peers bind 127.0.0.1.
	Host = "localhost"
	// ServicePrincipal is the Kerberos principal of the web server and the
	// proxy, without the realm.
	ServicePrincipal = "HTTP/" + Host
)
