package xmlio_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
	"github.com/wsgo/wsgo/serialize/xmlio"
)

// wrtPattern returns n bytes that are not all the same, so encoders that
// mix up chunk boundaries show it.
func wrtPattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func TestWriterBase64MatchesStdEncoding(t *testing.T) {
	data := wrtPattern(10 << 10)
	w := xmlio.NewBufferWriter(nil)
	var want []byte
	for n := 0; n <= len(data); n++ {
		w.Reset(nil)
		w.StartElement("", "b", "")
		w.Base64(data[:n])
		w.EndElement()
		want = append(want[:0], "<b>"...)
		want = base64.StdEncoding.AppendEncode(want, data[:n])
		want = append(want, "</b>"...)
		if n == 0 {
			want = append(want[:0], "<b></b>"...)
		}
		if got := w.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("Base64 of %d bytes differs from encoding/base64 (len %d, want %d)", n, len(got), len(want))
		}
	}
}

func TestWriterBase64Streaming(t *testing.T) {
	data := wrtPattern(1<<20 + 5)
	for _, n := range []int{0, 1, 3071, 3072, 3073, 40000, len(data)} {
		rec := &wrtRecorder{}
		w := xmlio.NewWriter(rec)
		w.StartElement("", "b", "")
		w.Base64(data[:n])
		w.Text("|")
		w.Base64(data[:n])
		w.EndElement()
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		enc := base64.StdEncoding.EncodeToString(data[:n])
		if got, want := rec.buf.String(), "<b>"+enc+"|"+enc+"</b>"; got != want {
			t.Fatalf("streamed Base64 of %d bytes differs from encoding/base64", n)
		}
		// Memory stays bounded: no single write is much larger than the
		// flush threshold plus one encoded chunk, whatever n is.
		if rec.maxWrite > 40<<10 {
			t.Errorf("Base64 of %d bytes: a write of %d bytes; the buffer is not bounded", n, rec.maxWrite)
		}
	}
}

func TestWriterHexMatchesEncodingHex(t *testing.T) {
	data := wrtPattern(10000)
	for _, n := range []int{0, 1, 2, 3072, 3073, len(data)} {
		for _, streaming := range []bool{false, true} {
			rec := &wrtRecorder{}
			w := xmlio.NewBufferWriter(nil)
			if streaming {
				w = xmlio.NewWriter(rec)
			}
			w.StartElement("", "h", "")
			w.Hex(data[:n])
			w.EndElement()
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			got := string(w.Bytes())
			if streaming {
				got = rec.buf.String()
			}
			want := "<h>" + strings.ToUpper(hex.EncodeToString(data[:n])) + "</h>"
			if n == 0 {
				want = "<h></h>"
			}
			if got != want {
				t.Fatalf("Hex of %d bytes (streaming %v) = %.60q..., want %.60q...", n, streaming, got, want)
			}
		}
	}
}

// A long text value is flushed piece by piece too.
func TestWriterTextStreamingIsBounded(t *testing.T) {
	rec := &wrtRecorder{}
	w := xmlio.NewWriter(rec)
	w.StartElement("", "t", "")
	s := strings.Repeat("plain text, ", 100000)
	w.Text(s)
	w.EndElement()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.buf.Len(), len("<t></t>")+len(s); got != want {
		t.Fatalf("streamed %d bytes, want %d", got, want)
	}
	if rec.maxWrite > 48<<10+64 {
		t.Errorf("a write of %d bytes; text is not flushed in pieces", rec.maxWrite)
	}
	if rec.writes < 2 {
		t.Errorf("%d writes; expected the threshold to flush before Flush", rec.writes)
	}
}

