//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package channel

import "crypto/tls"

// wireProbe has nothing to hold where sockets cannot be peeked at.
type wireProbe struct{}

// alive cannot peek at the socket here: an idle connection is taken as
// alive (a service that closed it shows when the request is sent), unless
// TLS holds data the service sent unasked.
func (pc *wireConn) alive() bool {
	if tc, ok := pc.conn.(*tls.Conn); ok {
		return tlsIdle(tc)
	}
	return true
}
