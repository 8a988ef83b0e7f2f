package peers

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Python is the interpreter the Python peers run with: Debian's, which sees
// python3-spyne and python3-zeep (a pyenv python3 earlier on PATH does not).
const Python = "/usr/bin/python3"

// installHint is appended to every "not installed" reason.
const installHint = "run 'bash scripts/peers.sh install'"

// Dir returns the directory scripts/peers.sh installs node-soap into:
// $WSGO_PEERS_DIR, or $HOME/.cache/wsgo/peers.
func Dir() (string, error) {
	if d := os.Getenv("WSGO_PEERS_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no peers dir: WSGO_PEERS_DIR is unset and the home directory is unknown: %v", err)
	}
	return filepath.Join(home, ".cache", "wsgo", "peers"), nil
}

// nodeModules returns the node_modules directory holding node-soap, or why
// node-soap cannot run.
func nodeModules() (string, error) {
	if _, err := exec.LookPath("node"); err != nil {
		return "", fmt.Errorf("node-soap needs Node.js: node is not on PATH")
	}
	dir, err := Dir()
	if err != nil {
		return "", err
	}
	mods := filepath.Join(dir, "node_modules")
	if _, err := os.Stat(filepath.Join(mods, "soap", "package.json")); err != nil {
		return "", fmt.Errorf("node-soap is not installed in %s: %s", mods, installHint)
	}
	return mods, nil
}

// pythonChecks caches, per module list, whether Python can import it.
var pythonChecks sync.Map // string -> func() error

// pythonHas reports why Python cannot import the given modules, or nil.
func pythonHas(pkg string, modules ...string) error {
	key := strings.Join(modules, ",")
	check, _ := pythonChecks.LoadOrStore(key, sync.OnceValue(func() error {
		if _, err := os.Stat(Python); err != nil {
			return fmt.Errorf("%s needs %s, which does not exist: %s", pkg, Python, installHint)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, Python, "-c", "import "+key).CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s is not importable by %s (%v: %s): %s",
				pkg, Python, err, strings.TrimSpace(lastLine(out)), installHint)
		}
		return nil
	}))
	return check.(func() error)()
}

// lastLine returns the last non-empty line of out (a traceback's message).
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}
