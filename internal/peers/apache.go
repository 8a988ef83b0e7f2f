package peers

import (
	"crypto/md5"
	"crypto/sha1"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

//go:embed apache/httpd.conf.tmpl
var apacheConfTmpl string

// apacheBin is Debian's apache2 binary, run without apache2ctl.
const apacheBin = "/usr/sbin/apache2"

// apacheModules are modules StartApache loads, from Debian's packages.
var apacheModules = []string{
	"/usr/lib/apache2/modules/mod_auth_digest.so",
	"/usr/lib/apache2/modules/mod_auth_gssapi.so", // libapache2-mod-auth-gssapi
	"/usr/lib/apache2/modules/mod_proxy_http.so",
	"/usr/lib/apache2/modules/mod_ssl.so",
}

// gssNTLMSSP is gss-ntlmssp's GSSAPI mechanism, which mod_auth_gssapi
// uses for /ntlm/.
const gssNTLMSSP = "/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so"

// ApacheOptions configures StartApache.
type ApacheOptions struct {
	// Backend is the URL every location proxies to, usually a wsgo
	// service host on loopback: /basic/x on apache is Backend + "x".
	Backend string
	// KDC, when set, adds /negotiate/ with the KDC's service keytab.
	KDC *KDC
	// TLSCert and TLSKey, PEM files, add a TLS virtual host (TLSURL)
	// serving the same locations. The certificate should be valid for
	// localhost.
	TLSCert, TLSKey string
	// ClientCA, a PEM file of CA certificates, adds a mutual-TLS virtual
	// host (MTLSURL) serving /mtls/: SSLVerifyClient require against these
	// CAs for the whole host, so the client certificate is asked for in the
	// first handshake (Go's crypto/tls has neither TLS 1.2 renegotiation
	// for servers' requests by default nor TLS 1.3 post-handshake
	// authentication, which a per-location requirement would need).
	ClientCA string
}

// Apache is a private apache2 2.4 instance on 127.0.0.1 proxying to the
// test's backend, stopped when the test ends. Its locations:
//
//	/open/         no authentication
//	/basic/        AuthType Basic (mod_auth_basic), User/Password
//	/digest/       AuthType Digest (mod_auth_digest): algorithm=MD5, qop="auth"
//	               (all apache 2.4 implements: no MD5-sess, SHA-256 or
//	               auth-int; see StartLighttpd)
//	/ntlm/         mod_auth_gssapi + gss-ntlmssp (GssapiAllowedMech
//	               ntlmssp): Domain\User (or User with no domain) and
//	               Password, NTLMv2
//	/negotiate/    mod_auth_gssapi with the KDC's keytab (only with
//	               ApacheOptions.KDC, GssapiAllowedMech krb5): Kerberos
//	               through SPNEGO
//	/mtls/         only on MTLSURL (with ApacheOptions.ClientCA)
//
// Each location answers what the backend answers once the client is
// authenticated; anything else on the server is 403. The backend gets
// X-Remote-User (the user name; DOMAIN\user for NTLM, user@REALM for
// Negotiate) and never the client's Authorization header. KeepAlive is on.
//
// What mod_auth_gssapi 1.6.4 and gss-ntlmssp do on the wire, for /ntlm/
// and /negotiate/ alike: the 401 carries two challenges,
// "WWW-Authenticate: Negotiate" and "WWW-Authenticate: NTLM";
// authentication is bound to the connection (GssapiConnectionBound), so
// later requests on an authenticated connection pass without any
// Authorization header, and a handshake must stay on one connection.
// gss-ntlmssp rejects curl 7.88's 32-byte NEGOTIATE without the Version
// field ("Invalid token was supplied") and takes the 40-byte form; its
// CHALLENGE (60 bytes, flags 0xa20a8201) names the host as TargetName and
// carries no TargetInfo at all. The domain must match Domain exactly (case
// included) or be empty.
type Apache struct {
	// URL is the plain HTTP base URL, http://localhost:PORT (host name
	// localhost: the SPN of /negotiate/ is HTTP/localhost; apache binds
	// 127.0.0.1 only).
	URL string
	// TLSURL is the TLS virtual host's base URL, https://localhost:PORT,
	// or "" without ApacheOptions.TLSCert.
	TLSURL string
	// MTLSURL is the mutual-TLS virtual host's base URL,
	// https://localhost:PORT, serving only /mtls/ to clients with a
	// certificate from ApacheOptions.ClientCA; "" without ClientCA.
	MTLSURL string

	dir string
	run *running
}

// StartApache starts a private apache2 in the foreground on free ports,
// configured from opts; it is stopped when the test ends. When apache2 or
// one of its modules is not installed, or it does not come up, the test is
// skipped, or fails if Required.
func StartApache(t testing.TB, opts ApacheOptions) *Apache {
	t.Helper()
	needBinary(t, "apache2 (apache2, libapache2-mod-auth-gssapi, gss-ntlmssp)",
		append([]string{apacheBin, gssNTLMSSP}, apacheModules...)...)
	if opts.Backend == "" {
		t.Fatalf("peers: StartApache needs ApacheOptions.Backend")
	}
	if (opts.TLSCert == "") != (opts.TLSKey == "") || (opts.ClientCA != "" && opts.TLSCert == "") {
		t.Fatalf("peers: StartApache needs TLSCert and TLSKey together, and both for ClientCA")
	}
	const owner = "www-data"
	dir := peerDir(t, owner)
	a := &Apache{dir: dir}
	writeFile(t, dir, "htpasswd", owner, []byte(htpasswdLine(User, Password)))
	writeFile(t, dir, "htdigest", owner, []byte(htdigestLine(User, Realm, Password)))
	ntlmUsers := writeFile(t, dir, "ntlm_users", owner, []byte(NTLMUserFile()))
	env := []string{
		"NTLM_USER_FILE=" + ntlmUsers,
		"KRB5RCACHEDIR=" + dir,
		"GSS_USE_PROXY=no",
		"LANG=C",
	}
	keytab := ""
	if opts.KDC != nil {
		keytab = opts.KDC.ServiceKeytab
		env = append(env, "KRB5_CONFIG="+opts.KDC.ConfigPath)
	}
	ports := 1
	if opts.TLSCert != "" {
		ports++
	}
	if opts.ClientCA != "" {
		ports++
	}
	a.run = startDaemon(t, daemon{
		name:  "apache2",
		ports: ports,
		dir:   dir,
		env:   env,
		logs:  []string{"error.log", "access.log"},
		prepare: func(ports []int) ([]string, error) {
			data := map[string]any{
				"Dir":      dir,
				"Root":     os.Geteuid() == 0,
				"LogLevel": "warn auth_gssapi:debug auth_digest:info",
				"Port":     ports[0],
				"TLS":      opts.TLSCert != "",
				"TLSPort":  0,
				"MTLSPort": 0,
				"TLSCert":  opts.TLSCert,
				"TLSKey":   opts.TLSKey,
				"ClientCA": opts.ClientCA,
				"Backend":  strings.TrimSuffix(opts.Backend, "/") + "/",
				"Realm":    Realm,
				"Keytab":   keytab,
			}
			a.URL = "http://" + Host + ":" + strconv.Itoa(ports[0])
			if opts.TLSCert != "" {
				data["TLSPort"] = ports[1]
				a.TLSURL = "https://" + Host + ":" + strconv.Itoa(ports[1])
			}
			if opts.ClientCA != "" {
				data["MTLSPort"] = ports[2]
				a.MTLSURL = "https://" + Host + ":" + strconv.Itoa(ports[2])
			}
			conf, err := render("httpd.conf", apacheConfTmpl, data)
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, "httpd.conf")
			if err := os.WriteFile(path, conf, 0o644); err != nil {
				return nil, err
			}
			return []string{apacheBin, "-d", dir, "-f", path, "-DFOREGROUND"}, nil
		},
	})
	return a
}

