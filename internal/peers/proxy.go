package peers

import (
	"os"
)

// Proxy is a running forward proxy on 127.0.0.1 (squid, tinyproxy),
// stopped when the test that started it ends.
type Proxy struct {
	// Name says which proxy this is ("squid", "tinyproxy"), for messages.
	Name string
	// URL is the proxy's URL, http://localhost:PORT: the host name the
	// proxy's SPN (HTTP/localhost) needs for Negotiate; the proxy binds
	// 127.0.0.1 only.
	URL string

	accessLog string
	run       *running
}

// AccessLog returns the proxy's access or connection log so far, to
// assert what the proxy saw (see StartSquid and StartTinyproxy for the
// format).
func (p *Proxy) AccessLog() string {
	b, _ := os.ReadFile(p.accessLog) // none yet reads as ""
	return string(b)
}

// Stop stops the proxy before the test ends (it is stopped at cleanup
// anyway).
func (p *Proxy) Stop() {
	p.run.stop()
}
