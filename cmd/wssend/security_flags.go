package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/wsgo/wsgo/security"
)

// authFlags are the credentials flags of one target: the service (-auth,
// -user, -password-file, -password-env) or the proxy (the same with
// -proxy- in front).
type authFlags struct {
	schemes     security.Scheme // 0: none given
	user        string
	passFile    string
	passEnv     string
	password    string // resolved by resolvePasswords
	hasPassword bool
}

// wssFlags are the WS-Security flags.
type wssFlags struct {
	user         string
	passFile     string
	passEnv      string
	password     string
	hasPassword  bool
	digest       bool          // PasswordDigest instead of PasswordText
	timestamp    time.Duration // 0: no Timestamp unless signing
	signCert     string
	signKey      string
	verifyReply  bool
	timestampSet bool
}

// securityFlags are everything wssend knows about credentials and TLS
// beyond -cacert, -cert and -key.
type securityFlags struct {
	service       authFlags
	proxy         authFlags
	basicOverHTTP bool
	krb5Conf      string
	keytab        string
	ccache        string
	spn           string
	ignoreCert    security.CertFailure
	tlsMin        uint16
	wss           wssFlags
}

// Default environment variables a password is read from when no
// -password-file or -password-env names one.
const (
	envPassword      = "WSSEND_PASSWORD"
	envProxyPassword = "WSSEND_PROXY_PASSWORD"
	envWSSPassword   = "WSSEND_WSS_PASSWORD"
)

// declareSecurityFlags adds the authentication, TLS and WS-Security flags.
func declareSecurityFlags(fs *flag.FlagSet, s *securityFlags) {
	schemes := func(dst *security.Scheme) func(string) error {
		return func(v string) error {
			sc, err := security.ParseSchemes(v)
			if err != nil {
				return err
			}
			*dst = sc
			return nil
		}
	}
	fs.Func("auth", "HTTP authentication to the service: `schemes` basic, digest, ntlm, negotiate, or auto (the strongest the service offers), comma-separated (default auto with -user)", schemes(&s.service.schemes))
	fs.StringVar(&s.service.user, "user", "", "the service's user `name` (user, DOMAIN\\user or user@REALM); the password comes from -password-file, -password-env, $"+envPassword+" or a prompt")
	fs.StringVar(&s.service.passFile, "password-file", "", "read the service password from the first line of `FILE`")
	fs.StringVar(&s.service.passEnv, "password-env", "", "read the service password from the environment `variable`")
	fs.BoolVar(&s.basicOverHTTP, "basic-over-http", false, "allow Basic authentication over plain http:// (the password crosses the network in the clear)")
	fs.Func("proxy-auth", "HTTP authentication to the proxy: `schemes` as for -auth (default auto with -proxy-user)", schemes(&s.proxy.schemes))
	fs.StringVar(&s.proxy.user, "proxy-user", "", "the proxy's user `name`; the password comes from -proxy-password-file, -proxy-password-env, $"+envProxyPassword+" or a prompt")
	fs.StringVar(&s.proxy.passFile, "proxy-password-file", "", "read the proxy password from the first line of `FILE`")
	fs.StringVar(&s.proxy.passEnv, "proxy-password-env", "", "read the proxy password from the environment `variable`")
	fs.StringVar(&s.krb5Conf, "krb5-conf", "", "Kerberos configuration `FILE` for negotiate (default $KRB5_CONFIG or /etc/krb5.conf)")
	fs.StringVar(&s.keytab, "keytab", "", "log in to Kerberos with the user's key from keytab `FILE` instead of a password")
	fs.StringVar(&s.ccache, "ccache", "", "use the Kerberos tickets in credential cache `FILE` (as kinit leaves them) instead of a password")
	fs.StringVar(&s.spn, "spn", "", "the service principal `name` to ask a Kerberos ticket for (default HTTP/ and the URL's host)")
	fs.Func("ignore-cert", "accept a server certificate despite these failure `classes`, each named: expired, cn, untrusted-root, usage, revocation (comma-separated; there is no 'all')", func(v string) error {
		f, err := security.ParseCertFailures(v)
		if err != nil {
			return err
		}
		s.ignoreCert |= f
		return nil
	})
	fs.Func("tls-min", "the lowest TLS `version` accepted: 1.2 or 1.3 (default 1.2)", func(v string) error {
		switch v {
		case "1.2":
			s.tlsMin = 0x0303
		case "1.3":
			s.tlsMin = 0x0304
		default:
			return fmt.Errorf("want 1.2 or 1.3")
		}
		return nil
	})
	fs.StringVar(&s.wss.user, "wss-user", "", "add a WS-Security UsernameToken for `name`; the password comes from -wss-password-file, -wss-password-env, $"+envWSSPassword+" or a prompt")
	fs.StringVar(&s.wss.passFile, "wss-password-file", "", "read the UsernameToken password from the first line of `FILE`")
	fs.StringVar(&s.wss.passEnv, "wss-password-env", "", "read the UsernameToken password from the environment `variable`")
	fs.BoolVar(&s.wss.digest, "wss-digest", false, "send the UsernameToken password as PasswordDigest (SHA-1 of nonce, created and password) instead of PasswordText")
	fs.Func("wss-timestamp", "add a wsu:Timestamp valid for `duration` (such as 5m; default 5m when signing)", func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a positive duration such as 5m")
		}
		s.wss.timestamp, s.wss.timestampSet = d, true
		return nil
	})
	fs.Func("wss-sign", "sign Body and Timestamp with the X.509 certificate and key in `'CERT.pem KEY.pem'` (two arguments, or one PEM file holding both)", func(v string) error {
		cert, key, _ := strings.Cut(v, "\x00")
		s.wss.signCert, s.wss.signKey = cert, key
		if key == "" {
			s.wss.signKey = cert
		}
		return nil
	})
	fs.BoolVar(&s.wss.verifyReply, "wss-verify-reply", false, "require the reply to be signed by a certificate that chains to -cacert (which it needs)")
}

