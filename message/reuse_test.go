package message

import (
	"testing"

	"github.com/wsgo/wsgo/serialize/xmlio"
)

// textBody is a small message body with a string.
type textBody struct {
	Text string `xml:"urn:example:echo Echo"`
}

// cycle writes one small message and resets the message and the writer.
func cycle(tb testing.TB, m *Message, w *xmlio.Writer, body *textBody, withHeader bool) {
	if err := m.Initialize(Blank, nil); err != nil {
		tb.Fatal(err)
	}
	if err := m.SetAction("urn:example:echo/Echo"); err != nil {
		tb.Fatal(err)
	}
	if withHeader {
		if err := m.AddCustomHeader(&sessionHeader{ID: "s"}, HeaderAttributes{MustUnderstand: true}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := m.WriteStart(w); err != nil {
		tb.Fatal(err)
	}
	if err := m.WriteBody(body); err != nil {
		tb.Fatal(err)
	}
	if err := m.WriteEnd(); err != nil {
		tb.Fatal(err)
	}
	w.Reset(nil)
	m.Reset()
}

// TestReuseAllocations checks that a reused message keeps its buffers: a
// write → Reset → write cycle allocates a small, constant number of times,
// however many cycles run.
func TestReuseAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race (sync.Pool drops items); scripts/test.sh runs this test without -race")
	}
	for _, c := range []struct {
		name       string
		withHeader bool
		max        float64
	}{{"string body", false, 0}, {"string body and custom header", true, 8}} {
		t.Run(c.name, func(t *testing.T) {
			m := mustNew(t, SOAP12, Addressing1_0, nil)
			w := xmlio.NewBufferWriter(nil)
			body := &textBody{Text: "hello"}
			cycle(t, m, w, body, c.withHeader) // warm up: buffers grow once
			short := testing.AllocsPerRun(10, func() { cycle(t, m, w, body, c.withHeader) })
			long := testing.AllocsPerRun(200, func() { cycle(t, m, w, body, c.withHeader) })
			t.Logf("allocations per cycle: %v (10 runs), %v (200 runs)", short, long)
			if short != long {
				t.Errorf("allocations per cycle grow with reuse: %v then %v", short, long)
			}
			if long > c.max {
				t.Errorf("%v allocations per cycle, want at most %v", long, c.max)
			}
		})
	}
}

func BenchmarkWriteReuse(b *testing.B) {
	m := mustNew(b, SOAP12, Addressing1_0, nil)
	w := xmlio.NewBufferWriter(nil)
	body := &textBody{Text: "hello"}
	b.ReportAllocs()
	for b.Loop() {
		cycle(b, m, w, body, true)
	}
}

func BenchmarkReadReuse(b *testing.B) {
	src := mustNew(b, SOAP12, Addressing1_0, &Options{NewMessageID: fixedID(1)})
	if err := src.Initialize(Request, nil); err != nil {
		b.Fatal(err)
	}
	if err := src.SetAction("urn:example:echo/Echo"); err != nil {
		b.Fatal(err)
	}
	if err := src.AddCustomHeader(&sessionHeader{ID: "s"}, HeaderAttributes{MustUnderstand: true}); err != nil {
		b.Fatal(err)
	}
	data := write(b, src, &textBody{Text: "hello"})
	m := mustNew(b, SOAP12, Addressing1_0, nil)
	r := xmlio.NewReader(data, nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(data)
		if err := m.ReadStart(r); err != nil {
			b.Fatal(err)
		}
		var s sessionHeader
		if _, err := m.CustomHeader(sessionName, &s); err != nil {
			b.Fatal(err)
		}
		var body textBody
		if err := m.ReadBody(&body); err != nil {
			b.Fatal(err)
		}
		if err := m.ReadEnd(); err != nil {
			b.Fatal(err)
		}
		m.Reset()
	}
}
