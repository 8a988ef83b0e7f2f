package security_test

import (
	"fmt"
	"log"

	"github.com/wsgo/wsgo/security"
)

// A channel drives a Digest session like this: the first request goes
// without credentials, the 401's challenge is answered, and later requests
// answer at once from the same nonce with the next nonce count.
func ExampleNewSession() {
	sess, err := security.NewSession(security.Digest, security.Service,
		security.Credentials{Username: "Mufasa", Password: "Circle of Life"})
	if err != nil {
		log.Fatal(err)
	}
	req := &security.Request{Method: "POST", URI: "/svc", Host: "example.org", Body: []byte("<s:Envelope/>")}
	first, _ := sess.Authorize(req, nil)
	fmt.Printf("before any challenge: %q\n", first)

	// The server answered 401 with this WWW-Authenticate.
	chs := security.ParseChallenges([]string{
		`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
	})
	answer, err := sess.Authorize(req, security.SelectChallenge(chs, security.Digest))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(describe(answer))
	_ = sess.Complete(req, nil)

	next := &security.Request{Method: "POST", URI: "/svc", Host: "example.org", Body: []byte("<s:Envelope/>")}
	again, _ := sess.Authorize(next, nil)
	fmt.Println(describe(again))
	// Output:
	// before any challenge: ""
	// user Mufasa, algorithm SHA-256, qop auth, nc 00000001
	// user Mufasa, algorithm SHA-256, qop auth, nc 00000002
}

func describe(header string) string {
	p := security.ParseChallenges([]string{header})[0].Params
	return fmt.Sprintf("user %s, algorithm %s, qop %s, nc %s", p["username"], p["algorithm"], p["qop"], p["nc"])
}

// A command line's -ignore-cert list: each class is named on its own, and
// there is no way to ignore them all at once.
func ExampleParseCertFailures() {
	f, err := security.ParseCertFailures("expired,cn")
	fmt.Println(f, err == nil)
	_, err = security.ParseCertFailures("all")
	fmt.Println(err != nil)
	cfg, _ := (&security.TLS{IgnoreCertFailures: f}).ClientConfig("svc.example.com")
	fmt.Println(cfg.MinVersion == 0x0303, cfg.ServerName)
	// Output:
	// expired,cn true
	// true
	// true svc.example.com
}
