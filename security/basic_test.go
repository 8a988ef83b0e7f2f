package security

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestBasic(t *testing.T) {
	sess, err := NewSession(Basic, Service, Credentials{Username: "J\u00e4s\u00f8n", Password: "p\u00e4ss:word"})
	if err != nil {
		t.Fatal(err)
	}
	if sess.Scheme() != Basic {
		t.Errorf("Scheme() = %v", sess.Scheme())
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("J\u00e4s\u00f8n:p\u00e4ss:word"))

	// Preemptive: the header before any challenge, then a challenge for
	// the same request is a rejection.
	req := &Request{Method: "POST", URI: "/svc"}
	got, err := sess.Authorize(req, nil)
	if err != nil || got != want {
		t.Fatalf("preemptive Authorize = %q, %v; want %q", got, err, want)
	}
	ch := &ParseChallenges([]string{`Basic realm="wsgo", charset="UTF-8"`})[0]
	_, err = sess.Authorize(req, ch)
	checkRejected(t, err, errors.EndpointAccessDenied, "J\u00e4s\u00f8n", "p\u00e4ss:word")
	if !strings.Contains(err.Error(), `"wsgo"`) {
		t.Errorf("rejection %q does not name the realm", err)
	}

	// Not preemptive: the first challenge is answered, the second rejects.
	req2 := &Request{Method: "POST", URI: "/svc"}
	if got, err := sess.Authorize(req2, ch); err != nil || got != want {
		t.Fatalf("answer = %q, %v", got, err)
	}
	_, err = sess.Authorize(req2, ch)
	checkRejected(t, err, errors.EndpointAccessDenied, "J\u00e4s\u00f8n", "p\u00e4ss:word")

	// Requests are told apart: a challenge for another request is answered.
	if _, err := sess.Authorize(&Request{Method: "POST", URI: "/svc"}, ch); err != nil {
		t.Errorf("challenge for a fresh request: %v", err)
	}
	if err := sess.Complete(req2, nil); err != nil {
		t.Error(err)
	}
	if s := fmt.Sprintf("%v %+v %#v", sess, sess, sess); strings.Contains(s, "word") {
		t.Errorf("printing the session shows the password: %s", s)
	}
}

func TestBasicProxyDomainAndErrors(t *testing.T) {
	sess, err := NewSession(Basic, Proxy, Credentials{Username: "bob", Domain: "CORP", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	req := &Request{Method: "CONNECT", URI: "svc:443"}
	got, _ := sess.Authorize(req, nil)
	if got != "Basic "+base64.StdEncoding.EncodeToString([]byte(`CORP\bob:pw`)) {
		t.Errorf("with Domain: %q", got)
	}
	ch := &Challenge{Scheme: Basic, Name: "Basic", Params: map[string]string{"realm": "squid"}}
	_, err = sess.Authorize(req, ch)
	checkRejected(t, err, errors.ProxyAccessDenied, `CORP\\bob`, "pw\"")

	_, err = sess.Authorize(req, &Challenge{Scheme: Digest, Name: "Digest"})
	if errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("Digest challenge to a Basic session: %v", err)
	}
	if _, err := sess.Authorize(nil, nil); errors.CodeOf(err) != errors.InvalidArgument {
		t.Errorf("nil request: %v", err)
	}
}
