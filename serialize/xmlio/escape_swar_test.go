package xmlio

import (
	"math/rand/v2"
	"testing"
)

// TestSwarSkipMatchesByteScan checks the word-at-a-time scan against a
// byte-by-byte one: swarSkip must stop exactly at the first byte of its
// stop set (C0 controls, bytes from 0x80, and the set's specials).
func TestSwarSkipMatchesByteScan(t *testing.T) {
	sets := []struct {
		name     string
		st       *swarStops
		specials string
	}{
		{"text", &swarText, "<>&"},
		{"attr", &swarAttr, "&\"<"},
		{"decode", &swarDecode, "&]"},
	}
	alphabet := []byte("aZ09 .;=?AbcdXYZ<>&\"']\t\n\r\x00\x01\x1f\x7f\x80\xc3\xa9\xff=>?;:<")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, set := range sets {
		isStop := func(c byte) bool {
			if c < 0x20 || c >= 0x80 {
				return true
			}
			for i := 0; i < len(set.specials); i++ {
				if c == set.specials[i] {
					return true
				}
			}
			return false
		}
		for n := 0; n < 20000; n++ {
			b := make([]byte, rng.IntN(40))
			for k := range b {
				if rng.IntN(4) == 0 {
					b[k] = alphabet[rng.IntN(len(alphabet))]
				} else {
					b[k] = byte(rng.IntN(256))
				}
			}
			start := 0
			if len(b) > 0 {
				start = rng.IntN(len(b) + 1)
			}
			want := start
			for want < len(b) && !isStop(b[want]) {
				want++
			}
			if got := swarSkip(b, start, set.st); got != want {
				t.Fatalf("%s: swarSkip(%q, %d) = %d, want %d", set.name, b, start, got, want)
			}
			if got := swarSkip(string(b), start, set.st); got != want {
				t.Fatalf("%s: swarSkip(string %q, %d) = %d, want %d", set.name, b, start, got, want)
			}
		}
	}
}

// TestAppendEscapedTextKeepsSpareCapacity: appending must not write past
// the returned length (the caller may own the bytes there).
func TestAppendEscapedTextKeepsSpareCapacity(t *testing.T) {
	buf := make([]byte, 0, 64)
	for i := 0; i < cap(buf); i++ {
		buf = append(buf, '#')
	}
	dst := buf[:0]
	out, ok := AppendEscapedText(dst, "a<b")
	if !ok || string(out) != "a&lt;b" {
		t.Fatalf("AppendEscapedText = %q, %v", out, ok)
	}
	for i, c := range buf[len(out):] {
		if c != '#' {
			t.Fatalf("byte %d past the result was overwritten with %q", len(out)+i, c)
		}
	}
}
