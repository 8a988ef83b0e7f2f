package peers_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wsgo/wsgo/internal/peers"
)

// TestSecurityPeersStoppedAtCleanup starts every security peer in a subtest
// and checks that none still listens once the subtest has ended, and that
// squid left no shared-memory segment behind.
func TestSecurityPeersStoppedAtCleanup(t *testing.T) {
	shmBefore, _ := filepath.Glob("/dev/shm/wsgo*.shm") // the pattern is well-formed
	var addrs []string
	t.Run("start", func(t *testing.T) {
		host := func(raw string) {
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			addrs = append(addrs, net.JoinHostPort("127.0.0.1", u.Port()))
		}
		kdc := peers.StartKDC(t)
		addrs = append(addrs, kdc.Addr)
		host(peers.StartApache(t, peers.ApacheOptions{Backend: "http://127.0.0.1:9", KDC: kdc}).URL)
		host(peers.StartApacheProxy(t).URL)
		host(peers.StartLighttpd(t, peers.LighttpdOptions{Backend: "http://127.0.0.1:9"}).URL)
		host(peers.StartSquid(t, peers.SquidOptions{Schemes: []string{"basic", "ntlm"}}).URL)
		host(peers.StartTinyproxy(t, peers.TinyproxyOptions{}).URL)
	})
	if len(addrs) != 6 {
		t.Skip("not every peer started")
	}
	for _, addr := range addrs {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			conn.Close()
			t.Errorf("%s still accepts connections after the test that started its peer ended", addr)
		}
	}
	shmAfter, _ := filepath.Glob("/dev/shm/wsgo*.shm") // the pattern is well-formed
	for _, f := range shmAfter {
		if !slices.Contains(shmBefore, f) {
			t.Errorf("squid left %s behind", f)
			os.Remove(f)
		}
	}
}
