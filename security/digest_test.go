package security

import (
	"crypto/md5"
	"crypto/sha256"
	hexenc "encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/icholy/digest"
	"github.com/wsgo/wsgo/errors"
)

const (
	rfcNonce  = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
	rfcOpaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
	rfcCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
)

// newTestDigest returns a Digest session whose client nonces are the
// given ones in turn (the last repeating).
func newTestDigest(t *testing.T, target Target, cred Credentials, cnonces ...string) *digestSession {
	t.Helper()
	sess, err := NewSession(Digest, target, cred)
	if err != nil {
		t.Fatal(err)
	}
	s := sess.(*digestSession)
	if len(cnonces) > 0 {
		var i int
		s.newCnonce = func() (string, error) {
			c := cnonces[min(i, len(cnonces)-1)]
			i++
			return c, nil
		}
	}
	return s
}

func digestChallenge(t *testing.T, value string) *Challenge {
	t.Helper()
	chs := ParseChallenges([]string{value})
	if len(chs) != 1 || chs[0].Scheme != Digest {
		t.Fatalf("challenge %q parsed as %+v", value, chs)
	}
	return &chs[0]
}

// TestDigestRFC7616Vectors checks RFC 7616 §3.9.1 (MD5 and SHA-256, with
// the whole header in the RFC's field order) and §3.9.2 (SHA-512-256 with
// userhash and a non-ASCII user name). §3.9.2's printed user hash and
// response were made with a draft SHA-512/256 and do not follow from its
// inputs; the expected values are those of erratum 4897, which other
// implementations (icholy/digest among them) reproduce.
func TestDigestRFC7616Vectors(t *testing.T) {
	mufasa := Credentials{Username: "Mufasa", Password: "Circle of Life"}
	for _, tt := range []struct {
		algo, response string
	}{
		{"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
		{"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
	} {
		t.Run(tt.algo, func(t *testing.T) {
			s := newTestDigest(t, Service, mufasa, rfcCnonce)
			ch := digestChallenge(t, `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=`+tt.algo+`, nonce="`+rfcNonce+`", opaque="`+rfcOpaque+`"`)
			got, err := s.Authorize(&Request{Method: "GET", URI: "/dir/index.html"}, ch)
			if err != nil {
				t.Fatal(err)
			}
			want := `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=` + tt.algo +
				`, nonce="` + rfcNonce + `", nc=00000001, cnonce="` + rfcCnonce + `", qop=auth, response="` + tt.response +
				`", opaque="` + rfcOpaque + `"`
			if got != want {
				t.Errorf("Authorize =\n%s\nwant\n%s", got, want)
			}
		})
	}
	t.Run("SHA-512-256 userhash", func(t *testing.T) {
		s := newTestDigest(t, Service, Credentials{Username: "J\u00e4s\u00f8n Doe", Password: "Secret, or not?"},
			"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v")
		ch := digestChallenge(t, `Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true`)
		got, err := s.Authorize(&Request{Method: "GET", URI: "/doe.json"}, ch)
		if err != nil {
			t.Fatal(err)
		}
		want := `Digest username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b", realm="api@example.org", uri="/doe.json", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", nc=00000001, cnonce="NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v", qop=auth, response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", userhash=true`
		if got != want {
			t.Errorf("Authorize =\n%s\nwant\n%s", got, want)
		}
	})
}

// digestParams reads back the parameters of an Authorization value.
func digestParams(t *testing.T, header string) map[string]string {
	t.Helper()
	chs := ParseChallenges([]string{header})
	if len(chs) != 1 || chs[0].Scheme != Digest {
		t.Fatalf("header %q parsed as %+v", header, chs)
	}
	return chs[0].Params
}

// TestDigestAgainstIcholy checks auth-int, RFC 2069 and userhash answers
// against github.com/icholy/digest, an independent implementation.
func TestDigestAgainstIcholy(t *testing.T) {
	body := []byte("<s:Envelope/>")
	for _, tt := range []struct {
		name, challenge string
		body            []byte
	}{
		{"auth-int MD5", `Digest realm="r", nonce="n1", qop="auth-int", algorithm=MD5`, body},
		{"auth-int SHA-256", `Digest realm="r", nonce="n1", qop="auth-int", algorithm=SHA-256, opaque="o"`, body},
		{"auth-int empty body", `Digest realm="r", nonce="n1", qop="auth-int", algorithm=SHA-256`, []byte{}},
		{"RFC 2069", `Digest realm="r", nonce="n2"`, nil},
		{"userhash SHA-256", `Digest realm="r", nonce="n3", qop=auth, algorithm=SHA-256, userhash=true`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestDigest(t, Service, Credentials{Username: "u", Password: "p"}, "cn")
			req := &Request{Method: "POST", URI: "/svc?x=1", Body: tt.body}
			got, err := s.Authorize(req, digestChallenge(t, tt.challenge))
			if err != nil {
				t.Fatal(err)
			}
			chal, err := digest.ParseChallenge(tt.challenge)
			if err != nil {
				t.Fatal(err)
			}
			opts := digest.Options{Method: "POST", URI: "/svc?x=1", Username: "u", Password: "p", Cnonce: "cn", Count: 1,
				GetBody: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(tt.body))), nil }}
			ref, err := digest.Digest(chal, opts)
			if err != nil {
				t.Fatal(err)
			}
			p := digestParams(t, got)
			if p["response"] != ref.Response || p["username"] != ref.Username || p["qop"] != ref.QOP {
				t.Errorf("got %s\nicholy response=%s username=%s qop=%s", got, ref.Response, ref.Username, ref.QOP)
			}
		})
	}
}

