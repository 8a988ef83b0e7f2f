package peers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestSquidProxyAuth(t *testing.T) {
	be := newBackend(t, false)
	tlsBe := newBackend(t, true)
	for _, tc := range []struct {
		scheme    string
		curlFlag  string
		challenge string
		checksPwd bool
	}{
		{"basic", "--proxy-basic", `Basic realm="` + peers.Realm + `"`, true},
		{"digest", "--proxy-digest", `Digest realm="` + peers.Realm + `"`, true},
		{"ntlm", "--proxy-ntlm", "NTLM", false},
	} {
		t.Run(tc.scheme, func(t *testing.T) {
			p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{tc.scheme}})
			r := curl(t, nil, "-x", p.URL, be.URL+"/s")
			r.expect(t, "no credentials", http.StatusProxyAuthRequired, "")
			ch := r.headers("Proxy-Authenticate", false)
			if len(ch) != 1 || !strings.HasPrefix(ch[0], tc.challenge) {
				t.Errorf("challenge %q, want one starting %q", ch, tc.challenge)
			}
			r = curl(t, nil, "-x", p.URL, tc.curlFlag, "-U", userPass, be.URL+"/s")
			r.expect(t, "curl "+tc.curlFlag, http.StatusOK, "/s")
			// CONNECT to a TLS server on a random port, authenticated.
			r = curl(t, nil, "-x", p.URL, tc.curlFlag, "-U", userPass, "-k", tlsBe.URL+"/c")
			r.expect(t, "curl "+tc.curlFlag+" CONNECT", http.StatusOK, "/c")
			r = curl(t, nil, "-x", p.URL, tc.curlFlag, "-U", peers.User+":"+peers.WrongPassword, be.URL+"/s")
			if tc.checksPwd {
				r.expect(t, "wrong password", http.StatusProxyAuthRequired, "")
			} else {
				r.expect(t, "wrong password (ntlm_fake_auth takes any)", http.StatusOK, "/s")
			}
			// ntlm_fake_auth names the user oddly (w\\wsgow for curl's
			// NTLM without a domain); the others name User.
			log := p.AccessLog()
			if !strings.Contains(log, "TCP_TUNNEL/200 ") || (tc.checksPwd && !strings.Contains(log, " CONNECT 127.0.0.1:"+port(t, tlsBe.URL)+" "+peers.User+" ")) {
				t.Errorf("access log lacks the authenticated CONNECT:\n%s", log)
			}
		})
	}
}

func TestSquidNegotiateAndSchemeOrder(t *testing.T) {
	kdc := peers.StartKDC(t)
	be := newBackend(t, false)
	tlsBe := newBackend(t, true)
	p := peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"negotiate", "ntlm", "digest", "basic"}, KDC: kdc})

	r := curl(t, kdc.Env(""), "-x", p.URL, be.URL+"/n")
	r.expect(t, "no credentials", http.StatusProxyAuthRequired, "")
	var schemes []string
	for _, ch := range r.headers("Proxy-Authenticate", false) {
		name, _, _ := strings.Cut(ch, " ")
		schemes = append(schemes, name)
	}
	if want := []string{"Negotiate", "NTLM", "Digest", "Basic"}; !slices.Equal(schemes, want) {
		t.Errorf("squid offers %q, want %q (the configured order)", schemes, want)
	}

	ccache := kdc.Kinit(t)
	r = curl(t, kdc.Env(ccache), "-x", p.URL, "--proxy-negotiate", "-U", ":", be.URL+"/n")
	r.expect(t, "curl --proxy-negotiate", http.StatusOK, "/n")
	r = curl(t, kdc.Env(ccache), "-x", p.URL, "--proxy-negotiate", "-U", ":", "-k", tlsBe.URL+"/t")
	r.expect(t, "curl --proxy-negotiate CONNECT", http.StatusOK, "/t")
	r = curl(t, kdc.Env(t.TempDir()+"/none.ccache"), "-x", p.URL, "--proxy-negotiate", "-U", ":", be.URL+"/n")
	r.expect(t, "curl --proxy-negotiate without a ticket", http.StatusProxyAuthRequired, "")
	r = curl(t, kdc.Env(""), "-x", p.URL, "--proxy-basic", "-U", userPass, be.URL+"/b")
	r.expect(t, "curl --proxy-basic beside Negotiate", http.StatusOK, "/b")

	if log := p.AccessLog(); !strings.Contains(log, " "+kdc.Principal+" ") {
		t.Errorf("access log does not name %s:\n%s", kdc.Principal, log)
	}
}
