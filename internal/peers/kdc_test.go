package peers_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/internal/peers"
)

func TestKDCIssuesTickets(t *testing.T) {
	kdc := peers.StartKDC(t)
	ccache := kdc.Kinit(t)
	out := tool(t, kdc.Env(ccache), "", "klist", "-e")
	for _, want := range []string{"krbtgt/" + peers.KerberosRealm + "@" + peers.KerberosRealm, kdc.Principal, "aes256-cts-hmac-sha1-96"} {
		if !strings.Contains(out, want) {
			t.Errorf("klist after Kinit lacks %q:\n%s", want, out)
		}
	}

	keytab := kdc.UserKeytab(t)
	out = tool(t, kdc.Env(""), "", "klist", "-k", keytab)
	if !strings.Contains(out, kdc.Principal) {
		t.Errorf("UserKeytab has no key of %s:\n%s", kdc.Principal, out)
	}
	// The exported keys are the password's: a keytab login works and the
	// password still does.
	tool(t, kdc.Env(t.TempDir()+"/kt.ccache"), "", "kinit", "-k", "-t", keytab, kdc.Principal)
	kdc.Kinit(t)

	out = tool(t, kdc.Env(""), "", "klist", "-k", kdc.ServiceKeytab)
	if !strings.Contains(out, peers.ServicePrincipal+"@"+peers.KerberosRealm) {
		t.Errorf("ServiceKeytab has no key of %s:\n%s", peers.ServicePrincipal, out)
	}

	cmd := exec.Command("kinit", "-c", "FILE:"+t.TempDir()+"/bad.ccache", kdc.Principal)
	cmd.Env = append(cmd.Environ(), kdc.Env("")...)
	cmd.Stdin = strings.NewReader(peers.WrongPassword + "\n")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "Password incorrect") {
		t.Errorf("kinit with the wrong password: %v\n%s\nwant a 'Password incorrect' failure", err, out)
	}
	if log := kdc.Log(); !strings.Contains(log, "PREAUTH_FAILED") {
		t.Errorf("the KDC log does not record the failed pre-authentication:\n%s", log)
	}
}
