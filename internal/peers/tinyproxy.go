package peers

import (
	_ "embed"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed tinyproxy/tinyproxy.conf.tmpl
var tinyproxyConfTmpl string

// tinyproxyBin is Debian's tinyproxy.
const tinyproxyBin = "/usr/bin/tinyproxy"

// TinyproxyOptions configures StartTinyproxy.
type TinyproxyOptions struct {
	// BasicAuth demands Basic proxy authentication with User/Password;
	// else the proxy is open. The realm is tinyproxy's fixed "Tinyproxy"
	// (1.11.1 has no BasicAuthRealm).
	BasicAuth bool
}

// StartTinyproxy starts a private tinyproxy 1.11 in the foreground
// (tinyproxy -d) on a free port; it allows CONNECT to any port and is
// stopped when the test ends. tinyproxy answers in HTTP/1.0 (its own 407s
// and errors, and the "HTTP/1.0 200 Connection established" of a CONNECT)
// and closes the connection after each of its own answers, so an
// authenticated retry comes on a new connection. With BasicAuth, a request
// without Proxy-Authorization gets 407 with Proxy-Authenticate, but one
// with wrong credentials gets "HTTP/1.0 401 Unauthorized" with
// "WWW-Authenticate: Basic realm=\"Tinyproxy\"" — from the proxy, not the
// service (for CONNECT too). Proxy.AccessLog is tinyproxy's log at level
// Connect: a "Connect (file descriptor N): ..." line per client and a
// "Request (file descriptor N): METHOD URL HTTP/1.1" line per request.
//
// When tinyproxy is not installed or does not come up, the test is
// skipped, or fails if Required.
func StartTinyproxy(t testing.TB, opts TinyproxyOptions) *Proxy {
	t.Helper()
	needBinary(t, "tinyproxy", tinyproxyBin)
	const owner = "tinyproxy"
	dir := peerDir(t, owner)
	p := &Proxy{Name: "tinyproxy", accessLog: filepath.Join(dir, "tinyproxy.log")}
	p.run = startDaemon(t, daemon{
		name:  "tinyproxy",
		ports: 1,
		dir:   dir,
		logs:  []string{"tinyproxy.log"},
		prepare: func(ports []int) ([]string, error) {
			conf, err := render("tinyproxy.conf", tinyproxyConfTmpl, map[string]any{
				"Dir":       dir,
				"Root":      os.Geteuid() == 0,
				"Port":      ports[0],
				"BasicAuth": opts.BasicAuth,
				"User":      User,
				"Password":  Password,
			})
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, "tinyproxy.conf")
			if err := os.WriteFile(path, conf, 0o644); err != nil {
				return nil, err
			}
			p.URL = "http://" + Host + ":" + strconv.Itoa(ports[0])
			return []string{tinyproxyBin, "-d", "-c", path}, nil
		},
	})
	return p
}
