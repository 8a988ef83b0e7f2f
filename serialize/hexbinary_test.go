package serialize

import (
	"bytes"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestHexBinaryParse(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
		text string
	}{
		{"", []byte{}, ""},
		{"00", []byte{0}, "00"},
		{"0FB7", []byte{0x0f, 0xb7}, "0FB7"},
		{"0fb7", []byte{0x0f, 0xb7}, "0FB7"},
		{"0Fb7", []byte{0x0f, 0xb7}, "0FB7"},
		{" \n DEADbeef\t", []byte{0xde, 0xad, 0xbe, 0xef}, "DEADBEEF"},
		{"00FF7F80", []byte{0, 0xff, 0x7f, 0x80}, "00FF7F80"},
	}
	for _, tt := range tests {
		h, err := ParseHexBinary(tt.in)
		if err != nil {
			t.Errorf("ParseHexBinary(%q): %v", tt.in, err)
			continue
		}
		if h == nil || !bytes.Equal(h, tt.want) {
			t.Errorf("ParseHexBinary(%q) = %#v, want %#v", tt.in, h, tt.want)
		}
		if h.String() != tt.text {
			t.Errorf("ParseHexBinary(%q).String() = %q, want %q", tt.in, h.String(), tt.text)
		}
		b, err := h.MarshalText()
		if err != nil || string(b) != tt.text {
			t.Errorf("MarshalText(%q) = %q, %v", tt.in, b, err)
		}
		b, err = h.AppendText([]byte("x"))
		if err != nil || string(b) != "x"+tt.text {
			t.Errorf("AppendText(%q) = %q, %v", tt.in, b, err)
		}
	}
}

func TestHexBinaryParseInvalid(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"0", "odd number"},
		{"ABC", "odd number"},
		{"0G", `"G" at offset 1`},
		{"G0", `"G" at offset 0`},
		{"00 111", `" " at offset 2`},
		{"0x00", `"x" at offset 1`},
		{"é", `"\xc3" at offset 0`},
		{"+0", `"+" at offset 0`},
	}
	for _, tt := range tests {
		h := HexBinary{1, 2}
		err := h.UnmarshalText([]byte(tt.in))
		xsdCheckErr(t, tt.in, err, errors.InvalidFormat, "xsd:hexBinary")
		xsdCheckErr(t, tt.in, err, errors.InvalidFormat, tt.msg)
		if !bytes.Equal(h, []byte{1, 2}) {
			t.Errorf("UnmarshalText(%q) changed the value on error", tt.in)
		}
	}
}

func TestHexBinaryUnmarshalDoesNotAlias(t *testing.T) {
	h := HexBinary{1, 2, 3}
	old := h
	if err := h.UnmarshalText([]byte("AABBCC")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, []byte{1, 2, 3}) {
		t.Errorf("UnmarshalText overwrote the previous bytes: %v", old)
	}
	if !bytes.Equal(h, []byte{0xaa, 0xbb, 0xcc}) {
		t.Errorf("UnmarshalText = %v", h)
	}
	if s := HexBinary(nil).String(); s != "" {
		t.Errorf("nil HexBinary String() = %q", s)
	}
}

func BenchmarkHexBinaryParse(b *testing.B) {
	in := bytes.Repeat([]byte("0123456789abcdef"), 4)
	var h HexBinary
	b.ReportAllocs()
	for b.Loop() {
		if err := h.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}
