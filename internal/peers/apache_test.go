package peers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

const userPass = peers.User + ":" + peers.Password

func TestApacheBasicAndDigest(t *testing.T) {
	be := newBackend(t, false)
	a := peers.StartApache(t, peers.ApacheOptions{Backend: be.URL})

	curl(t, nil, a.URL+"/open/x").expect(t, "open", http.StatusOK, "/x")

	r := curl(t, nil, a.URL+"/basic/x")
	r.expect(t, "basic without credentials", http.StatusUnauthorized, "")
	if got := r.headers("WWW-Authenticate", false); len(got) != 1 || got[0] != `Basic realm="`+peers.Realm+`"` {
		t.Errorf("basic challenge %q", got)
	}
	curl(t, nil, "--basic", "-u", userPass, a.URL+"/basic/x").expect(t, "basic", http.StatusOK, "/x")
	curl(t, nil, "--basic", "-u", peers.User+":"+peers.WrongPassword, a.URL+"/basic/x").
		expect(t, "basic, wrong password", http.StatusUnauthorized, "")

	r = curl(t, nil, a.URL+"/digest/y")
	r.expect(t, "digest without credentials", http.StatusUnauthorized, "")
	ch := r.headers("WWW-Authenticate", false)
	if len(ch) != 1 || !strings.HasPrefix(ch[0], "Digest ") ||
		!strings.Contains(ch[0], `algorithm=MD5,`) || !strings.Contains(ch[0], `qop="auth"`) {
		t.Errorf("digest challenge %q, want Digest with algorithm=MD5 and qop=\"auth\"", ch)
	}
	curl(t, nil, "--digest", "-u", userPass, a.URL+"/digest/y").expect(t, "digest", http.StatusOK, "/y")
	curl(t, nil, "--digest", "-u", peers.User+":"+peers.WrongPassword, a.URL+"/digest/y").
		expect(t, "digest, wrong password", http.StatusUnauthorized, "")

	auths, users := be.seen()
	if len(auths) != 0 {
		t.Errorf("the backend saw Authorization headers %q; apache should keep them", auths)
	}
	if want := []string{peers.User, peers.User}; !slices.Equal(users, want) {
		t.Errorf("the backend saw X-Remote-User %q, want %q", users, want)
	}
}
