package message

import (
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// TestMappedHeaderForbiddenBytes refuses each byte a mapped header name or
// value must not hold, at the start, in the middle and at the end, and
// accepts the neighbours that are allowed (a value may hold spaces, tabs
// and colons).
func TestMappedHeaderForbiddenBytes(t *testing.T) {
	m := mustNew(t, SOAP12, AddressingTransport, nil)
	if err := m.Initialize(Blank, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{" ", "\t", "\r", "\n", ":"} {
		for _, name := range []string{c + "X-A", "X" + c + "A", "X-A" + c, c} {
			if err := m.AddMappedHeader(name, "v"); err == nil {
				t.Errorf("AddMappedHeader(%q) was accepted", name)
			} else {
				wantCode(t, err, errors.InvalidArgument)
			}
		}
	}
	for _, c := range []string{"\r", "\n"} {
		for _, value := range []string{c + "v", "v" + c + "w", "v" + c, c} {
			if err := m.AddMappedHeader("X-A", value); err == nil {
				t.Errorf("AddMappedHeader value %q was accepted", value)
			} else {
				wantCode(t, err, errors.InvalidArgument)
			}
		}
	}
	for _, kv := range [][2]string{{"X-A", "a b\tc: d"}, {"X-B!#$%&'*+.^_`|~0", ""}, {"X-C", "\x7f\u00e9"}} {
		if err := m.AddMappedHeader(kv[0], kv[1]); err != nil {
			t.Errorf("AddMappedHeader(%q, %q): %v", kv[0], kv[1], err)
		}
	}
	if got := len(m.mapped); got != 3 {
		t.Errorf("%d mapped headers kept, want the 3 accepted ones", got)
	}
}

// BenchmarkAddMappedHeader adds the three HTTP reply headers a channel maps
// onto every reply message.
func BenchmarkAddMappedHeader(b *testing.B) {
	m := mustNew(b, SOAP11, AddressingTransport, nil)
	b.ReportAllocs()
	for b.Loop() {
		m.Reset()
		if err := m.Initialize(Blank, nil); err != nil {
			b.Fatal(err)
		}
		for _, kv := range [][2]string{{"Content-Type", "text/xml; charset=utf-8"}, {"Content-Length", "1075"}, {"Date", "Sat, 21 Nov 2026 12:00:00 GMT"}} {
			if err := m.AddMappedHeader(kv[0], kv[1]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
