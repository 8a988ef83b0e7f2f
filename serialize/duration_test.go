package serialize

import (
	"math"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

func TestDurationParse(t *testing.T) {
	tests := []struct {
		in, want string // want "" means the same as in
		d        Duration
	}{
		{"P1Y", "", Duration{Years: 1}},
		{"P1Y2M3DT4H5M6S", "", Duration{Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6}},
		{"-P1Y2M3DT4H5M6.7S", "", Duration{Negative: true, Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6, Nanoseconds: 700_000_000}},
		{"P2M", "", Duration{Months: 2}},
		{"PT2M", "", Duration{Minutes: 2}},
		{"PT90M", "", Duration{Minutes: 90}},
		{"P0D", "PT0S", Duration{}},
		{"PT0S", "", Duration{}},
		{"-PT0S", "PT0S", Duration{Negative: true}},
		{"P0Y0M0DT0H0M0.000S", "PT0S", Duration{}},
		{"PT1.5S", "", Duration{Seconds: 1, Nanoseconds: 500_000_000}},
		{"PT.5S", "PT0.5S", Duration{Nanoseconds: 500_000_000}},
		{"PT1.S", "PT1S", Duration{Seconds: 1}},
		{"PT0.000000001S", "", Duration{Nanoseconds: 1}},
		{"PT0.1234567899S", "PT0.123456789S", Duration{Nanoseconds: 123456789}},
		{"P1DT12H", "", Duration{Days: 1, Hours: 12}},
		{"P007D", "P7D", Duration{Days: 7}},
		{" \tP1D\n", "P1D", Duration{Days: 1}},
		{"P9223372036854775807D", "", Duration{Days: math.MaxInt64}},
		{"PT9223372036854775807.999999999S", "", Duration{Seconds: math.MaxInt64, Nanoseconds: 999999999}},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
			continue
		}
		if d != tt.d {
			t.Errorf("ParseDuration(%q) = %+v, want %+v", tt.in, d, tt.d)
		}
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := d.String(); got != want {
			t.Errorf("ParseDuration(%q).String() = %q, want %q", tt.in, got, want)
		}
		b, err := d.MarshalText()
		if err != nil || string(b) != want {
			t.Errorf("MarshalText(%q) = %q, %v", tt.in, b, err)
		}
	}
}

func TestDurationParseInvalid(t *testing.T) {
	tests := []struct {
		in   string
		code errors.Code
	}{
		{"", errors.InvalidFormat},
		{"P", errors.InvalidFormat},
		{"-P", errors.InvalidFormat},
		{"PT", errors.InvalidFormat},
		{"P1DT", errors.InvalidFormat},
		{"P1Y2", errors.InvalidFormat},
		{"-P-1D", errors.InvalidFormat},
		{"P-1D", errors.InvalidFormat},
		{"+P1D", errors.InvalidFormat},
		{"P1.5Y", errors.InvalidFormat},
		{"P1.5D", errors.InvalidFormat},
		{"PT1.5M", errors.InvalidFormat},
		{"PT1.5H", errors.InvalidFormat},
		{"P1H", errors.InvalidFormat},
		{"PT1D", errors.InvalidFormat},
		{"P1M1Y", errors.InvalidFormat},
		{"PT1S1M", errors.InvalidFormat},
		{"P1Y1Y", errors.InvalidFormat},
		{"PT1H1H", errors.InvalidFormat},
		{"P1DT1HT1M", errors.InvalidFormat},
		{"PT.S", errors.InvalidFormat},
		{"PTS", errors.InvalidFormat},
		{"PY", errors.InvalidFormat},
		{"P1W", errors.InvalidFormat},
		{"p1d", errors.InvalidFormat},
		{"P1d", errors.InvalidFormat},
		{"1D", errors.InvalidFormat},
		{"P 1D", errors.InvalidFormat},
		{"PT1,5S", errors.InvalidFormat},
		{"PT1e3S", errors.InvalidFormat},
		{"P9223372036854775808D", errors.NumericOverflow},
		{"PT99999999999999999999999S", errors.NumericOverflow},
	}
	for _, tt := range tests {
		d := Duration{Days: 42}
		err := d.UnmarshalText([]byte(tt.in))
		xsdCheckErr(t, tt.in, err, tt.code, "xsd:duration")
		if d != (Duration{Days: 42}) {
			t.Errorf("UnmarshalText(%q) changed the value on error", tt.in)
		}
	}
}

