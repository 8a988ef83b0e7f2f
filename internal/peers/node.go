package peers

import (
	_ "embed"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

//go:embed node/server.js
var nodeServer []byte

// StartNodeSOAP starts node-soap 1.13.0 serving calc.wsdl on a free
// 127.0.0.1 port, SOAP 1.1 at URL11 and SOAP 1.2 (forceSoap12Headers) at
// URL12, and stops it when the test ends. Echo("fault") answers a SOAP fault
// with a CalcFault{42, "Echo was asked to fail"} detail; a request with a
// wsa:MessageID gets wsa:RelatesTo and wsa:Action back. See node/server.js
// for what node-soap does on the wire.
//
// When node-soap is not installed or does not start, the test is skipped,
// or fails if Required.
func StartNodeSOAP(t testing.TB) *Server {
	t.Helper()
	return startServer(t, nodeLaunch(t))
}

// nodeLaunch writes node-soap's server script into a temporary directory and
// returns how to start it, or ends the test when node-soap is not installed.
func nodeLaunch(t testing.TB) launch {
	t.Helper()
	mods, err := nodeModules()
	if err != nil {
		unavailable(t, "peers: %v", err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "server.js")
	if err := os.WriteFile(script, nodeServer, 0o644); err != nil {
		t.Fatalf("peers: write node-soap server script: %v", err)
	}
	wsdl := CalcWSDL(t)
	return launch{
		name: "node-soap",
		args: func(port int) []string { return []string{"node", script, strconv.Itoa(port), wsdl} },
		env:  []string{"NODE_PATH=" + mods},
		dir:  dir,
	}
}
