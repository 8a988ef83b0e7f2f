package peers

import (
	_ "embed"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var (
	//go:embed kdc/kdc.conf.tmpl
	kdcConfTmpl string
	//go:embed kdc/krb5.conf.tmpl
	krb5ConfTmpl string
)

// The MIT Kerberos programs StartKDC runs.
const (
	krb5kdcBin     = "/usr/sbin/krb5kdc"
	kdb5UtilBin    = "/usr/sbin/kdb5_util"
	kadminLocalBin = "/usr/sbin/kadmin.local"
	kinitBin       = "/usr/bin/kinit"
)

// KDC is a running MIT Kerberos KDC (krb5kdc) for realm KerberosRealm on
// 127.0.0.1, UDP and TCP on one port, with two principals: User@Realm
// (password Password, pre-authentication required as in Active Directory)
// and ServicePrincipal@Realm (random key, exported to ServiceKeytab). Keys
// are AES (aes256-cts-hmac-sha1-96 and aes128-cts-hmac-sha1-96), the
// enctypes an Active Directory domain controller uses.
type KDC struct {
	// Realm is the Kerberos realm, KerberosRealm.
	Realm string
	// Addr is the KDC's address, 127.0.0.1:PORT (UDP and TCP).
	Addr string
	// ConfigPath is the krb5.conf clients use (KRB5_CONFIG, or gokrb5's
	// config.Load): the KDC at Addr, rdns = false,
	// dns_canonicalize_hostname = false, udp_preference_limit = 1,
	// localhost in the realm.
	ConfigPath string
	// ServiceKeytab is the keytab of ServicePrincipal, readable by the
	// daemon users (www-data, proxy) of the web servers and proxies.
	ServiceKeytab string
	// Principal is the user's principal name, User@Realm.
	Principal string

	dir string
	env []string
	run *running
}

// StartKDC creates a fresh realm database in a temporary directory and
// starts krb5kdc in the foreground on a free port; it is stopped when the
// test ends. When MIT Kerberos is not installed or the KDC does not come
// up, the test is skipped, or fails if Required.
func StartKDC(t testing.TB) *KDC {
	t.Helper()
	needBinary(t, "the KDC (krb5-kdc, krb5-admin-server)", krb5kdcBin, kdb5UtilBin, kadminLocalBin)
	dir := peerDir(t, "")
	k := &KDC{
		Realm:         KerberosRealm,
		ConfigPath:    filepath.Join(dir, "krb5.conf"),
		ServiceKeytab: filepath.Join(dir, "http.keytab"),
		Principal:     User + "@" + KerberosRealm,
		dir:           dir,
	}
	k.env = []string{
		"KRB5_CONFIG=" + k.ConfigPath,
		"KRB5_KDC_PROFILE=" + filepath.Join(dir, "kdc.conf"),
		"KRB5CCNAME=FILE:" + filepath.Join(dir, "admin.ccache"),
	}
	created := false
	k.run = startDaemon(t, daemon{
		name:  "krb5kdc",
		ports: 1,
		udp:   true,
		dir:   dir,
		env:   k.env,
		logs:  []string{"kdc.log"},
		prepare: func(ports []int) ([]string, error) {
			data := map[string]any{"Realm": k.Realm, "Port": ports[0], "Dir": dir}
			for name, text := range map[string]string{"kdc.conf": kdcConfTmpl, "krb5.conf": krb5ConfTmpl} {
				conf, err := render(name, text, data)
				if err != nil {
					return nil, err
				}
				if err := os.WriteFile(filepath.Join(dir, name), conf, 0o644); err != nil {
					return nil, err
				}
			}
			k.Addr = "127.0.0.1:" + strconv.Itoa(ports[0])
			if !created {
				// The database does not depend on the port: create it
				// once, even when a taken port makes startDaemon retry.
				k.createRealm(t)
				created = true
			}
			return []string{krb5kdcBin, "-n", "-r", k.Realm}, nil
		},
	})
	// The web servers and proxies read the keytab after dropping to their
	// own users.
	if err := os.Chmod(k.ServiceKeytab, 0o644); err != nil {
		t.Fatalf("peers: chmod %s: %v", k.ServiceKeytab, err)
	}
	return k
}

// createRealm creates the realm's database and principals and exports the
// service keytab.
func (k *KDC) createRealm(t testing.TB) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(k.dir, "kadm5.acl"), []byte("*/admin@"+k.Realm+" *\n"), 0o644); err != nil {
		t.Fatalf("peers: write kadm5.acl: %v", err)
	}
	runTool(t, k.env, "", kdb5UtilBin, "-r", k.Realm, "create", "-s", "-P", "wsgo-master-key")
	k.kadmin(t,
		"addprinc +requires_preauth -pw "+Password+" "+k.Principal,
		"addprinc -randkey "+ServicePrincipal+"@"+k.Realm,
		"ktadd -k "+k.ServiceKeytab+" "+ServicePrincipal+"@"+k.Realm,
	)
}

// kadmin runs kadmin.local queries on the realm's database.
func (k *KDC) kadmin(t testing.TB, queries ...string) {
	t.Helper()
	out := runTool(t, k.env, strings.Join(queries, "\n")+"\n", kadminLocalBin, "-r", k.Realm)
	if strings.Contains(out, "kadmin.local: ") && (strings.Contains(out, "while ") || strings.Contains(out, "rror")) {
		t.Fatalf("peers: kadmin.local %q:\n%s", queries, out)
	}
}

// UserKeytab exports User's keys (without changing the password) to a new
// keytab file and returns its path: credentials for a client that logs in
// from a keytab.
func (k *KDC) UserKeytab(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "user.keytab")
	k.kadmin(t, "ktadd -k "+path+" -norandkey "+k.Principal)
	return path
}

// Kinit logs User in with Password through MIT kinit and returns the path
// of the new file credential cache (use it as KRB5CCNAME=FILE:path, or
// load it with gokrb5's credentials.LoadCCache).
func (k *KDC) Kinit(t testing.TB) string {
	t.Helper()
	needBinary(t, "kinit (krb5-user)", kinitBin)
	path := filepath.Join(t.TempDir(), "user.ccache")
	runTool(t, []string{"KRB5_CONFIG=" + k.ConfigPath}, Password+"\n", kinitBin, "-c", "FILE:"+path, k.Principal)
	return path
}

// Env returns the environment a Kerberos client program needs for this
// realm: KRB5_CONFIG, and KRB5CCNAME when ccache is not "".
func (k *KDC) Env(ccache string) []string {
	env := []string{"KRB5_CONFIG=" + k.ConfigPath}
	if ccache != "" {
		env = append(env, "KRB5CCNAME=FILE:"+ccache)
	}
	return env
}

// Log returns what the KDC has logged so far: one line per AS and TGS
// request, with the principals and enctypes.
func (k *KDC) Log() string {
	b, _ := os.ReadFile(filepath.Join(k.dir, "kdc.log")) // no log yet reads as ""
	return string(b)
}

// Stop stops the KDC before the test ends (it is stopped at cleanup
// anyway).
func (k *KDC) Stop() {
	k.run.stop()
}
