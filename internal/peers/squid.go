package peers

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

//go:embed squid/squid.conf.tmpl
var squidConfTmpl string

// squidBin is Debian's squid, and squidHelpers the auth helpers it runs.
const squidBin = "/usr/sbin/squid"

// htpasswdBin is apache2-utils' htpasswd.
const htpasswdBin = "/usr/bin/htpasswd"

var squidHelpers = map[string]string{
	"basic":     "/usr/lib/squid/basic_ncsa_auth",
	"digest":    "/usr/lib/squid/digest_file_auth",
	"ntlm":      "/usr/lib/squid/ntlm_fake_auth",
	"negotiate": "/usr/lib/squid/negotiate_kerberos_auth",
}

// SquidOptions configures StartSquid.
type SquidOptions struct {
	// Schemes are the proxy authentication schemes squid demands, in the
	// order its 407 offers them: "basic" (basic_ncsa_auth, User/Password,
	// realm Realm), "digest" (digest_file_auth, User/Password, realm
	// Realm, MD5 with qop="auth"; the challenge has no algorithm=), "ntlm"
	// (ntlm_fake_auth: a real NTLM handshake, but any user and password
	// pass) and "negotiate" (negotiate_kerberos_auth with the KDC's
	// service keytab, SPN HTTP/localhost). None: an open proxy.
	Schemes []string
	// KDC is required for "negotiate".
	KDC *KDC
}

// StartSquid starts a private squid 5 in the foreground (squid -N) on a
// free port, demanding proxy authentication with opts.Schemes; it caches
// nothing and allows CONNECT to any port. It is stopped when the test ends.
// Proxy.AccessLog has one line per request:
//
//	TIME ELAPSED CLIENT RESULT/STATUS BYTES METHOD URL USER HIER/PEER TYPE auth="Proxy-Authorization"
//
// When squid or a helper is not installed or squid does not come up, the
// test is skipped, or fails if Required.
func StartSquid(t testing.TB, opts SquidOptions) *Proxy {
	t.Helper()
	needBinary(t, "squid (squid, apache2-utils)", squidBin, htpasswdBin)
	seen := map[string]bool{}
	for _, s := range opts.Schemes {
		helper, ok := squidHelpers[s]
		if !ok || seen[s] {
			t.Fatalf("peers: StartSquid: scheme %q is unknown or repeated in %q; use basic, digest, ntlm, negotiate", s, opts.Schemes)
		}
		seen[s] = true
		needBinary(t, "squid's "+s+" helper", helper)
	}
	if seen["negotiate"] && opts.KDC == nil {
		t.Fatalf("peers: StartSquid: scheme negotiate needs SquidOptions.KDC")
	}
	const owner = "proxy"
	dir := peerDir(t, owner)
	// basic_ncsa_auth reads crypt and $apr1$ (htpasswd -m) hashes, not
	// apache's {SHA}.
	htpasswd := writeFile(t, dir, "htpasswd", owner, nil)
	runTool(t, nil, "", htpasswdBin, "-b", "-m", htpasswd, User, Password)
	writeFile(t, dir, "digest_users", owner, []byte(User+":"+Password+"\n"))
	env := []string{"LANG=C", "KRB5RCACHETYPE=none"}
	keytab := ""
	if opts.KDC != nil {
		keytab = opts.KDC.ServiceKeytab
		env = append(env, "KRB5_CONFIG="+opts.KDC.ConfigPath, "KRB5_KTNAME=FILE:"+keytab)
	}
	p := &Proxy{Name: "squid", accessLog: filepath.Join(dir, "access.log")}
	var service string
	p.run = startDaemon(t, daemon{
		name:  "squid",
		ports: 1,
		dir:   dir,
		env:   env,
		logs:  []string{"cache.log", "access.log"},
		// squid's orderly shutdown takes two seconds whatever
		// shutdown_lifetime says, and leaves nothing a kill would not.
		kill: true,
		afterStop: func() {
			// squid keys shared-memory segments by the service name
			// (/dev/shm/NAME-cf__*.shm) and does not always remove them.
			shm, _ := filepath.Glob(filepath.Join("/dev/shm", service+"-*.shm")) // the pattern is well-formed
			for _, f := range shm {
				os.Remove(f) // already gone is fine
			}
		},
		prepare: func(ports []int) ([]string, error) {
			conf, err := render("squid.conf", squidConfTmpl, map[string]any{
				"Dir":     dir,
				"Root":    os.Geteuid() == 0,
				"Port":    ports[0],
				"Realm":   Realm,
				"Schemes": slices.Clone(opts.Schemes),
				"Keytab":  keytab,
				"SPN":     ServicePrincipal,
			})
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, "squid.conf")
			if err := os.WriteFile(path, conf, 0o644); err != nil {
				return nil, err
			}
			p.URL = "http://" + Host + ":" + strconv.Itoa(ports[0])
			// -n names the instance: squid keys its shared-memory
			// segments and IPC sockets by it.
			service = fmt.Sprintf("wsgo%dp%d", os.Getpid(), ports[0])
			return []string{squidBin, "-N", "-f", path, "-n", service}, nil
		},
	})
	return p
}
