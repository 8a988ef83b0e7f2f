package peers

import (
	_ "embed"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed lighttpd/lighttpd.conf.tmpl
var lighttpdConfTmpl string

// lighttpdBin is Debian's lighttpd.
const lighttpdBin = "/usr/sbin/lighttpd"

// LighttpdOptions configures StartLighttpd.
type LighttpdOptions struct {
	// Backend is the http://IP:PORT URL every location proxies to: /x/y
	// on lighttpd is Backend + "/y".
	Backend string
}

// lighttpdLocation is one authenticated location of lighttpd.conf.
type lighttpdLocation struct {
	Path      string
	Method    string // "basic" or "digest"
	Algorithm string // lighttpd's auth.require "algorithm"; "" for basic
}

// The locations StartLighttpd serves, and what each one's 401 offers.
var lighttpdLocations = []lighttpdLocation{
	{"/basic/", "basic", ""},
	{"/digest-md5/", "digest", "MD5"},
	{"/digest-sha256/", "digest", "SHA-256"},
	{"/digest-multi/", "digest", "MD5|SHA-256"},
}

// Lighttpd is a private lighttpd 1.4 instance on 127.0.0.1 proxying to the
// test's backend with RFC 7616 Digest authentication, stopped when the test
// ends: the third-party server for Digest SHA-256, which apache 2.4 does not
// implement. Its locations, each User/Password in realm Realm with
// qop="auth":
//
//	/basic/          Basic
//	/digest-md5/     Digest algorithm=MD5
//	/digest-sha256/  Digest algorithm=SHA-256
//	/digest-multi/   two challenges, algorithm=SHA-256 then algorithm=MD5
//
// What lighttpd 1.4.69 does not do: qop=auth-int ("not supported"); the
// -sess algorithms (its configuration takes "MD5-sess" and "SHA-256-sess"
// but the challenge then says algorithm=MD5 or SHA-256, so no client is ever
// asked for -sess); SHA-512-256 it offers, but curl 7.88, the reference
// client, cannot answer it, so it is not served here.
//
// lighttpd forwards the client's Authorization header to the backend.
type Lighttpd struct {
	// URL is the base URL, http://localhost:PORT (lighttpd binds
	// 127.0.0.1 only).
	URL string

	dir string
	run *running
}

// StartLighttpd starts a private lighttpd in the foreground on a free port;
// it is stopped when the test ends. When lighttpd is not installed or does
// not come up, the test is skipped, or fails if Required.
func StartLighttpd(t testing.TB, opts LighttpdOptions) *Lighttpd {
	t.Helper()
	needBinary(t, "lighttpd", lighttpdBin, "/usr/lib/lighttpd/mod_auth.so", "/usr/lib/lighttpd/mod_proxy.so")
	u, err := url.Parse(opts.Backend)
	if err != nil || u.Scheme != "http" || u.Port() == "" {
		t.Fatalf("peers: StartLighttpd needs Backend as http://IP:PORT, not %q", opts.Backend)
	}
	host := u.Hostname()
	if host == "localhost" {
		host = "127.0.0.1"
	}
	if net.ParseIP(host) == nil {
		t.Fatalf("peers: StartLighttpd needs the Backend's host as an IP address, not %q", u.Hostname())
	}
	const owner = "www-data"
	dir := peerDir(t, owner)
	writeFile(t, dir, "users", owner, []byte(User+":"+Password+"\n"))
	l := &Lighttpd{dir: dir}
	l.run = startDaemon(t, daemon{
		name:  "lighttpd",
		ports: 1,
		dir:   dir,
		logs:  []string{"error.log", "access.log"},
		prepare: func(ports []int) ([]string, error) {
			conf, err := render("lighttpd.conf", lighttpdConfTmpl, map[string]any{
				"Dir":         dir,
				"Root":        os.Geteuid() == 0,
				"Port":        ports[0],
				"Realm":       Realm,
				"Locations":   lighttpdLocations,
				"BackendHost": host,
				"BackendPort": u.Port(),
			})
			if err != nil {
				return nil, err
			}
			path := filepath.Join(dir, "lighttpd.conf")
			if err := os.WriteFile(path, conf, 0o644); err != nil {
				return nil, err
			}
			l.URL = "http://" + Host + ":" + strconv.Itoa(ports[0])
			return []string{lighttpdBin, "-D", "-f", path}, nil
		},
	})
	return l
}

// AccessLog returns lighttpd's access log so far, one line per request:
// client, request line, status, user and the Authorization header.
func (l *Lighttpd) AccessLog() string {
	b, _ := os.ReadFile(filepath.Join(l.dir, "access.log")) // none yet reads as ""
	return string(b)
}

// ErrorLog returns lighttpd's error log so far (failed Digest checks are
// logged with the request's headers).
func (l *Lighttpd) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(l.dir, "error.log")) // none yet reads as ""
	return string(b)
}

// Stop stops lighttpd before the test ends (it is stopped at cleanup
// anyway).
func (l *Lighttpd) Stop() {
	l.run.stop()
}
