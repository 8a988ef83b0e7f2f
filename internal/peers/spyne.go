package peers

import (
	_ "embed"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed spyne/server.py
var spyneServer []byte

// StartSpyne starts a Spyne service equivalent to calc.wsdl (same namespace,
// elements and fields) on a free 127.0.0.1 port, SOAP 1.1 at URL11 and
// SOAP 1.2 at URL12, and stops it when the test ends. Echo("fault") raises a
// Client.CalcError fault with a CalcFault{42, "Echo was asked to fail"}
// detail. Spyne has no WS-Addressing: it ignores the headers and answers
// without any. See spyne/server.py for what Spyne does on the wire.
//
// When Spyne is not installed or does not start, the test is skipped, or
// fails if Required.
func StartSpyne(t testing.TB) *Server {
	t.Helper()
	return startServer(t, spyneLaunch(t))
}

// spyneLaunch writes Spyne's server script into a temporary directory and
// returns how to start it, or ends the test when Spyne is not installed.
func spyneLaunch(t testing.TB) launch {
	t.Helper()
	if err := pythonHas("Spyne (python3-spyne)", "spyne", "lxml"); err != nil {
		unavailable(t, "peers: %v", err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "server.py")
	if err := os.WriteFile(script, spyneServer, 0o644); err != nil {
		t.Fatalf("peers: write Spyne server script: %v", err)
	}
	return launch{
		name: "Spyne",
		args: func(port int) []string { return []string{Python, script, strconv.Itoa(port)} },
		env:  []string{"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"},
		dir:  dir,
	}
}
