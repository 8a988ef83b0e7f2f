package xmlio

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// TestReaderStreamsLargeDocumentInBoundedMemory streams a 256 MiB document
// of many small elements through NewStreamReader and samples the heap as it
// goes: what the reader holds must not grow with the document (a few MiB at
// most, whatever the input size), and Offset and Line must be exact at the
// end. Under the race detector, which makes the walk some 15 times slower
// and changes nothing the test measures, the document is 32 MiB (the suite
// runs without -race too).
func TestReaderStreamsLargeDocumentInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	const (
		prefix = "<?xml version=\"1.0\"?>\n<s:Envelope xmlns:s=\"urn:s\"><s:Body>\n"
		unit   = "<b a=\"1\">x &amp; y</b><c/>\n" // 27 bytes, one line, 2 elements
		suffix = "</s:Body></s:Envelope>\n"
	)
	size := 256 << 20
	if raceEnabled {
		size = 32 << 20
	}
	count := (size - len(prefix) - len(suffix)) / len(unit)
	total := int64(len(prefix) + count*len(unit) + len(suffix))
	// Newlines before </s:Body></s:Envelope>: that line is newlines+1, and
	// after the final newline the reader is on line newlines+2.
	newlines := strings.Count(prefix, "\n") + count
	g := &genReader{prefix: prefix, unit: repeat(unit), count: count, suffix: suffix}
	r := NewStreamReader(g, &Options{MaxBytes: 1 << 30})

	runtime.GC()
	var before, now runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&now)
		if now.HeapInuse > before.HeapInuse && now.HeapInuse-before.HeapInuse > peak {
			peak = now.HeapInuse - before.HeapInuse
		}
	}
	elements := 0
	nextSample := int64(0)
	for {
		k, err := r.Next()
		if err != nil {
			t.Fatalf("after %d bytes: %v", r.Offset(), err)
		}
		if k == StartElement {
			elements++
		}
		if r.Offset() >= nextSample {
			sample()
			nextSample += 4 << 20
		}
		if k == EndElement && r.Depth() == 1 {
			// The root's end tag: the trailing newline is all that is left.
			if got, want := r.Offset(), total-1; got != want {
				t.Errorf("Offset() at </s:Envelope> = %d, want %d", got, want)
			}
			if got := r.Line(); got != newlines+1 {
				t.Errorf("Line() at </s:Envelope> = %d, want %d", got, newlines+1)
			}
		}
		if k == EOF {
			break
		}
	}
	sample()
	if want := 2 + 2*count; elements != want {
		t.Errorf("read %d elements, want %d", elements, want)
	}
	if got := r.Offset(); got != total {
		t.Errorf("Offset() at EOF = %d, want %d (the document's length)", got, total)
	}
	if got := r.Line(); got != newlines+2 {
		t.Errorf("Line() at EOF = %d, want %d", got, newlines+2)
	}
	if g.read != total {
		t.Errorf("the reader consumed %d bytes of a %d-byte stream", g.read, total)
	}
	alloc := now.TotalAlloc - before.TotalAlloc
	t.Logf("%d MiB streamed: heap in use grew by at most %d KiB; %d KiB allocated in all", total>>20, peak>>10, alloc>>10)
	if peak > 4<<20 {
		t.Errorf("heap in use grew by %d KiB while streaming a %d MiB document; want under 4 MiB", peak>>10, total>>20)
	}
	if !raceEnabled && alloc > 1<<20 {
		t.Errorf("streaming a %d MiB document allocated %d KiB; the reader must not allocate per element", total>>20, alloc>>10)
	}
}

// countingReader delivers an endless stream of small elements inside a
// root, as many bytes as each Read asks for, and counts what it delivered.
type countingReader struct {
	unit      string
	delivered int64
	reads     int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.reads++
	for n := range p {
		if i := c.delivered + int64(n); i < 3 {
			p[n] = "<a>"[i]
		} else {
			p[n] = c.unit[(i-3)%int64(len(c.unit))]
		}
	}
	c.delivered += int64(len(p))
	return len(p), nil
}

// TestReaderStreamedMaxBytes checks that a streamed reader stops an endless
// stream with QuotaExceeded "MaxBytes" without reading more of it than
// MaxBytes and one window, with the window at its initial size and grown
// to a large token, and for limits that do and do not fall on a token
// boundary.
func TestReaderStreamedMaxBytes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		unit     string
		maxBytes int64
		opts     Options
	}{
		{"small elements, 4 KiB window", "<b>x</b>", 1 << 20, Options{}},
		{"limit on a token boundary", "<b>x</b>", 3 + 8*1000, Options{}},
		{"limit inside a tag", "<b>x</b>", 3 + 8*1000 + 2, Options{}},
		{"one-byte window", "<b>x</b>", 10_000, Options{StreamBufferSize: 1}},
		{"window grown to a large text run", "<t>" + strings.Repeat("y", 200_000) + "</t>", 1 << 20, Options{MaxTokenBytes: 256 << 10}},
		{"whitespace", "      \n", 100_000, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.MaxBytes = tc.maxBytes
			src := &countingReader{unit: tc.unit}
			r := NewStreamReader(src, &opts)
			_, err := walk(r)
			var e *errors.Error
			if !errors.As(err, &e) || e.Code != errors.QuotaExceeded || e.Quota != "MaxBytes" {
				t.Fatalf("got %v; want QuotaExceeded MaxBytes", err)
			}
			// One byte past the limit tells "exactly MaxBytes" from "more";
			// nothing further may be taken from the source.
			if src.delivered != tc.maxBytes+1 {
				t.Errorf("read %d bytes of the stream for MaxBytes %d, want exactly MaxBytes+1", src.delivered, tc.maxBytes)
			}
			if r.Offset() > tc.maxBytes {
				t.Errorf("Offset() = %d, past MaxBytes %d", r.Offset(), tc.maxBytes)
			}
			// A failed reader stays failed and reads nothing more.
			delivered, reads := src.delivered, src.reads
			if _, err2 := r.Next(); err2 != err {
				t.Errorf("Next after the error = %v, want the same error", err2)
			}
			if src.delivered != delivered || src.reads != reads {
				t.Errorf("Next after the error read the stream again")
			}
		})
	}
}

// TestReaderMaxBytesBoundary: a document of exactly MaxBytes is accepted
// and one byte more is refused, in both modes and with any window.
func TestReaderMaxBytesBoundary(t *testing.T) {
	doc := []byte(`<r><a x="1">text</a><b/></r>`)
	for _, window := range []int{1, 7, 4096} {
		for _, extra := range []int{0, 1} {
			limit := int64(len(doc) - extra)
			opts := &Options{MaxBytes: limit, StreamBufferSize: window}
			for mode, r := range map[string]*Reader{
				"buffered": NewReader(doc, opts),
				"streamed": NewStreamReader(bytes.NewReader(doc), opts),
			} {
				_, err := walk(r)
				if extra == 0 && err != nil {
					t.Errorf("%s, window %d: a document of exactly MaxBytes (%d) was refused: %v", mode, window, limit, err)
				}
				if extra == 1 {
					var e *errors.Error
					if !errors.As(err, &e) || e.Quota != "MaxBytes" {
						t.Errorf("%s, window %d: a document one byte over MaxBytes gave %v, want QuotaExceeded MaxBytes", mode, window, err)
					}
				}
			}
		}
	}
}
