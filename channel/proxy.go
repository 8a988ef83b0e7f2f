package channel

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/wsgo/wsgo/errors"
)

// parseProxyURL accepts "http://host:port", "https://host:port" or a bare
// "host:port" (taken as http).
func parseProxyURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.Errorf(errors.InvalidArgument, "custom proxy: empty proxy address")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.Errorf(errors.InvalidArgument, "custom proxy %q: %v", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.Errorf(errors.InvalidArgument,
			"custom proxy %q: want http://host:port or https://host:port", s)
	}
	return u, nil
}

// proxyResolver returns the function that names the proxy a request to a
// URL goes through (nil: straight to the host), or nil when the channel
// uses no proxy. ProxyAuto reads the environment as
// net/http.ProxyFromEnvironment does (NO_PROXY included); ProxyCustom
// applies the bypass list.
func (s *settings) proxyResolver() func(*url.URL) (*url.URL, error) {
	switch s.proxyMode {
	case ProxyNone:
		return nil
	case ProxyCustom:
		bypass := compileBypass(s.proxyBypass)
		proxy := s.proxyURL
		return func(u *url.URL) (*url.URL, error) {
			if bypass.match(u) {
				return nil, nil
			}
			return proxy, nil
		}
	}
	return func(u *url.URL) (*url.URL, error) {
		return http.ProxyFromEnvironment(&http.Request{URL: u})
	}
}

// proxyFunc returns the transport's Proxy function for the settings.
// tunnels says that the channel's own CONNECT dialer carries https
// requests: the transport then proxies only plain-http ones. stripUser
// removes a user name and password from the proxy URL, so that the
// transport does not add a Basic Proxy-Authorization of its own over the
// channel's proxy authentication.
func (s *settings) proxyFunc(tunnels, stripUser bool) func(*http.Request) (*url.URL, error) {
	resolve := s.proxyResolver()
	if resolve == nil {
		return nil
	}
	if !tunnels && !stripUser && s.proxyMode == ProxyAuto {
		return http.ProxyFromEnvironment
	}
	return func(r *http.Request) (*url.URL, error) {
		if tunnels && r.URL.Scheme == "https" {
			return nil, nil
		}
		u, err := resolve(r.URL)
		if err != nil || u == nil || !stripUser || u.User == nil {
			return u, err
		}
		bare := *u
		bare.User = nil
		return &bare, nil
	}
}

// httpsProxyInEnv reports whether the environment names a proxy for https
// requests (HTTPS_PROXY or https_proxy), as ProxyAuto reads it.
func httpsProxyInEnv() bool {
	return os.Getenv("HTTPS_PROXY") != "" || os.Getenv("https_proxy") != ""
}

// bypassList is a compiled WWSAPI/WinHTTP-style proxy bypass list.
type bypassList struct {
	local    bool // "<local>": host names without a dot
	hosts    []hostPort
	suffixes []hostPort // ".corp" matches a.corp and a.b.corp
	ips      []ipPort
	nets     []*net.IPNet
}

type hostPort struct{ host, port string }
type ipPort struct {
	ip   net.IP
	port string
}

func compileBypass(entries []string) bypassList {
	var b bypassList
	for _, e := range entries {
		for _, e := range strings.FieldsFunc(e, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			e = strings.ToLower(strings.TrimSpace(e))
			if e == "" {
				continue
			}
			if e == "<local>" {
				b.local = true
				continue
			}
			if _, n, err := net.ParseCIDR(e); err == nil {
				b.nets = append(b.nets, n)
				continue
			}
			host, port := e, ""
			if h, p, err := net.SplitHostPort(e); err == nil {
				host, port = h, p
			}
			host = strings.Trim(host, "[]")
			if ip := net.ParseIP(host); ip != nil {
				b.ips = append(b.ips, ipPort{ip, port})
				continue
			}
			if strings.HasPrefix(host, "*.") {
				host = host[1:]
			}
			if strings.HasPrefix(host, ".") {
				b.suffixes = append(b.suffixes, hostPort{host, port})
				continue
			}
			b.hosts = append(b.hosts, hostPort{host, port})
		}
	}
	return b
}

func (b *bypassList) match(u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	portOK := func(p string) bool { return p == "" || p == port }
	if b.local && !strings.Contains(host, ".") && !strings.Contains(host, ":") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		for _, x := range b.ips {
			if x.ip.Equal(ip) && portOK(x.port) {
				return true
			}
		}
		for _, n := range b.nets {
			if n.Contains(ip) {
				return true
			}
		}
		return false
	}
	for _, h := range b.hosts {
		if h.host == host && portOK(h.port) {
			return true
		}
	}
	for _, s := range b.suffixes {
		if (strings.HasSuffix(host, s.host) || host == s.host[1:]) && portOK(s.port) {
			return true
		}
	}
	return false
}