// TestDigestSess checks the -sess session key: H(H(user:realm:pw):nonce:cnonce),
// computed once per nonce with the first client nonce, which later
// requests then repeat.
func TestDigestSess(t *testing.T) {
	h := func(parts ...string) string {
		sum := sha256.Sum256([]byte(strings.Join(parts, ":")))
		return hexenc.EncodeToString(sum[:])
	}
	s := newTestDigest(t, Service, Credentials{Username: "u", Password: "p"}, "c1", "c2")
	ch := digestChallenge(t, `Digest realm="r", nonce="n", qop=auth, algorithm=SHA-256-sess`)
	first, err := s.Authorize(&Request{Method: "GET", URI: "/a"}, ch)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Authorize(&Request{Method: "GET", URI: "/b"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ha1 := h(h("u", "r", "p"), "n", "c1")
	for i, tt := range []struct{ header, uri, nc string }{{first, "/a", "00000001"}, {second, "/b", "00000002"}} {
		p := digestParams(t, tt.header)
		want := h(ha1, "n", tt.nc, "c1", "auth", h("GET", tt.uri))
		if p["response"] != want || p["cnonce"] != "c1" || p["nc"] != tt.nc || p["algorithm"] != "SHA-256-sess" {
			t.Errorf("answer %d = %s, want response %s with cnonce c1 nc %s", i, tt.header, want, tt.nc)
		}
	}
}

func TestDigestQOPChoice(t *testing.T) {
	s := newTestDigest(t, Service, Credentials{Username: "u", Password: "p"})
	got, err := s.Authorize(&Request{Method: "POST", URI: "/"}, digestChallenge(t, `Digest realm=r, nonce=n, qop="auth-int, auth"`))
	if err != nil {
		t.Fatal(err)
	}
	if p := digestParams(t, got); p["qop"] != "auth" {
		t.Errorf("qop = %q with both offered and a streamed body, want auth", p["qop"])
	}

	s = newTestDigest(t, Proxy, Credentials{Username: "u", Password: "p"})
	_, err = s.Authorize(&Request{Method: "POST", URI: "/"}, digestChallenge(t, `Digest realm=r, nonce=n, qop="auth-int"`))
	if errors.CodeOf(err) != errors.InvalidArgument || !strings.Contains(err.Error(), "streamed") {
		t.Errorf("auth-int only with a streamed body: %v, want InvalidArgument about streamed bodies", err)
	}

	_, err = s.Authorize(&Request{Method: "POST", URI: "/"}, digestChallenge(t, `Digest realm=r, nonce=n, algorithm=SHA-1`))
	if errors.CodeOf(err) != errors.NotSupported {
		t.Errorf("algorithm SHA-1: %v, want NotSupported", err)
	}
	_, err = s.Authorize(&Request{Method: "POST", URI: "/"}, digestChallenge(t, `Digest realm=r, nonce=n, qop=auth-conf`))
	if errors.CodeOf(err) != errors.NotSupported {
		t.Errorf("qop auth-conf: %v, want NotSupported", err)
	}
	_, err = s.Authorize(&Request{Method: "POST", URI: "/"}, digestChallenge(t, `Digest realm=r`))
	if errors.CodeOf(err) != errors.InvalidFormat {
		t.Errorf("no nonce: %v, want InvalidFormat", err)
	}
}

func TestDigestConnectUsesAuthority(t *testing.T) {
	s := newTestDigest(t, Proxy, Credentials{Username: "u", Password: "p"}, "c")
	got, err := s.Authorize(&Request{Method: "CONNECT", URI: "svc.example:443"}, digestChallenge(t, `Digest realm=r, nonce=n, qop=auth-int`))
	if err != nil {
		t.Fatal(err)
	}
	p := digestParams(t, got)
	sum := md5.Sum(nil)
	h := func(parts ...string) string {
		s := md5.Sum([]byte(strings.Join(parts, ":")))
		return hexenc.EncodeToString(s[:])
	}
	want := h(h("u", "r", "p"), "n", "00000001", "c", "auth-int", h("CONNECT", "svc.example:443", hexenc.EncodeToString(sum[:])))
	if p["uri"] != "svc.example:443" || p["response"] != want {
		t.Errorf("CONNECT answer %s, want uri svc.example:443 and response %s", got, want)
	}
}

// TestDigestLegs walks the per-request rules: preemptive answers with
// counting, stale=true once, rejection on a second challenge.
func TestDigestLegs(t *testing.T) {
	cred := Credentials{Username: "alice", Password: "secret-pw"}
	s := newTestDigest(t, Proxy, cred)
	req1 := &Request{Method: "GET", URI: "/1"}
	if got, err := s.Authorize(req1, nil); got != "" || err != nil {
		t.Fatalf("before any challenge: %q, %v; want no header", got, err)
	}
	a, err := s.Authorize(req1, digestChallenge(t, `Digest realm="proxy", nonce="n1", qop=auth, opaque="op"`))
	if err != nil {
		t.Fatal(err)
	}
	if p := digestParams(t, a); p["nc"] != "00000001" || p["opaque"] != "op" || p["nonce"] != "n1" {
		t.Errorf("first answer %s", a)
	}
	if err := s.Complete(req1, nil); err != nil {
		t.Fatal(err)
	}

	// A later request answers at once from the nonce, counting on.
	req2 := &Request{Method: "GET", URI: "/2"}
	b, err := s.Authorize(req2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := digestParams(t, b); p["nc"] != "00000002" || p["nonce"] != "n1" || p["opaque"] != "op" {
		t.Errorf("preemptive answer %s", b)
	}
	// The server may have dropped the nonce: a fresh challenge for this
	// request is answered once.
	c, err := s.Authorize(req2, digestChallenge(t, `Digest realm="proxy", nonce="n2", qop=auth`))
	if err != nil {
		t.Fatalf("first challenge after a preemptive answer: %v", err)
	}
	if p := digestParams(t, c); p["nc"] != "00000001" || p["nonce"] != "n2" {
		t.Errorf("answer to the new nonce %s", c)
	}
	// stale=true: answered once more with the new nonce.
	d, err := s.Authorize(req2, digestChallenge(t, `Digest realm="proxy", nonce="n3", qop=auth, stale=true`))
	if err != nil {
		t.Fatalf("stale challenge: %v", err)
	}
	if p := digestParams(t, d); p["nonce"] != "n3" || p["nc"] != "00000001" {
		t.Errorf("answer to stale %s", d)
	}
	// A second stale for the same request: rejected.
	_, err = s.Authorize(req2, digestChallenge(t, `Digest realm="proxy", nonce="n4", qop=auth, stale=true`))
	checkRejected(t, err, errors.ProxyAccessDenied, "alice", "secret-pw")

	// A non-stale challenge after an answered challenge: rejected.
	req3 := &Request{Method: "GET", URI: "/3"}
	if _, err := s.Authorize(req3, digestChallenge(t, `Digest realm="proxy", nonce="n5", qop=auth`)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authorize(req3, digestChallenge(t, `Digest realm="proxy", nonce="n6", qop=auth`))
	checkRejected(t, err, errors.ProxyAccessDenied, "alice", "secret-pw")
	if str := fmt.Sprint(s); strings.Contains(str, "secret-pw") || !strings.Contains(str, "proxy") {
		t.Errorf("String() = %q", str)
	}
}

// checkRejected asserts a rejection error: its code, ErrRejected, the user
// named and the password not.
func checkRejected(t *testing.T, err error, code errors.Code, user, password string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error, want a rejection")
	}
	if errors.CodeOf(err) != code || !errors.Is(err, ErrRejected) {
		t.Errorf("error %v: code %v, want %v wrapping ErrRejected", err, errors.CodeOf(err), code)
	}
	if !strings.Contains(err.Error(), user) || strings.Contains(err.Error(), password) {
		t.Errorf("error %q should name user %q and not the password", err, user)
	}
}

// TestDigestConcurrent shares a session between goroutines: every nonce
// count is used once.
func TestDigestConcurrent(t *testing.T) {
	s := newTestDigest(t, Service, Credentials{Username: "u", Password: "p"})
	if _, err := s.Authorize(&Request{Method: "GET", URI: "/"}, digestChallenge(t, `Digest realm=r, nonce=n, qop=auth`)); err != nil {
		t.Fatal(err)
	}
	const n = 50
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := &Request{Method: "GET", URI: "/"}
			h, err := s.Authorize(req, nil)
			if err != nil {
				t.Error(err)
				return
			}
			nc := digestParams(t, h)["nc"]
			mu.Lock()
			defer mu.Unlock()
			if seen[nc] {
				t.Errorf("nc %s used twice", nc)
			}
			seen[nc] = true
			_ = s.Complete(req, nil)
		}()
	}
	wg.Wait()
	if len(seen) != n || !seen[digestNC(n+1)] {
		t.Errorf("%d distinct counts, want %d up to %s", len(seen), n, digestNC(n+1))
	}
}

func TestDigestUsernameForms(t *testing.T) {
	s := newTestDigest(t, Service, Credentials{Username: "J\u00e4s\u00f8n \"Doe\"", Password: "p"}, "c")
	got, err := s.Authorize(&Request{Method: "GET", URI: "/"}, digestChallenge(t, `Digest realm="r\"q", nonce=n, qop=auth, charset=UTF-8`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `username*=UTF-8''J%C3%A4s%C3%B8n%20%22Doe%22`) || !strings.Contains(got, `realm="r\"q"`) {
		t.Errorf("header %s: want username* ext-value and an escaped realm", got)
	}
}

func TestDigestLegsAreCollected(t *testing.T) {
	s := newTestDigest(t, Service, Credentials{Username: "u", Password: "p"})
	for range 100 {
		req := &Request{Method: "GET", URI: "/"}
		if _, err := s.Authorize(req, digestChallenge(t, `Digest realm=r, nonce=n`)); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(req, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.legs.len(); n != 0 {
		t.Errorf("%d requests still tracked after Complete", n)
	}
}

func BenchmarkDigestPreemptive(b *testing.B) {
	sess, _ := NewSession(Digest, Service, Credentials{Username: "Mufasa", Password: "Circle of Life"})
	ch := ParseChallenges([]string{`Digest realm="r", qop=auth, algorithm=SHA-256, nonce="n", opaque="o"`})[0]
	if _, err := sess.Authorize(&Request{Method: "POST", URI: "/svc"}, &ch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		req := &Request{Method: "POST", URI: "/svc"}
		if _, err := sess.Authorize(req, nil); err != nil {
			b.Fatal(err)
		}
		_ = sess.Complete(req, nil)
	}
}
