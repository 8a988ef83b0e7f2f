package security

import (
	"crypto/sha256"
	"regexp"
	"strings"

	"github.com/jcmturner/gokrb5/v8/client"
	"github.com/jcmturner/gokrb5/v8/config"
	"github.com/jcmturner/gokrb5/v8/credentials"
	"github.com/jcmturner/gokrb5/v8/keytab"
	"github.com/jcmturner/gokrb5/v8/krberror"

	"github.com/wsgo/wsgo/errors"
)

// krbSource says where a Kerberos client gets its ticket-granting ticket.
type krbSource struct {
	configPath string
	user       string // principal name without realm; empty for a ccache
	realm      string
	password   string
	keytab     string
	ccache     string
}

// key identifies the source among an Authenticator's logins. The
// password enters only as a hash, so that two sessions with different
// passwords for one principal never share a login.
func (s krbSource) key() string {
	sum := sha256.Sum256([]byte(s.password))
	return strings.Join([]string{s.configPath, s.user, s.realm, s.keytab, s.ccache, string(sum[:])}, "\x00")
}

// principal names the user for messages.
func (s krbSource) principal() string {
	switch {
	case s.ccache != "":
		return "the principal of credential cache " + s.ccache
	case s.realm != "":
		return s.user + "@" + s.realm
	}
	return s.user
}

