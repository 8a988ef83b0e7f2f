//go:build !unix

package peers

import "os/exec"

// ownProcessGroup leaves cmd in the test's process group: without Unix
// process groups the peer itself is the unit that is stopped.
func ownProcessGroup(*exec.Cmd) {}

// signalGroup kills the peer process; there is no gentler portable signal.
func signalGroup(cmd *exec.Cmd, _ bool) {
	// The process may already have exited; then there is nothing to stop.
	_ = cmd.Process.Kill()
}
