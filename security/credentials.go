package security

// Credentials identify the client to a service or to a proxy, WWSAPI's
// WS_STRING_WINDOWS_INTEGRATED_AUTH_CREDENTIAL plus where Kerberos tickets
// come from.
type Credentials struct {
	// Username is "user", "DOMAIN\user" or "user@REALM". NTLM splits a
	// domain off either form; Kerberos takes the realm from the "@" form
	// or from Domain.
	Username string
	// Password is the user's password. Negotiate can do without it when
	// Kerberos names a keytab or a credential cache.
	Password string
	// Domain is the NTLM domain, or the Kerberos realm, when Username does
	// not carry one.
	Domain string
	// Workstation is the client machine name NTLM reports; empty sends
	// none.
	Workstation string
	// Kerberos says where Negotiate gets its tickets; nil logs in with
	// Username and Password under the configuration named by
	// $KRB5_CONFIG (or /etc/krb5.conf).
	Kerberos *Kerberos
}

// Kerberos configures Negotiate's Kerberos client.
type Kerberos struct {
	// ConfigPath is the krb5.conf to read; empty reads $KRB5_CONFIG, or
	// /etc/krb5.conf when that is unset.
	ConfigPath string
	// Keytab, when set, logs in with the key for the user's principal
	// from this keytab file instead of the password.
	Keytab string
	// CCache, when set, uses the ticket-granting ticket in this MIT
	// credential cache file (as kinit leaves it) instead of logging in.
	CCache string
	// SPN is the service principal to ask a ticket for; empty uses
	// "HTTP/" plus the host name of the URL (of the proxy, for proxy
	// authentication), as WWSAPI derives it.
	SPN string
}

// String returns the user name only, so that credentials printed by
// mistake do not show the password.
func (c Credentials) String() string { return "Credentials{" + c.Username + "}" }

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }
