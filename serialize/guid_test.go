package serialize

import (
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestGUIDParse(t *testing.T) {
	want := GUID{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	const canonical = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	valid := []string{
		canonical,
		"6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
		"6Ba7b810-9dAD-11d1-80b4-00c04FD430c8",
		"{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
		"{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}",
		"urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"URN:UUID:6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
		" \n6ba7b810-9dad-11d1-80b4-00c04fd430c8\t",
	}
	for _, s := range valid {
		g, err := ParseGUID(s)
		if err != nil {
			t.Errorf("ParseGUID(%q): %v", s, err)
			continue
		}
		if g != want {
			t.Errorf("ParseGUID(%q) = %x, want %x", s, g[:], want[:])
		}
		if g.String() != canonical {
			t.Errorf("ParseGUID(%q).String() = %q, want %q", s, g.String(), canonical)
		}
	}
	invalid := []string{
		"",
		"6ba7b810-9dad-11d1-80b4-00c04fd430c",    // short
		"6ba7b810-9dad-11d1-80b4-00c04fd430c80",  // long
		"6ba7b8109dad11d180b400c04fd430c8",       // no hyphens
		"6ba7b810-9dad-11d1-80b4-00c04fd430cg",   // non-hex
		"6ba7b810_9dad_11d1_80b4_00c04fd430c8",   // wrong separator
		"6ba7b81-09dad-11d1-80b4-00c04fd430c8",   // hyphen misplaced
		"-ba7b810-9dad-11d1-80b4-00c04fd430c8",   // hyphen in a digit position
		"6ba7b810-+dad-11d1-80b4-00c04fd430c8",   // sign in a digit position
		"{6ba7b810-9dad-11d1-80b4-00c04fd430c8",  // unbalanced brace
		"6ba7b810-9dad-11d1-80b4-00c04fd430c8}",  // unbalanced brace
		"(6ba7b810-9dad-11d1-80b4-00c04fd430c8)", // .NET "P" form is not accepted
		"urn:uuid:{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
		"uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
		"urn:uuid:",
	}
	for _, s := range invalid {
		g := GUID{1}
		err := g.UnmarshalText([]byte(s))
		xsdCheckErr(t, s, err, errors.InvalidFormat, "not a valid GUID")
		if g != (GUID{1}) {
			t.Errorf("UnmarshalText(%q) changed the GUID on error", s)
		}
	}
}

func TestGUIDFormats(t *testing.T) {
	g := GUID{0xde, 0xad, 0xbe, 0xef, 0, 1, 0x02, 0x03, 0xA0, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0, 0x0A, 0xFF}
	const want = "deadbeef-0001-0203-a0b0-c0d0e0f00aff"
	if s := g.String(); s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
	if s := g.URN(); s != "urn:uuid:"+want {
		t.Errorf("URN() = %q", s)
	}
	b, err := g.MarshalText()
	if err != nil || string(b) != want {
		t.Errorf("MarshalText() = %q, %v", b, err)
	}
	b, err = g.AppendText([]byte("id="))
	if err != nil || string(b) != "id="+want {
		t.Errorf("AppendText() = %q, %v", b, err)
	}
	var back GUID
	if err := back.UnmarshalText([]byte(g.URN())); err != nil || back != g {
		t.Errorf("URN round trip = %v, %v", back, err)
	}
	if s := (GUID{}).String(); s != "00000000-0000-0000-0000-000000000000" {
		t.Errorf("zero GUID String() = %q", s)
	}
}

func TestGUIDNewIsVersion4(t *testing.T) {
	seen := make(map[GUID]bool)
	for range 1000 {
		g := NewGUID()
		if v := g[6] >> 4; v != 4 {
			t.Fatalf("NewGUID() %v has version %d, want 4", g, v)
		}
		if v := g[8] >> 6; v != 0b10 {
			t.Fatalf("NewGUID() %v has variant bits %02b, want 10", g, v)
		}
		if s := g.String(); s[14] != '4' || !strings.ContainsRune("89ab", rune(s[19])) {
			t.Fatalf("NewGUID() text %s does not show version 4 / variant 10", s)
		}
		if seen[g] {
			t.Fatalf("NewGUID() repeated %v", g)
		}
		seen[g] = true
	}
}

func TestGUIDAllocs(t *testing.T) {
	in := []byte("{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}")
	var g GUID
	if n := testing.AllocsPerRun(100, func() { _ = g.UnmarshalText(in) }); n != 0 {
		t.Errorf("UnmarshalText allocates %v times, want 0", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf, _ = g.AppendText(buf[:0]) }); n != 0 {
		t.Errorf("AppendText allocates %v times, want 0", n)
	}
}

func BenchmarkGUIDParse(b *testing.B) {
	in := []byte("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
	var g GUID
	b.ReportAllocs()
	for b.Loop() {
		if err := g.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGUIDNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = NewGUID()
	}
}