// Nothing reaches the destination before the threshold or Flush, and Flush
// with elements open writes what there is.
func TestWriterStreamingFlush(t *testing.T) {
	rec := &wrtRecorder{}
	w := xmlio.NewWriter(rec)
	w.StartElement("", "a", "")
	w.Attr("", "x", "", "1")
	if rec.writes != 0 {
		t.Fatalf("%d writes before Flush, want 0", rec.writes)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := rec.buf.String(); got != `<a x="1"` {
		t.Fatalf("after Flush with an open start tag: %q", got)
	}
	w.Attr("", "y", "", "2") // the start tag is still open after a flush
	w.Text("t")
	w.EndElement()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.buf.String(), `<a x="1" y="2">t</a>`; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWriterFailingDestination(t *testing.T) {
	cause := io.ErrClosedPipe
	tests := []struct {
		name string
		dst  io.Writer
		want error
	}{
		{"error", &wrtFailing{after: 1000, err: cause}, cause},
		{"short write", &wrtFailing{after: 1000, short: true}, io.ErrShortWrite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := xmlio.NewWriter(tc.dst)
			w.StartElement("", "r", "")
			for i := 0; i < 20000 && w.Err() == nil; i++ {
				w.StartElement("", "item", "")
				w.Int(int64(i))
				w.EndElement()
			}
			err := w.Err()
			if err == nil {
				t.Fatal("no error after writing past the threshold into a failing destination")
			}
			if errors.CodeOf(err) != errors.Other || !errors.Is(err, tc.want) {
				t.Errorf("Err() = %v (code %v), want code Other wrapping %v", err, errors.CodeOf(err), tc.want)
			}
			w.EndElement()
			if got := w.Flush(); got != err {
				t.Errorf("Flush() = %v, want the sticky %v", got, err)
			}
			if w.Depth() != 1 {
				t.Errorf("Depth() = %d: EndElement after the error should be a no-op", w.Depth())
			}
		})
	}

	// The failure may also first show at the final Flush.
	w := xmlio.NewWriter(&wrtFailing{after: 0, err: cause})
	w.StartElement("", "r", "")
	w.EndElement()
	if w.Err() != nil {
		t.Fatalf("error before Flush: %v", w.Err())
	}
	if err := w.Flush(); !errors.Is(err, cause) || errors.CodeOf(err) != errors.Other {
		t.Errorf("Flush() = %v, want Other wrapping %v", err, cause)
	}
}

// A long text value stops at the destination's failure: it is not escaped
// on into the buffer (which would hold all of it, the memory a streaming
// writer exists to bound).
func TestWriterTextStopsAtFailingDestination(t *testing.T) {
	const size = 64 << 20
	s := strings.Repeat("x", size)
	w := xmlio.NewWriter(&wrtFailing{after: 0, err: io.ErrClosedPipe})
	w.StartElement("", "t", "")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	w.Text(s)
	runtime.ReadMemStats(&after)
	if !errors.Is(w.Err(), io.ErrClosedPipe) {
		t.Fatalf("Err() = %v, want the destination's error", w.Err())
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("writing %d MiB of text into a failed destination allocated %d KiB", size>>20, grew>>10)
	}
}

// wrtRecorder collects output and the size of the largest single write.
type wrtRecorder struct {
	buf      bytes.Buffer
	writes   int
	maxWrite int
}

func (r *wrtRecorder) Write(p []byte) (int, error) {
	r.writes++
	r.maxWrite = max(r.maxWrite, len(p))
	return r.buf.Write(p)
}

// wrtFailing accepts after bytes, then fails with err or reports a short
// write.
type wrtFailing struct {
	after int
	err   error
	short bool
}

func (f *wrtFailing) Write(p []byte) (int, error) {
	if len(p) <= f.after {
		f.after -= len(p)
		return len(p), nil
	}
	n := f.after
	f.after = 0
	if f.short {
		return n, nil
	}
	return n, f.err
}

// A streaming writer can give up a prefix it chose for an element only
// while the start tag is still in its buffer; once a long attribute value
// has flushed the tag's beginning, rebinding the prefix is refused as for
// a prefix the caller gave.
func TestWriterChosenPrefixAfterFlush(t *testing.T) {
	for _, long := range []bool{false, true} {
		var out bytes.Buffer
		w := xmlio.NewWriter(&out)
		w.StartElement("p", "r", "urn:u")
		w.StartElement("", "a", "urn:u")
		v := "v"
		if long {
			v = strings.Repeat("v", 40<<10)
		}
		w.Attr("", "x", "", v)
		w.DeclareNamespace("p", "urn:w")
		w.EndElement()
		w.EndElement()
		err := w.Flush()
		if !long {
			if err != nil {
				t.Fatalf("short value: %v", err)
			}
			if want := `<p:r xmlns:p="urn:u"><a x="v" xmlns="urn:u" xmlns:p="urn:w"/></p:r>`; out.String() != want {
				t.Errorf("got %s, want %s", out.String(), want)
			}
			continue
		}
		if errors.CodeOf(err) != errors.InvalidOperation || !strings.Contains(err.Error(), `prefix "p" is already used`) {
			t.Errorf("after a flush inside the start tag: Flush() = %v, want InvalidOperation (prefix already used)", err)
		}
	}
}
