package peers

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"
	"time"
)

// daemon describes one security peer (apache2, squid, ...) run in the
// foreground as a child of the test.
type daemon struct {
	// name says which peer this is, for messages.
	name string
	// ports is how many free 127.0.0.1 TCP ports the peer needs.
	ports int
	// prepare renders the peer's configuration for the chosen ports and
	// returns its command line.
	prepare func(ports []int) ([]string, error)
	// env is added to the test process's environment.
	env []string
	// dir is the working directory and the place of the peer's logs.
	dir string
	// logs are files (relative to dir or absolute) whose contents are shown
	// when the peer does not start or the test fails.
	logs []string
	// udp also requires the first port free for UDP (a KDC).
	udp bool
	// kill stops the daemon with SIGKILL at once instead of SIGTERM, for a
	// daemon whose orderly shutdown only wastes the test's time.
	kill bool
	// afterStop, if set, removes what the daemon leaves outside dir once
	// it has stopped.
	afterStop func()
}

// running is a started daemon.
type running struct {
	d     daemon
	p     *process
	ports []int
	once  sync.Once
}

// stop ends the daemon's process group and waits for it; safe to call more
// than once.
func (r *running) stop() {
	r.once.Do(func() {
		if r.d.kill {
			select {
			case <-r.p.done:
			default:
				signalGroup(r.p.cmd, true)
				<-r.p.done
			}
		} else {
			r.p.stop()
		}
		if r.d.afterStop != nil {
			r.d.afterStop()
		}
	})
}

// output returns the daemon's stdout and stderr followed by each log file.
func (r *running) output() string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s stdout/stderr:\n%s", r.d.name, r.p.out.String())
	for _, f := range r.d.logs {
		path := f
		if !filepath.IsAbs(path) {
			path = filepath.Join(r.d.dir, f)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(&b, "\n--- %s: %v", path, err)
			continue
		}
		fmt.Fprintf(&b, "\n--- %s:\n%s", path, data)
	}
	return b.String()
}

// startDaemon starts d on free ports and waits until every port accepts a
// connection. The daemon is stopped at the test's cleanup and its output and
// logs are logged when the test failed. A port taken between choosing and
// binding it is retried with other ports. When the peer cannot start, the
// test ends through unavailable.
func startDaemon(t testing.TB, d daemon) *running {
	t.Helper()
	const attempts = 3
	var lastErr error
	var lastOut string
	for range attempts {
		ports, err := freePorts(d.ports, d.udp)
		if err != nil {
			unavailable(t, "%s: %v", d.name, err)
		}
		args, err := d.prepare(ports)
		if err != nil {
			t.Fatalf("peers: configure %s: %v", d.name, err)
		}
		p, err := spawn(launch{name: d.name, args: func(int) []string { return args }, env: d.env, dir: d.dir}, 0)
		if err != nil {
			unavailable(t, "%s did not start: %v", d.name, err)
		}
		r := &running{d: d, p: p, ports: ports}
		if err = r.waitPorts(startTimeout); err == nil {
			t.Cleanup(func() {
				r.stop()
				if t.Failed() {
					t.Logf("%s (ports %v):\n%s", d.name, ports, r.output())
				}
			})
			return r
		}
		r.stop()
		lastErr, lastOut = err, r.output()
		if !addressInUse(lastOut) {
			break
		}
	}
	unavailable(t, "%s did not start: %v\n%s", d.name, lastErr, lastOut)
	return nil
}

// waitPorts waits until each port accepts a TCP connection, or fails when
// the daemon exits or the timeout passes.
func (r *running) waitPorts(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for _, port := range r.ports {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for {
			select {
			case <-r.p.done:
				return fmt.Errorf("exited before listening on %s: %v", addr, r.p.err)
			case <-ctx.Done():
				return fmt.Errorf("not listening on %s after %v", addr, timeout)
			case <-tick.C:
			}
			var dl net.Dialer
			conn, err := dl.DialContext(ctx, "tcp", addr)
			if err == nil {
				conn.Close()
				break
			}
		}
	}
	return nil
}

// freePorts returns n distinct TCP ports on 127.0.0.1 that were free a
// moment ago; with udp, the first is also free for UDP.
func freePorts(n int, udp bool) ([]int, error) {
	var ports []int
	var held []net.Listener
	defer func() {
		for _, ln := range held {
			ln.Close()
		}
	}()
	for len(ports) < n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("no free port on 127.0.0.1: %v", err)
		}
		held = append(held, ln)
		port := ln.Addr().(*net.TCPAddr).Port
		if udp && len(ports) == 0 {
			pc, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
			if err != nil {
				continue // taken for UDP: try another
			}
			pc.Close()
		}
		ports = append(ports, port)
	}
	return ports, nil
}

// peerDir returns a new directory under the test's temporary directory that
// the daemon user owner (e.g. "www-data", "proxy"; "" for none) can read
// and write: owned by it when the test runs as root, and reachable through
// its parent. The files written into it with writeFile are readable by
// owner too.
func peerDir(t testing.TB, owner string) string {
	t.Helper()
	dir := t.TempDir()
	// t.TempDir's directories are 0700; a daemon that drops privileges
	// must be able to walk into its own.
	if err := os.Chmod(filepath.Dir(dir), 0o711); err != nil {
		t.Fatalf("peers: chmod %s: %v", filepath.Dir(dir), err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatalf("peers: chmod %s: %v", dir, err)
	}
	chownTo(t, owner, dir)
	return dir
}

// chownTo gives the paths to the user owner (and its group) when the test
// runs as root; otherwise, and for owner "", it leaves them as they are:
// a daemon started by an unprivileged user runs as that user.
func chownTo(t testing.TB, owner string, paths ...string) {
	t.Helper()
	if owner == "" || os.Geteuid() != 0 {
		return
	}
	u, err := user.Lookup(owner)
	if err != nil {
		unavailable(t, "peers: the daemon user %q does not exist (%v): %s", owner, err, installHint)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, p := range paths {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatalf("peers: chown %s to %s: %v", p, owner, err)
		}
	}
}

// writeFile writes data to dir/name, readable by the daemon user owner (see
// peerDir), and returns its path.
func writeFile(t testing.TB, dir, name, owner string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o640); err != nil {
		t.Fatalf("peers: write %s: %v", path, err)
	}
	chownTo(t, owner, path)
	return path
}

// render executes the template text with data.
func render(name, text string, data any) ([]byte, error) {
	tmpl, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %v", name, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("render %s: %v", name, err)
	}
	return b.Bytes(), nil
}

// needBinary ends the test through unavailable when a program the peer
// needs is not installed.
func needBinary(t testing.TB, peer string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			unavailable(t, "peers: %s needs %s, which is not installed: %s", peer, p, installHint)
		}
	}
}

// runTool runs a setup command (kdb5_util, htpasswd, ...) with env added to
// the environment and stdin as its input, and fails the test with its
// output when it fails.
func runTool(t testing.TB, env []string, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("peers: %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
