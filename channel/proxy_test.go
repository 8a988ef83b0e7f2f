package channel

import (
	"net/url"
	"testing"
)

func TestBypassList(t *testing.T) {
	b := compileBypass([]string{"<local>", "*.corp.example", ".lan", "10.0.0.0/8", "192.168.1.5", "api.example.com:8443", "[::1]"})
	cases := []struct {
		url  string
		want bool
	}{
		{"http://intranet/svc", true},             // <local>: no dot
		{"http://a.corp.example/svc", true},       // *.corp.example
		{"http://a.b.corp.example/svc", true},     // deeper
		{"http://corp.example/svc", true},         // the domain itself
		{"http://notcorp.example/svc", false},     // a suffix of the name, not of a label
		{"http://printer.lan/", true},             // .lan
		{"http://10.1.2.3:8080/", true},           // CIDR
		{"http://11.1.2.3/", false},               //
		{"http://192.168.1.5/", true},             // IP
		{"http://192.168.1.6/", false},            //
		{"https://api.example.com:8443/", true},   // host:port
		{"https://api.example.com/", false},       // other port (443)
		{"http://[::1]:9000/", true},              // IPv6 literal
		{"http://service.example.com/svc", false}, //
	}
	for _, c := range cases {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := b.match(u); got != c.want {
			t.Errorf("match(%s) = %v, want %v", c.url, got, c.want)
		}
	}
}

func TestParseProxyURL(t *testing.T) {
	for in, want := range map[string]string{
		"proxy:3128":              "http://proxy:3128",
		"http://proxy:3128":       "http://proxy:3128",
		"https://proxy.corp:8443": "https://proxy.corp:8443",
	} {
		u, err := parseProxyURL(in)
		if err != nil || u.String() != want {
			t.Errorf("parseProxyURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"", "socks5://p:1080", "http://"} {
		if _, err := parseProxyURL(bad); err == nil {
			t.Errorf("parseProxyURL(%q) succeeded", bad)
		}
	}
}
