package peers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestLighttpdDigestAlgorithms(t *testing.T) {
	be := newBackend(t, false)
	l := peers.StartLighttpd(t, peers.LighttpdOptions{Backend: be.URL})

	r := curl(t, nil, "--basic", "-u", userPass, l.URL+"/basic/b")
	r.expect(t, "basic", http.StatusOK, "/b")
	curl(t, nil, "--basic", "-u", peers.User+":"+peers.WrongPassword, l.URL+"/basic/b").
		expect(t, "basic, wrong password", http.StatusUnauthorized, "")

	for _, tc := range []struct{ path, algorithm string }{
		{"/digest-md5/", "MD5"},
		{"/digest-sha256/", "SHA-256"},
	} {
		t.Run(tc.algorithm, func(t *testing.T) {
			r := curl(t, nil, l.URL+tc.path+"d")
			r.expect(t, "no credentials", http.StatusUnauthorized, "")
			ch := r.headers("WWW-Authenticate", false)
			if len(ch) != 1 || !strings.HasPrefix(ch[0], "Digest ") ||
				!strings.Contains(ch[0], "algorithm="+tc.algorithm+",") || !strings.Contains(ch[0], `qop="auth"`) {
				t.Errorf("challenge %q, want one Digest with algorithm=%s and qop=\"auth\"", ch, tc.algorithm)
			}
			r = curl(t, nil, "--digest", "-u", userPass, l.URL+tc.path+"d")
			r.expect(t, "curl --digest", http.StatusOK, "/d")
			if sent := r.headers("Authorization", true); len(sent) == 0 || !strings.Contains(sent[len(sent)-1], "algorithm="+tc.algorithm) {
				t.Errorf("curl's answer %q does not name algorithm=%s", sent, tc.algorithm)
			}
			curl(t, nil, "--digest", "-u", peers.User+":"+peers.WrongPassword, l.URL+tc.path+"d").
				expect(t, "curl --digest, wrong password", http.StatusUnauthorized, "")
		})
	}

	r = curl(t, nil, l.URL+"/digest-multi/m")
	ch := r.headers("WWW-Authenticate", false)
	if len(ch) != 2 || !strings.Contains(ch[0], "algorithm=SHA-256,") || !strings.Contains(ch[1], "algorithm=MD5,") {
		t.Errorf("/digest-multi/ challenges %q, want SHA-256 then MD5", ch)
	}
	curl(t, nil, "--digest", "-u", userPass, l.URL+"/digest-multi/m").expect(t, "curl --digest on /digest-multi/", http.StatusOK, "/m")
	// Unlike apache here, lighttpd passes the client's Authorization on.
	if auths, _ := be.seen(); len(auths) == 0 {
		t.Errorf("the backend saw no Authorization header; lighttpd forwards them")
	}
}
