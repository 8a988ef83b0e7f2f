package peers

import (
	"net"
	"testing"
)

// TestPortInUseRecognised starts each peer on a port that is already taken:
// it must exit before listening, with output that startServer recognises as
// "address in use" and retries on another port.
func TestPortInUseRecognised(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	for name, launchFor := range map[string]func(testing.TB) launch{"node-soap": nodeLaunch, "Spyne": spyneLaunch} {
		t.Run(name, func(t *testing.T) {
			p, err := spawn(launchFor(t), port)
			if err != nil {
				t.Fatalf("spawn: %v", err)
			}
			defer p.stop()
			if err := p.waitListening(port, startTimeout); err == nil {
				t.Fatalf("%s reported listening on port %d, which was taken", name, port)
			}
			if out := p.out.String(); !addressInUse(out) {
				t.Errorf("%s's output on a taken port is not recognised as address in use:\n%s", name, out)
			}
		})
	}
}
