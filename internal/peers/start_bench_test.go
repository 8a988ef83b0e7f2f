package peers_test

import (
	"testing"
	"time"

	"github.com/wsgo/wsgo/internal/peers"
)

// BenchmarkPeerStartStop measures how long each security peer takes to
// come up (ns/op: start until its ports accept connections) and to stop
// (stop-ms/op), for planning the test suite's time:
//
//	go test -run '^$' -bench PeerStartStop -benchtime 5x ./internal/peers/
func BenchmarkPeerStartStop(b *testing.B) {
	be := "http://127.0.0.1:9" // never contacted: nothing is requested
	kdc := peers.StartKDC(b)
	for _, p := range []struct {
		name  string
		start func(testing.TB) func()
	}{
		{"kdc", func(tb testing.TB) func() { return peers.StartKDC(tb).Stop }},
		{"apache", func(tb testing.TB) func() {
			return peers.StartApache(tb, peers.ApacheOptions{Backend: be, KDC: kdc}).Stop
		}},
		{"apache-proxy", func(tb testing.TB) func() { return peers.StartApacheProxy(tb).Stop }},
		{"lighttpd", func(tb testing.TB) func() { return peers.StartLighttpd(tb, peers.LighttpdOptions{Backend: be}).Stop }},
		{"squid-basic", func(tb testing.TB) func() {
			return peers.StartSquid(tb, peers.SquidOptions{Schemes: []string{"basic"}}).Stop
		}},
		{"squid-all", func(tb testing.TB) func() {
			return peers.StartSquid(tb, peers.SquidOptions{Schemes: []string{"negotiate", "ntlm", "digest", "basic"}, KDC: kdc}).Stop
		}},
		{"tinyproxy", func(tb testing.TB) func() {
			return peers.StartTinyproxy(tb, peers.TinyproxyOptions{BasicAuth: true}).Stop
		}},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			var stopping time.Duration
			for b.Loop() {
				stop := p.start(b)
				b.StopTimer()
				t0 := time.Now()
				stop()
				stopping += time.Since(t0)
				b.StartTimer()
			}
			b.ReportMetric(float64(stopping.Milliseconds())/float64(b.N), "stop-ms/op")
		})
	}
}
