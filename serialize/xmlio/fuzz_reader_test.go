package xmlio

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzReader feeds arbitrary bytes to the reader in both modes. It checks
// that nothing panics, that every error is an *errors.Error with code
// InvalidFormat or QuotaExceeded, that buffered and streamed reading (one
// byte per Read through a tiny window) agree on the whole token stream, and
// that encoding/xml accepts whatever this reader accepts, with the same
// element and attribute names (see reader_diff_test.go for the documented
// differences).
func FuzzReader(f *testing.F) {
	for _, tc := range wellFormedTests {
		f.Add([]byte(tc.doc))
	}
	for _, c := range hostileCases() {
		if c.unit == nil {
			f.Add([]byte(c.doc))
		}
	}
	small := &Options{MaxDepth: 6, MaxAttributes: 6, MaxNamespaces: 4, MaxTokenBytes: 48, MaxBytes: 400, StreamBufferSize: 3}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, opts := range []*Options{{StreamBufferSize: 7, ReportComments: true}, small} {
			buffered := dumpBuffered(doc, opts)
			streamed := dumpStreamed(iotest.OneByteReader(bytes.NewReader(doc)), opts)
			diffLines(t, "streamed vs buffered", streamed, buffered)
			last := lastLine(buffered)
			if last != "EOF" && last != "ERR InvalidFormat" && !strings.HasPrefix(last, "ERR QuotaExceeded ") {
				t.Fatalf("unexpected outcome %s", last)
			}
		}
		if _, err := ourEvents(doc, false); err != nil {
			return
		}
		want, err := stdEvents(doc, false)
		if err != nil {
			if hasNonASCII(doc) {
				return // encoding/xml's older name tables refuse some non-ASCII names
			}
			t.Fatalf("accepted, but encoding/xml refuses it: %v", err)
		}
		got, _ := ourEvents(doc, false)
		got, want = elementLines(got), elementLines(want)
		for i, w := range want {
			// Namespace URIs are attribute values, normalized here but not
			// by encoding/xml (which has already turned CR LF into LF).
			want[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(w)
		}
		if slices.ContainsFunc(got, func(e string) bool { return strings.Contains(e+" ", "}xmlns ") }) {
			return // encoding/xml keeps an element named xmlns out of the default namespace
		}
		diffLines(t, "names vs encoding/xml", got, want)
	})
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// elementLines keeps the start and end lines of an event list: names only.
func elementLines(events []string) []string {
	var out []string
	for _, e := range events {
		if e[0] == 'S' || e[0] == 'E' {
			out = append(out, e)
		}
	}
	return out
}
