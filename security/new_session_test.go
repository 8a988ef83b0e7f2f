package security

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

func TestNewSessionArguments(t *testing.T) {
	ok := Credentials{Username: "u", Password: "s3cr3t"}
	for _, tt := range []struct {
		name   string
		s      Scheme
		target Target
		cred   Credentials
		want   string // in the message
	}{
		{"two schemes", Basic | Digest, Service, ok, "exactly one scheme"},
		{"any", AnyScheme, Service, ok, "exactly one scheme"},
		{"none", 0, Service, ok, "unknown"},
		{"unknown bit", 0x100, Service, ok, "unknown"},
		{"anonymous", Anonymous, Service, ok, "anonymous"},
		{"bad target", Basic, 0, ok, "target"},
		{"basic no user", Basic, Service, Credentials{Password: "s3cr3t"}, "user name"},
		{"digest no user", Digest, Proxy, Credentials{Password: "s3cr3t"}, "user name"},
		{"ntlm no user", NTLM, Service, Credentials{Password: "s3cr3t"}, "user name"},
		{"basic colon", Basic, Service, Credentials{Username: "a:b", Password: "s3cr3t"}, "':'"},
		{"control in password", Digest, Service, Credentials{Username: "u", Password: "p\r\nX-Evil: 1"}, "control character"},
		{"control in user", Basic, Service, Credentials{Username: "u\x00", Password: "s3cr3t"}, "control character"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sess, err := NewSession(tt.s, tt.target, tt.cred)
			if sess != nil || errors.CodeOf(err) != errors.InvalidArgument {
				t.Fatalf("NewSession = %v, %v; want InvalidArgument", sess, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if tt.cred.Password != "" && strings.Contains(err.Error(), tt.cred.Password) {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestLegsForgetCollectedRequests checks that a kept session does not
// hold on to requests nobody completes.
func TestLegsForgetCollectedRequests(t *testing.T) {
	sess, err := NewSession(Basic, Service, Credentials{Username: "u", Password: "s3cr3t"})
	if err != nil {
		t.Fatal(err)
	}
	s := sess.(*basicSession)
	for range 100 {
		if _, err := s.Authorize(&Request{Method: "GET", URI: "/"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second) // watchdog only
	for s.sent.len() > 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if n := s.sent.len(); n != 0 {
		t.Errorf("%d abandoned requests still tracked after GC", n)
	}
}