func TestDurationStd(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"PT0S", 0, true},
		{"PT1.5S", 1500 * time.Millisecond, true},
		{"-PT1.5S", -1500 * time.Millisecond, true},
		{"P1DT2H3M4.000000005S", 26*time.Hour + 3*time.Minute + 4*time.Second + 5, true},
		{"PT90M", 90 * time.Minute, true},
		{"P1Y", 0, false},
		{"P1M", 0, false},
		{"-P0Y1M", 0, false},
		{"P106751DT23H47M16.854775807S", math.MaxInt64, true},
		{"-P106751DT23H47M16.854775808S", math.MinInt64, true},
		{"P106751DT23H47M16.854775808S", 0, false},
		{"P106752D", 0, false},
		{"PT9223372036854775807S", 0, false},
		{"P9223372036854775807D", 0, false},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		if err != nil {
			t.Fatalf("ParseDuration(%q): %v", tt.in, err)
		}
		got, ok := d.Std()
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseDuration(%q).Std() = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDurationFromStd(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "PT0S"},
		{time.Nanosecond, "PT0.000000001S"},
		{1500 * time.Millisecond, "PT1.5S"},
		{-1500 * time.Millisecond, "-PT1.5S"},
		{26*time.Hour + 30*time.Minute, "P1DT2H30M"},
		{48 * time.Hour, "P2D"},
		{math.MaxInt64, "P106751DT23H47M16.854775807S"},
		{math.MinInt64, "-P106751DT23H47M16.854775808S"},
	}
	for _, tt := range tests {
		d := DurationFromStd(tt.d)
		if got := d.String(); got != tt.want {
			t.Errorf("DurationFromStd(%v) = %q, want %q", tt.d, got, tt.want)
		}
		back, ok := d.Std()
		if !ok || back != tt.d {
			t.Errorf("DurationFromStd(%v).Std() = %v, %v", tt.d, back, ok)
		}
	}
}

func TestDurationInvalidComponents(t *testing.T) {
	for _, d := range []Duration{
		{Days: -1},
		{Seconds: 1, Nanoseconds: -5},
		{Nanoseconds: int32(time.Second)},
	} {
		_, err := d.MarshalText()
		xsdCheckErr(t, d.String(), err, errors.InvalidArgument, "xsd:duration")
		_, err = d.AppendText(nil)
		xsdCheckErr(t, d.String(), err, errors.InvalidArgument, "xsd:duration")
	}
	if s := (Duration{Days: -1}).String(); s != "P-1D" {
		t.Errorf("String of a negative component = %q, want P-1D", s)
	}
	if s := (Duration{Seconds: 1, Nanoseconds: -5}).String(); s != "PT1S(Nanoseconds -5)" {
		t.Errorf("String of negative nanoseconds = %q", s)
	}
}

func TestDurationAllocs(t *testing.T) {
	in := []byte("P1Y2M3DT4H5M6.7S")
	var d Duration
	if n := testing.AllocsPerRun(100, func() { _ = d.UnmarshalText(in) }); n != 0 {
		t.Errorf("UnmarshalText allocates %v times, want 0", n)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf, _ = d.AppendText(buf[:0]) }); n != 0 {
		t.Errorf("AppendText allocates %v times, want 0", n)
	}
}

func BenchmarkDurationParse(b *testing.B) {
	in := []byte("P1Y2M3DT4H5M6.7S")
	var d Duration
	b.ReportAllocs()
	for b.Loop() {
		if err := d.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}
