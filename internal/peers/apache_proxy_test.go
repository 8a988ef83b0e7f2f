package peers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestApacheProxyDigest(t *testing.T) {
	be := newBackend(t, false)
	tlsBe := newBackend(t, true)
	p := peers.StartApacheProxy(t)

	r := curl(t, nil, "-x", p.URL, be.URL+"/a")
	r.expect(t, "no credentials", http.StatusProxyAuthRequired, "")
	ch := r.headers("Proxy-Authenticate", false)
	if len(ch) != 1 || !strings.HasPrefix(ch[0], "Digest ") || !strings.Contains(ch[0], "algorithm=MD5,") || !strings.Contains(ch[0], `qop="auth"`) {
		t.Errorf("challenge %q, want Digest with algorithm=MD5 and qop=\"auth\"", ch)
	}
	curl(t, nil, "-x", p.URL, "--proxy-digest", "-U", userPass, be.URL+"/a").expect(t, "digest", http.StatusOK, "/a")
	curl(t, nil, "-x", p.URL, "--proxy-digest", "-U", userPass, "-k", tlsBe.URL+"/c").expect(t, "digest CONNECT", http.StatusOK, "/c")
	curl(t, nil, "-x", p.URL, "--proxy-digest", "-U", peers.User+":"+peers.WrongPassword, be.URL+"/a").
		expect(t, "digest, wrong password", http.StatusProxyAuthRequired, "")
	if log := p.AccessLog(); !strings.Contains(log, `"CONNECT 127.0.0.1:`+port(t, tlsBe.URL)+` HTTP/1.1" 200 user=`+peers.User) {
		t.Errorf("access log lacks the authenticated CONNECT:\n%s", log)
	}
	if auths, _ := be.seen(); len(auths) != 0 {
		t.Errorf("the backend saw Authorization %q", auths)
	}
}