// joinTwoArgFlags turns "-wss-sign CERT KEY" into one argument, so that
// the flag package sees a single value: the key file is the argument after
// the certificate unless that is a flag, the URL, or the only positional
// argument left.
func joinTwoArgFlags(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if (a == "-wss-sign" || a == "--wss-sign") && i+2 < len(args) &&
			isPEMName(args[i+1]) && isPEMName(args[i+2]) {
			out = append(out, a, args[i+1]+"\x00"+args[i+2])
			i += 2
			continue
		}
		out = append(out, a)
	}
	return out
}

// isPEMName reports whether an argument looks like a certificate or key
// file rather than a flag or a URL.
func isPEMName(s string) bool {
	return s != "" && !strings.HasPrefix(s, "-") && !strings.Contains(s, "://")
}

// checkSecurity validates the combination of security flags, and fills in
// the defaults: -user alone means -auth auto.
func (o *options) checkSecurity(set map[string]bool) error {
	s := &o.sec
	for _, t := range []struct {
		a      *authFlags
		prefix string
	}{{&s.service, ""}, {&s.proxy, "proxy-"}} {
		a := t.a
		if a.user == "" {
			if a.passFile != "" || a.passEnv != "" {
				return usageErrorf("-%spassword-file and -%spassword-env need -%suser", t.prefix, t.prefix, t.prefix)
			}
			if a.schemes != 0 && a.schemes&^security.Anonymous != security.Negotiate && !(t.prefix == "" && s.kerberosTickets()) {
				return usageErrorf("-%sauth needs -%suser (only negotiate with -keytab or -ccache can do without)", t.prefix, t.prefix)
			}
		}
		if a.passFile != "" && a.passEnv != "" {
			return usageErrorf("give -%spassword-file or -%spassword-env, not both", t.prefix, t.prefix)
		}
		if a.user != "" && a.schemes == 0 {
			a.schemes = security.AnyScheme
		}
	}
	if s.proxy.schemes != 0 && o.proxy == "none" {
		return usageErrorf("-proxy-auth and -proxy-user need a proxy: -proxy URL or env")
	}
	if (s.keytab != "" || s.ccache != "" || s.spn != "" || s.krb5Conf != "") &&
		s.service.schemes&security.Negotiate == 0 && s.proxy.schemes&security.Negotiate == 0 {
		return usageErrorf("-keytab, -ccache, -spn and -krb5-conf are for negotiate: add -auth negotiate (or auto)")
	}
	if s.keytab != "" && s.ccache != "" {
		return usageErrorf("give -keytab or -ccache, not both")
	}
	w := &s.wss
	if w.user == "" && (w.passFile != "" || w.passEnv != "" || w.digest) {
		return usageErrorf("-wss-password-file, -wss-password-env and -wss-digest need -wss-user")
	}
	if w.passFile != "" && w.passEnv != "" {
		return usageErrorf("give -wss-password-file or -wss-password-env, not both")
	}
	if w.signCert != "" && w.timestamp == 0 {
		w.timestamp = 5 * time.Minute
	}
	if o.envelope && (w.user != "" || w.signCert != "" || w.timestampSet) {
		return usageErrorf("-wss-* flags do not apply with -envelope: the envelope carries its own headers")
	}
	return nil
}

// kerberosTickets reports whether Kerberos can log in without a password.
func (s *securityFlags) kerberosTickets() bool { return s.keytab != "" || s.ccache != "" }

// resolvePasswords reads every password the flags ask for, from a file, the
// environment or the terminal. It runs after the flags are checked and
// before anything is sent.
func (o *options) resolvePasswords() error {
	s := &o.sec
	var err error
	if s.service.user != "" {
		s.service.password, s.service.hasPassword, err = passwordSource{
			what: "service", user: s.service.user, file: s.service.passFile, env: s.service.passEnv,
			defaultEnv: envPassword, optional: s.kerberosTickets() && s.service.schemes&^security.Anonymous == security.Negotiate,
		}.resolve()
		if err != nil {
			return err
		}
	}
	if s.proxy.user != "" {
		s.proxy.password, s.proxy.hasPassword, err = passwordSource{
			what: "proxy", user: s.proxy.user, file: s.proxy.passFile, env: s.proxy.passEnv,
			defaultEnv: envProxyPassword,
		}.resolve()
		if err != nil {
			return err
		}
	}
	if s.wss.user != "" {
		s.wss.password, s.wss.hasPassword, err = passwordSource{
			what: "WS-Security", user: s.wss.user, file: s.wss.passFile, env: s.wss.passEnv,
			defaultEnv: envWSSPassword,
		}.resolve()
		if err != nil {
			return err
		}
	}
	return nil
}
