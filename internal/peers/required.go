package peers

import (
	"os"
	"testing"
)

// RequireEnv is the environment variable that makes a missing or broken peer
// a test failure instead of a skip: WSGO_PEERS=require.
const RequireEnv = "WSGO_PEERS"

// Required reports whether the environment demands the peers
// (WSGO_PEERS=require): then a peer that cannot be installed or started fails
// the test instead of skipping it.
func Required() bool {
	return os.Getenv(RequireEnv) == "require"
}

// unavailable ends the test because a peer cannot be used: t.Fatalf when
// peers are required, t.Skipf otherwise.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format+" ("+RequireEnv+"=require)", args...)
	}
	t.Skipf(format+" (set "+RequireEnv+"=require to fail instead of skipping)", args...)
}
