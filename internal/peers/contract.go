package peers

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The soap:address locations calc.wsdl ships with; node-soap routes by their
// paths, and CalcWSDLAt replaces them.
const (
	calcAddress11 = "http://localhost:8080/calc/soap11"
	calcAddress12 = "http://localhost:8080/calc/soap12"
)

// The endpoint paths every calc peer serves, from calc.wsdl's addresses.
const (
	Path11 = "/calc/soap11"
	Path12 = "/calc/soap12"
)

// CalcWSDL returns the absolute path of the shared contract,
// internal/testtypes/wsdl/calc.wsdl, found from this package's source
// directory or, when the build trimmed source paths, from the module root
// above the working directory. It fails the test when the file is not there.
func CalcWSDL(t testing.TB) string {
	t.Helper()
	rel := filepath.Join("internal", "testtypes", "wsdl", "calc.wsdl")
	var tried []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		tried = append(tried, filepath.Join(filepath.Dir(file), "..", "..", rel))
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				tried = append(tried, filepath.Join(dir, rel))
				break
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	for _, path := range tried {
		if _, err := os.Stat(path); err == nil {
			return filepath.Clean(path)
		}
	}
	t.Fatalf("peers: the calc contract is missing; looked at %q", tried)
	return ""
}

// CalcWSDLAt writes a copy of calc.wsdl into the test's temporary directory
// with the SOAP 1.1 port's address set to url11 and the SOAP 1.2 port's to
// url12, and returns its path: what a client such as zeep loads to call a
// service listening on a test port.
func CalcWSDLAt(t testing.TB, url11, url12 string) string {
	t.Helper()
	src, err := os.ReadFile(CalcWSDL(t))
	if err != nil {
		t.Fatalf("peers: read calc.wsdl: %v", err)
	}
	text := string(src)
	for _, loc := range []string{calcAddress11, calcAddress12} {
		if n := strings.Count(text, `location="`+loc+`"`); n != 1 {
			t.Fatalf("peers: calc.wsdl has %d soap:address locations %q, want exactly 1", n, loc)
		}
	}
	text = strings.Replace(text, `location="`+calcAddress11+`"`, `location="`+attrEscape(url11)+`"`, 1)
	text = strings.Replace(text, `location="`+calcAddress12+`"`, `location="`+attrEscape(url12)+`"`, 1)
	path := filepath.Join(t.TempDir(), "calc.wsdl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatalf("peers: write the rewritten calc.wsdl: %v", err)
	}
	return path
}

// attrEscape escapes s for a double-quoted XML attribute value.
func attrEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails to write
	return b.String()
}