// krbSourceOf works out where Negotiate gets its tickets from cred.
func krbSourceOf(target Target, cred Credentials) (krbSource, error) {
	var k Kerberos
	if cred.Kerberos != nil {
		k = *cred.Kerberos
	}
	src := krbSource{
		configPath: k.ConfigPath,
		keytab:     k.Keytab,
		ccache:     k.CCache,
		password:   cred.Password,
	}
	if src.configPath == "" {
		src.configPath = envOr("KRB5_CONFIG", "/etc/krb5.conf")
	}
	// KRB5_CONFIG may list several files; gokrb5 reads one.
	if i := strings.IndexByte(src.configPath, ':'); i > 0 {
		src.configPath = src.configPath[:i]
	}
	user := cred.Username
	if _, u, ok := strings.Cut(user, `\`); ok {
		user = u // a NetBIOS domain is no realm
	}
	if u, realm, ok := strings.Cut(user, "@"); ok {
		user, src.realm = u, realm
	}
	if src.realm == "" {
		src.realm = cred.Domain
	}
	src.user = user
	// Precedence: a keytab, an explicit credential cache, the password,
	// then $KRB5CCNAME.
	switch {
	case src.keytab != "":
		src.ccache, src.password = "", ""
	case src.ccache != "":
		src.password = ""
	case src.password != "":
	default:
		src.ccache = envOr("KRB5CCNAME", "")
	}
	if src.ccache != "" {
		path, isFile := strings.CutPrefix(src.ccache, "FILE:")
		if !isFile && strings.Contains(path, ":") {
			return src, errors.Errorf(errors.InvalidArgument,
				"Negotiate for the %v: credential cache %q is not a file; wsgo reads only FILE: caches (kinit -c FILE:/path)", target, src.ccache)
		}
		src.ccache = path
		return src, nil
	}
	if src.user == "" {
		return src, errors.Errorf(errors.InvalidArgument,
			"Negotiate for the %v needs a user name (\"user@REALM\") unless it uses a credential cache", target)
	}
	if src.keytab == "" && src.password == "" {
		return src, errors.Errorf(errors.InvalidArgument,
			"Negotiate for the %v: user %q has no password, keytab or credential cache (set Credentials.Password, Kerberos.Keytab, Kerberos.CCache or $KRB5CCNAME)", target, src.user)
	}
	return src, nil
}

// newKrbClient loads the configuration and the credentials of src and logs
// in.
func newKrbClient(target Target, src krbSource) (*client.Client, error) {
	cfg, err := config.Load(src.configPath)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidArgument,
			"Negotiate for the %v: Kerberos configuration %s: %v (set Kerberos.ConfigPath or $KRB5_CONFIG)", target, src.configPath, err)
	}
	realm := src.realm
	if realm == "" {
		realm = cfg.LibDefaults.DefaultRealm
	}
	opts := []func(*client.Settings){client.DisablePAFXFAST(true)}
	var cl *client.Client
	switch {
	case src.ccache != "":
		cc, err := credentials.LoadCCache(src.ccache)
		if err != nil {
			return nil, errors.Errorf(errors.InvalidArgument,
				"Negotiate for the %v: credential cache %s: %v (run kinit, or point Kerberos.CCache at the cache)", target, src.ccache, err)
		}
		cl, err = client.NewFromCCache(cc, cfg, opts...)
		if err != nil {
			return nil, errors.Errorf(errors.SecurityTokenExpired,
				"Negotiate for the %v: credential cache %s: %v (run kinit again)", target, src.ccache, err)
		}
		return cl, nil
	case realm == "":
		return nil, errors.Errorf(errors.InvalidArgument,
			"Negotiate for the %v: no Kerberos realm for user %q: write \"user@REALM\", set Credentials.Domain or default_realm in %s",
			target, src.user, src.configPath)
	case src.keytab != "":
		kt, err := keytab.Load(src.keytab)
		if err != nil {
			return nil, errors.Errorf(errors.InvalidArgument, "Negotiate for the %v: keytab %s: %v", target, src.keytab, err)
		}
		cl = client.NewWithKeytab(src.user, realm, kt, cfg, opts...)
	default:
		cl = client.NewWithPassword(src.user, realm, src.password, cfg, opts...)
	}
	if err := cl.Login(); err != nil {
		return nil, kdcError(target, src.user+"@"+realm, cfg, realm, err)
	}
	return cl, nil
}

// krbErrorCode finds the KDC error name in a gokrb5 error text.
var krbErrorCode = regexp.MustCompile(`KRB Error: \((\d+)\) ([A-Z_]+)`)

// kdcError maps a gokrb5 login or ticket failure to a wsgo code: what the
// KDC refused (the password, the principal) is access denied for the
// target; a KDC that cannot be reached is a security system failure naming
// its address.
func kdcError(target Target, principal string, cfg *config.Config, realm string, err error) error {
	text := err.Error()
	if m := krbErrorCode.FindStringSubmatch(text); m != nil {
		name := m[2]
		var why string
		switch name {
		case "KDC_ERR_PREAUTH_FAILED", "KRB_AP_ERR_BAD_INTEGRITY":
			why = "the password (or key) is wrong"
		case "KDC_ERR_C_PRINCIPAL_UNKNOWN":
			why = "the KDC does not know the user"
		case "KDC_ERR_S_PRINCIPAL_UNKNOWN":
			// Not a refusal of the user: Kerberos cannot name this server
			// (an IP address, an alias without an SPN). Windows' Negotiate
			// falls back to NTLM then, and so does the channel.
			return errors.Errorf(errors.SecuritySystemFailure,
				"Negotiate for the %v as %s: the KDC does not know the service principal (%s); use the host name the SPN is registered for, or set Kerberos.SPN", target, principal, name)
		case "KDC_ERR_CLIENT_REVOKED", "KDC_ERR_KEY_EXPIRED":
			why = "the account is disabled, locked or its password expired"
		case "KRB_AP_ERR_SKEW":
			return errors.Errorf(errors.SecuritySystemFailure,
				"Negotiate for the %v as %s: the clocks of this host and the KDC differ too much (KRB_AP_ERR_SKEW)", target, principal)
		default:
			why = "the KDC refused the request"
		}
		return accessDenied(target, nil, "Negotiate for the %v as %s: %s (%s)", target, principal, why, name)
	}
	var ke krberror.Krberror
	if errors.As(err, &ke) && ke.RootCause == krberror.NetworkingError || strings.Contains(text, "communicat") || strings.Contains(text, "sending to") {
		return errors.Errorf(errors.SecuritySystemFailure,
			"Negotiate for the %v as %s: cannot reach the KDC of realm %s at %s: %s", target, principal, realm, kdcAddresses(cfg, realm), text)
	}
	if strings.Contains(text, "password/keytab incorrect") || strings.Contains(text, "Decrypting_Error") {
		return accessDenied(target, nil, "Negotiate for the %v as %s: the password (or key) is wrong: the KDC's reply does not decrypt with it", target, principal)
	}
	return errors.Errorf(errors.SecuritySystemFailure, "Negotiate for the %v as %s: Kerberos: %s", target, principal, text)
}

// kdcAddresses lists the configured KDCs of realm for messages.
func kdcAddresses(cfg *config.Config, realm string) string {
	if cfg != nil {
		for _, r := range cfg.Realms {
			if strings.EqualFold(r.Realm, realm) && len(r.KDC) > 0 {
				return strings.Join(r.KDC, ", ")
			}
		}
	}
	return "(no kdc in the configuration; DNS lookup)"
}
