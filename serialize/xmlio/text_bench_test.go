package xmlio

import (
	"strings"
	"testing"
)

// benchEchoText is the 720-character payload of the channel round-trip
// benchmark's Echo message: 42 characters needing escapes each way.
var benchEchoText = strings.Repeat("The quick brown fox & the lazy dog jump 13 <fences>. ", 14)[:720]

// benchPlainText is ASCII text of the same length with nothing to escape.
var benchPlainText = strings.Repeat("The quick brown fox and the lazy dog jump 13 fences. ", 14)[:720]

// benchTextCases are the payloads of the text benchmarks.
var benchTextCases = []struct{ name, text string }{
	{"echo", benchEchoText},
	{"plain", benchPlainText},
}

// BenchmarkTextWrite measures escaping character data: through
// Writer.Text and through AppendEscapedText.
func BenchmarkTextWrite(b *testing.B) {
	for _, tc := range benchTextCases {
		b.Run("writer/"+tc.name, func(b *testing.B) {
			w := NewBufferWriter(nil)
			b.SetBytes(int64(len(tc.text)))
			b.ReportAllocs()
			for b.Loop() {
				w.Reset(nil)
				w.StartElement("", "Text", "")
				w.Text(tc.text)
				w.EndElement()
			}
			if err := w.Err(); err != nil {
				b.Fatal(err)
			}
		})
		b.Run("append/"+tc.name, func(b *testing.B) {
			buf := make([]byte, 0, 2*len(tc.text))
			b.SetBytes(int64(len(tc.text)))
			b.ReportAllocs()
			for b.Loop() {
				var ok bool
				if buf, ok = AppendEscapedText(buf[:0], tc.text); !ok {
					b.Fatal("payload refused")
				}
			}
		})
	}
}

// BenchmarkTextRead measures decoding character data: a small document
// whose only element holds the escaped payload.
func BenchmarkTextRead(b *testing.B) {
	for _, tc := range benchTextCases {
		esc, ok := AppendEscapedText(nil, tc.text)
		if !ok {
			b.Fatal("payload refused")
		}
		doc := []byte(`<Echo xmlns="http://example.com/echo"><Text>` + string(esc) + `</Text></Echo>`)
		b.Run(tc.name, func(b *testing.B) {
			r := NewReader(doc, nil)
			b.SetBytes(int64(len(esc)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(doc)
				n := 0
				for {
					k, err := r.Next()
					if err != nil {
						b.Fatal(err)
					}
					if k == Text {
						n += len(r.Text())
					}
					if k == EOF {
						break
					}
				}
				if n != len(tc.text) {
					b.Fatalf("read %d characters of text, want %d", n, len(tc.text))
				}
			}
		})
	}
}
