//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package channel

import (
	"crypto/tls"
	"syscall"
)

// wireProbe peeks at an idle connection's socket.
type wireProbe struct {
	raw   syscall.RawConn // nil until first used; unset when the connection has no socket
	peek  func(fd uintptr) bool
	alive bool
	buf   [1]byte
}

// alive peeks at an idle connection without blocking: a connection the
// service has closed reads as end of file, one it wrote to unasked has
// bytes waiting; either is not given another request.
func (pc *wireConn) alive() bool {
	p := &pc.probe
	if tc, ok := pc.conn.(*tls.Conn); ok && !tlsIdle(tc) {
		return false
	}
	if p.raw == nil {
		conn := pc.conn
		if tc, ok := conn.(*tls.Conn); ok {
			conn = tc.NetConn()
		}
		sc, ok := conn.(syscall.Conn)
		if !ok {
			return true
		}
		raw, err := sc.SyscallConn()
		if err != nil {
			return false
		}
		p.raw = raw
		p.peek = func(fd uintptr) bool {
			_, _, err := syscall.Recvfrom(int(fd), p.buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
			p.alive = err == syscall.EAGAIN || err == syscall.EWOULDBLOCK
			return true
		}
	}
	p.alive = false
	err := p.raw.Read(p.peek)
	return err == nil && p.alive
}
