package peers

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running third-party SOAP server of the calc contract on
// 127.0.0.1, stopped by the cleanup of the test that started it.
type Server struct {
	// Name says which peer this is ("node-soap", "Spyne") for messages.
	Name string
	// URL11 is the SOAP 1.1 endpoint, http://127.0.0.1:PORT/calc/soap11.
	URL11 string
	// URL12 is the SOAP 1.2 endpoint, http://127.0.0.1:PORT/calc/soap12.
	URL12 string

	out *syncBuffer
}

// Output returns what the peer has printed so far, stdout and stderr
// interleaved. node-soap logs every envelope it received and replied;
// Spyne logs one line per request and the traceback of every fault.
func (s *Server) Output() string {
	return s.out.String()
}

// startTimeout bounds how long a peer may take to listen on its port.
const startTimeout = 20 * time.Second

// stopTimeout bounds how long a peer may take to exit after SIGTERM before it
// is killed.
const stopTimeout = 5 * time.Second

// launch describes how to start one peer process.
type launch struct {
	name string
	// args returns the command line for a peer listening on port.
	args func(port int) []string
	env  []string // added to the test process's environment
	dir  string   // working directory
}

// process is one started peer.
type process struct {
	cmd  *exec.Cmd
	out  *syncBuffer   // stdout and stderr, interleaved
	done chan struct{} // closed once cmd.Wait returned
	err  error         // cmd.Wait's result, set before done is closed
}

// startServer starts l on a free port and returns the server with its
// endpoints, or ends the test through unavailable. A port taken between
// choosing and binding it is retried with another port.
func startServer(t testing.TB, l launch) *Server {
	t.Helper()
	const attempts = 3
	var lastErr error
	var lastOut string
	for range attempts {
		port, err := freePort()
		if err != nil {
			unavailable(t, "%s: %v", l.name, err)
		}
		p, err := spawn(l, port)
		if err != nil {
			unavailable(t, "%s did not start: %v", l.name, err)
		}
		err = p.waitListening(port, startTimeout)
		if err == nil {
			t.Cleanup(func() {
				p.stop()
				if t.Failed() {
					t.Logf("%s output (port %d):\n%s", l.name, port, p.out.String())
				}
			})
			base := "http://127.0.0.1:" + strconv.Itoa(port)
			return &Server{Name: l.name, URL11: base + Path11, URL12: base + Path12, out: p.out}
		}
		p.stop()
		lastErr, lastOut = err, p.out.String()
		if !addressInUse(lastOut) {
			break
		}
	}
	unavailable(t, "%s did not start: %v\noutput:\n%s", l.name, lastErr, lastOut)
	return nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("no free port on 127.0.0.1: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// addressInUse reports whether a peer's output says its port was taken.
func addressInUse(out string) bool {
	return strings.Contains(out, "EADDRINUSE") || strings.Contains(out, "Address already in use")
}

// spawn starts l for port in a process group of its own.
func spawn(l launch, port int) (*process, error) {
	args := l.args(port)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = l.dir
	cmd.Env = append(cmd.Environ(), l.env...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	// A grandchild still holding the output pipes must not block Wait.
	cmd.WaitDelay = stopTimeout
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// waitListening waits until the peer printed "listening PORT" and accepts a
// connection on port, or fails when it exits or the timeout passes.
func (p *process) waitListening(port int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ready := "listening " + strconv.Itoa(port)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return fmt.Errorf("exited before listening: %v", p.err)
		case <-ctx.Done():
			return fmt.Errorf("not listening on %s after %v", addr, timeout)
		case <-tick.C:
		}
		if !strings.Contains(p.out.String(), ready) {
			continue
		}
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
			return nil
		}
	}
}

// stop ends the peer's whole process group: SIGTERM, then SIGKILL if it is
// still there after stopTimeout, and waits for the process.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	signalGroup(p.cmd, false)
	select {
	case <-p.done:
		return
	case <-time.After(stopTimeout):
	}
	signalGroup(p.cmd, true)
	<-p.done
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a process's
// stdout and stderr copiers and reads by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends b.
func (s *syncBuffer) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(b)
}

// String returns everything written so far.
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
