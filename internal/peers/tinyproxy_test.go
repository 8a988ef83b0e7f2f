package peers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestTinyproxyBasicAndConnect(t *testing.T) {
	be := newBackend(t, false)
	tlsBe := newBackend(t, true)
	p := peers.StartTinyproxy(t, peers.TinyproxyOptions{BasicAuth: true})

	r := curl(t, nil, "-x", p.URL, be.URL+"/p")
	r.expect(t, "no credentials", http.StatusProxyAuthRequired, "")
	if ch := r.headers("Proxy-Authenticate", false); len(ch) != 1 || ch[0] != `Basic realm="Tinyproxy"` {
		t.Errorf("challenge %q", ch)
	}
	if !strings.Contains(r.trace, "< HTTP/1.0 407") {
		t.Errorf("tinyproxy's 407 is not HTTP/1.0:\n%s", r.trace)
	}
	curl(t, nil, "-x", p.URL, "--proxy-basic", "-U", userPass, be.URL+"/p").expect(t, "basic", http.StatusOK, "/p")
	// Wrong credentials get 401 with WWW-Authenticate, not 407: a client
	// must not take it for the service asking.
	r = curl(t, nil, "-x", p.URL, "--proxy-basic", "-U", peers.User+":"+peers.WrongPassword, be.URL+"/p")
	r.expect(t, "basic, wrong password", http.StatusUnauthorized, "")
	if ch := r.headers("WWW-Authenticate", false); len(ch) != 1 || ch[0] != `Basic realm="Tinyproxy"` {
		t.Errorf("wrong password: WWW-Authenticate %q", ch)
	}

	r = curl(t, nil, "-x", p.URL, "--proxy-basic", "-U", userPass, "-k", tlsBe.URL+"/c")
	r.expect(t, "CONNECT to a random port", http.StatusOK, "/c")
	if !strings.Contains(r.trace, "< HTTP/1.0 200 Connection established") {
		t.Errorf("tinyproxy's CONNECT answer is not HTTP/1.0 200 Connection established:\n%s", r.trace)
	}
	out, err := toolRun(nil, "", "curl", "-sS", "-x", p.URL, "--proxy-basic", "-U", peers.User+":"+peers.WrongPassword, "-k", tlsBe.URL+"/c")
	if err == nil || !strings.Contains(out, "CONNECT tunnel failed, response 401") {
		t.Errorf("CONNECT with the wrong password: %v %s, want the tunnel refused with 401", err, out)
	}
	if !strings.Contains(p.AccessLog(), "CONNECT 127.0.0.1:"+port(t, tlsBe.URL)) {
		t.Errorf("tinyproxy's log lacks the CONNECT:\n%s", p.AccessLog())
	}
}

func TestTinyproxyOpen(t *testing.T) {
	tlsBe := newBackend(t, true)
	p := peers.StartTinyproxy(t, peers.TinyproxyOptions{})
	curl(t, nil, "-x", p.URL, "-k", tlsBe.URL+"/o").expect(t, "open CONNECT", http.StatusOK, "/o")
}
