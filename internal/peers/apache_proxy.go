package peers

import (
	_ "embed"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed apache/proxy.conf.tmpl
var apacheProxyConfTmpl string

// StartApacheProxy starts a private apache2 2.4 as a forward proxy
// (mod_proxy, mod_proxy_connect) on a free port, demanding Digest proxy
// authentication with User/Password in realm Realm: "Proxy-Authenticate:
// Digest ... algorithm=MD5, qop="auth"" (mod_auth_digest implements
// nothing else). It allows CONNECT to any port and is stopped when the test
// ends. Proxy.AccessLog has one line per request: client, request line,
// status, user and the Proxy-Authorization header received.
//
// When apache2 is not installed or does not come up, the test is skipped,
// or fails if Required.
func StartApacheProxy(t testing.TB) *Proxy {
	t.Helper()
	needBinary(t, "apache2", apacheBin, "/usr/lib/apache2/modules/mod_proxy_connect.so")
	const owner = "www-data"
	dir := peerDir(t, owner)
	writeFile(t, dir, "htdigest", owner, []byte(htdigestLine(User, Realm, Password)))
	p := &Proxy{Name: "apache2 proxy", accessLog: filepath.Join(dir, "access.log")}
	p.run = startDaemon(t, daemon{
		name:  "apache2 proxy",
		ports: 1,
		dir:   dir,
		env:   []string{"LANG=C"},
		logs:  []string{"error.log", "access.log"},
		prepare: func(ports []int) ([]string, error) {
			conf, err := render("proxy.conf", apacheProxyConfTmpl, map[string]any{
				"Dir":   dir,
				"Root":  os.Geteuid() == 0,
				"Port":  ports[0],
				"Realm": Realm,
			})
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, "proxy.conf")
			if err := os.WriteFile(path, conf, 0o644); err != nil {
				return nil, err
			}
			p.URL = "http://" + Host + ":" + strconv.Itoa(ports[0])
			return []string{apacheBin, "-d", dir, "-f", path, "-DFOREGROUND"}, nil
		},
	})
	return p
}