// ErrorLog returns apache's error log so far (mod_auth_gssapi logs each
// GSSAPI step at debug level, mod_auth_digest its rejections).
func (a *Apache) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(a.dir, "error.log")) // none yet reads as ""
	return string(b)
}

// AccessLog returns apache's access log so far, one line per request:
// client, request line, status, authenticated user and the Authorization
// header received.
func (a *Apache) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(a.dir, "access.log")) // none yet reads as ""
	return string(b)
}

// Stop stops apache before the test ends (it is stopped at cleanup anyway).
func (a *Apache) Stop() {
	a.run.stop()
}

// htpasswdLine is an htpasswd entry for user with password in apache's
// {SHA} form.
func htpasswdLine(user, password string) string {
	sum := sha1.Sum([]byte(password))
	return user + ":{SHA}" + base64.StdEncoding.EncodeToString(sum[:]) + "\n"
}

// htdigestLine is an htdigest entry: user:realm:MD5(user:realm:password).
func htdigestLine(user, realm, password string) string {
	sum := md5.Sum([]byte(user + ":" + realm + ":" + password))
	return user + ":" + realm + ":" + hex.EncodeToString(sum[:]) + "\n"
}

// NTLMUserFile returns the contents of the gss-ntlmssp user file
// (NTLM_USER_FILE, lines DOMAIN:user:password) apache's /ntlm/ uses: User
// and Password in Domain.
func NTLMUserFile() string {
	return Domain + ":" + User + ":" + Password + "\n"
}
