package testtypes_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedFilesUpToDate regenerates the gowsdl output into a temporary
// directory and compares it with the committed files. The generator runs as a
// subprocess so gowsdl's unsynchronised Start never runs inside a -race binary.
func TestGeneratedFilesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out := t.TempDir()
	cmd := exec.Command(gobin, "run", "./gen", "-dir", ".", "-out", out)
	cmd.Env = append(os.Environ(), "GOFLAGS=") // never inherit -race
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, stderr.String())
	}
	for _, file := range []string{"orders/orders.go", "calc/calc.go"} {
		want, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run `go generate ./internal/testtypes/` and commit the result", file)
		}
	}
}
