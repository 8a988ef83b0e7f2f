package serialize

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// xsdOffset returns the zone offset of t in seconds.
func xsdOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

func TestDateTimeParse(t *testing.T) {
	tests := []struct {
		in, want string // want "" means the same as in
		year     int
		month    time.Month
		day      int
		hour     int
		min      int
		sec      int
		nsec     int
		offset   int // seconds; checked unless zoneless
		utc      bool
		zoneless bool
	}{
		{"2024-05-01T10:30:00", "", 2024, 5, 1, 10, 30, 0, 0, 0, false, true},
		{"2024-05-01T10:30:00Z", "", 2024, 5, 1, 10, 30, 0, 0, 0, true, false},
		{"2024-05-01T10:30:00+05:30", "", 2024, 5, 1, 10, 30, 0, 0, 19800, false, false},
		{"2024-05-01T10:30:00-03:00", "", 2024, 5, 1, 10, 30, 0, 0, -10800, false, false},
		{"2024-05-01T10:30:00+00:00", "", 2024, 5, 1, 10, 30, 0, 0, 0, false, false},
		{"2024-05-01T10:30:00-00:00", "2024-05-01T10:30:00+00:00", 2024, 5, 1, 10, 30, 0, 0, 0, false, false},
		{"2024-05-01T10:30:00+14:00", "", 2024, 5, 1, 10, 30, 0, 0, 14 * 3600, false, false},
		{"2024-05-01T10:30:00-14:00", "", 2024, 5, 1, 10, 30, 0, 0, -14 * 3600, false, false},
		{"2024-05-01T10:30:00.5Z", "", 2024, 5, 1, 10, 30, 0, 500_000_000, 0, true, false},
		{"2024-05-01T10:30:00.500Z", "2024-05-01T10:30:00.5Z", 2024, 5, 1, 10, 30, 0, 500_000_000, 0, true, false},
		{"2024-05-01T10:30:00.000Z", "2024-05-01T10:30:00Z", 2024, 5, 1, 10, 30, 0, 0, 0, true, false},
		{"2024-05-01T10:30:00.123456789", "", 2024, 5, 1, 10, 30, 0, 123456789, 0, false, true},
		{"2024-05-01T10:30:00.1234567891234", "2024-05-01T10:30:00.123456789", 2024, 5, 1, 10, 30, 0, 123456789, 0, false, true},
		{"2024-05-01T10:30:00.0000001", "", 2024, 5, 1, 10, 30, 0, 100, 0, false, true}, // one .NET tick
		{" \n2024-05-01T10:30:00Z\t", "2024-05-01T10:30:00Z", 2024, 5, 1, 10, 30, 0, 0, 0, true, false},
		{"2024-02-29T00:00:00Z", "", 2024, 2, 29, 0, 0, 0, 0, 0, true, false},
		{"2000-02-29T00:00:00Z", "", 2000, 2, 29, 0, 0, 0, 0, 0, true, false},
		{"2024-12-31T23:59:59.999999999Z", "", 2024, 12, 31, 23, 59, 59, 999999999, 0, true, false},
		{"2024-12-31T24:00:00Z", "2025-01-01T00:00:00Z", 2025, 1, 1, 0, 0, 0, 0, 0, true, false},
		{"2024-02-28T24:00:00.000+01:00", "2024-02-29T00:00:00+01:00", 2024, 2, 29, 0, 0, 0, 0, 3600, false, false},
		{"0001-01-01T00:00:00Z", "", 1, 1, 1, 0, 0, 0, 0, 0, true, false},
		{"9999-12-31T23:59:59Z", "", 9999, 12, 31, 23, 59, 59, 0, 0, true, false},
		{"12345-06-07T08:09:10Z", "", 12345, 6, 7, 8, 9, 10, 0, 0, true, false},
		{"-0001-01-01T00:00:00Z", "", 0, 1, 1, 0, 0, 0, 0, 0, true, false}, // 1 BCE
		{"-0001-02-29T00:00:00", "", 0, 2, 29, 0, 0, 0, 0, 0, false, true}, // 1 BCE is a leap year
		{"-0044-03-15T12:00:00Z", "", -43, 3, 15, 12, 0, 0, 0, 0, true, false},
		{"-123456789-01-01T00:00:00Z", "", -123456788, 1, 1, 0, 0, 0, 0, 0, true, false},
		{"999999999-12-31T23:59:59Z", "", 999999999, 12, 31, 23, 59, 59, 0, 0, true, false},
	}
	for _, tt := range tests {
		d, err := ParseDateTime(tt.in)
		if err != nil {
			t.Errorf("ParseDateTime(%q): %v", tt.in, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := d.String(); got != want {
			t.Errorf("ParseDateTime(%q).String() = %q, want %q", tt.in, got, want)
		}
		y, mo, da := d.T.Date()
		h, mi, s := d.T.Clock()
		if y != tt.year || mo != tt.month || da != tt.day || h != tt.hour || mi != tt.min || s != tt.sec || d.T.Nanosecond() != tt.nsec {
			t.Errorf("ParseDateTime(%q).T = %v, want %d-%d-%d %d:%d:%d.%09d", tt.in, d.T, tt.year, tt.month, tt.day, tt.hour, tt.min, tt.sec, tt.nsec)
		}
		if d.Zoneless != tt.zoneless {
			t.Errorf("ParseDateTime(%q).Zoneless = %v", tt.in, d.Zoneless)
		}
		if (d.T.Location() == time.UTC) != (tt.utc || tt.zoneless) {
			t.Errorf("ParseDateTime(%q) location %v, want UTC %v", tt.in, d.T.Location(), tt.utc || tt.zoneless)
		}
		if off := xsdOffset(d.T); off != tt.offset {
			t.Errorf("ParseDateTime(%q) offset %d, want %d", tt.in, off, tt.offset)
		}
		// The plain time.Time helper reads the same instant.
		pt, err := parseDateTime([]byte(tt.in))
		if err != nil || !pt.Equal(d.T) {
			t.Errorf("parseDateTime(%q) = %v, %v; want %v", tt.in, pt, err, d.T)
		}
	}
}

func TestDateTimeParseInvalid(t *testing.T) {
	tests := []struct {
		in   string
		code errors.Code
		msg  string
	}{
		{"", errors.InvalidFormat, "want yyyy-mm-dd"},
		{"2023-02-29T00:00:00Z", errors.InvalidFormat, "day 29 is not in February"},
		{"1900-02-29T00:00:00Z", errors.InvalidFormat, "day 29"},
		{"2024-04-31T00:00:00Z", errors.InvalidFormat, "day 31"},
		{"2024-01-32T00:00:00Z", errors.InvalidFormat, "day 32"},
		{"2024-01-00T00:00:00Z", errors.InvalidFormat, "day 0"},
		{"2024-13-01T00:00:00Z", errors.InvalidFormat, "month 13"},
		{"2024-00-01T00:00:00Z", errors.InvalidFormat, "month 0"},
		{"0000-01-01T00:00:00Z", errors.InvalidFormat, "year 0000"},
		{"-0000-01-01T00:00:00Z", errors.InvalidFormat, "year 0000"},
		{"01234-01-01T00:00:00Z", errors.InvalidFormat, ""},
		{"999-01-01T00:00:00Z", errors.InvalidFormat, ""},
		{"+2024-01-01T00:00:00Z", errors.InvalidFormat, ""},
		{"--2024-01-01T00:00:00Z", errors.InvalidFormat, ""},
		{"1234567890-01-01T00:00:00Z", errors.NumericOverflow, "beyond 9 digits"},
		{"-1234567890-01-01T00:00:00Z", errors.NumericOverflow, "beyond 9 digits"},
		{"2024-1-01T00:00:00Z", errors.InvalidFormat, ""},
		{"2024-01-1T00:00:00Z", errors.InvalidFormat, ""},
		{"2024-01-01", errors.InvalidFormat, ""},
		{"2024-01-01T", errors.InvalidFormat, ""},
		{"2024-01-01 00:00:00", errors.InvalidFormat, ""},
		{"2024-01-01t00:00:00", errors.InvalidFormat, ""},
		{"2024-01-01T00:00", errors.InvalidFormat, ""},
		{"2024-01-01T0:00:00", errors.InvalidFormat, ""},
		{"2024-01-01T25:00:00", errors.InvalidFormat, "hour 25"},
		{"2024-01-01T24:00:01", errors.InvalidFormat, "24:00:00"},
		{"2024-01-01T24:01:00", errors.InvalidFormat, "24:00:00"},
		{"2024-01-01T24:00:00.1", errors.InvalidFormat, "24:00:00"},
		{"2024-01-01T23:60:00", errors.InvalidFormat, "minute 60"},
		{"2024-01-01T23:59:60", errors.InvalidFormat, "second 60"},
		{"2024-01-01T00:00:00.", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00.Z", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00,5", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00z", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00+14:01", errors.InvalidFormat, "-14:00 to +14:00"},
		{"2024-01-01T00:00:00-14:01", errors.InvalidFormat, "-14:00 to +14:00"},
		{"2024-01-01T00:00:00+15:00", errors.InvalidFormat, "-14:00 to +14:00"},
		{"2024-01-01T00:00:00+05:60", errors.InvalidFormat, "-14:00 to +14:00"},
		{"2024-01-01T00:00:00+0530", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00+05", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00+5:30", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00Z ", errors.OK, ""},
		{"2024-01-01T00:00:00ZZ", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00Z+01:00", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00 Z", errors.InvalidFormat, ""},
		{"2024-01-01T00:00:00GMT", errors.InvalidFormat, ""},
		{"２０２４-01-01T00:00:00Z", errors.InvalidFormat, ""},
	}
	for _, tt := range tests {
		d := NewDateTime(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		err := d.UnmarshalText([]byte(tt.in))
		xsdCheckErr(t, tt.in, err, tt.code, tt.msg)
		if err != nil {
			if !strings.Contains(err.Error(), "xsd:dateTime") {
				t.Errorf("%q: message %q does not name xsd:dateTime", tt.in, err)
			}
			if d != NewDateTime(2000, 1, 1, 0, 0, 0, 0, time.UTC) {
				t.Errorf("%q: UnmarshalText changed the value on error", tt.in)
			}
		}
		_, err = parseDateTime([]byte(tt.in))
		xsdCheckErr(t, tt.in, err, tt.code, tt.msg)
	}
}

func TestDateParse(t *testing.T) {
	valid := []struct {
		in, want string
		zoneless bool
		offset   int
	}{
		{"2024-02-29", "", true, 0},
		{"2024-02-29Z", "", false, 0},
		{"2024-02-29+05:30", "", false, 19800},
		{"2024-02-29-14:00", "", false, -14 * 3600},
		{"-0001-12-31", "", true, 0},
		{"20240-02-29", "", true, 0},
		{"\t2024-02-29Z ", "2024-02-29Z", false, 0},
	}
	for _, tt := range valid {
		d, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if d.String() != want || d.Zoneless != tt.zoneless || xsdOffset(d.T) != tt.offset {
			t.Errorf("ParseDate(%q) = %q zoneless %v offset %d", tt.in, d.String(), d.Zoneless, xsdOffset(d.T))
		}
		if h, m, s := d.T.Clock(); h != 0 || m != 0 || s != 0 || d.T.Nanosecond() != 0 {
			t.Errorf("ParseDate(%q).T = %v, want midnight", tt.in, d.T)
		}
	}
	for _, in := range []string{
		"2023-02-29", "2100-02-29", "2024-02-30", "2024-06-31", "0000-01-01", "2024-02-29T00:00:00",
		"2024-02-29+14:01", "2024-02-29 ", "2024/02/29", "24-02-29", "",
	} {
		_, err := ParseDate(in)
		if strings.TrimSpace(in) != in && len(in) > 0 {
			xsdCheckErr(t, in, err, errors.OK, "")
			continue
		}
		xsdCheckErr(t, in, err, errors.InvalidFormat, "xsd:date")
	}
	if d := NewDate(2024, time.February, 29, nil); d.String() != "2024-02-29" || !d.Zoneless {
		t.Errorf("NewDate(nil zone) = %v", d)
	}
	if d := NewDate(2024, time.February, 29, time.UTC); d.String() != "2024-02-29Z" {
		t.Errorf("NewDate(UTC) = %v", d)
	}
}

func TestTimeParse(t *testing.T) {
	valid := []struct {
		in, want string
		hour     int
		zoneless bool
	}{
		{"10:30:00", "", 10, true},
		{"10:30:00Z", "", 10, false},
		{"10:30:00.25-05:00", "", 10, false},
		{"00:00:00+14:00", "", 0, false},
		{"23:59:59.999999999", "", 23, true},
		{"24:00:00", "00:00:00", 0, true},
		{"24:00:00.000Z", "00:00:00Z", 0, false},
	}
	for _, tt := range valid {
		d, err := ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if d.String() != want || d.Zoneless != tt.zoneless || d.T.Hour() != tt.hour {
			t.Errorf("ParseTime(%q) = %q zoneless %v hour %d", tt.in, d.String(), d.Zoneless, d.T.Hour())
		}
		if y, m, day := d.T.Date(); y != 0 || m != time.January || day != 1 {
			t.Errorf("ParseTime(%q).T = %v, want a clock reading on 0000-01-01", tt.in, d.T)
		}
	}
	for _, in := range []string{
		"24:00:01", "25:00:00", "12:60:00", "12:00:60", "12:00", "12:00:00.", "2024-01-01T12:00:00",
		"12:00:00+14:30", "1:00:00", "",
	} {
		_, err := ParseTime(in)
		xsdCheckErr(t, in, err, errors.InvalidFormat, "xsd:time")
	}
	if d := NewTime(9, 5, 7, 1000, nil); d.String() != "09:05:07.000001" || !d.Zoneless {
		t.Errorf("NewTime(nil zone) = %v", d)
	}
	ist := time.FixedZone("IST", 19800)
	if d := NewTime(9, 5, 7, 0, ist); d.String() != "09:05:07+05:30" {
		t.Errorf("NewTime(IST) = %v", d)
	}
}

func TestDateTimeWriteZones(t *testing.T) {
	odd := time.FixedZone("LMT", 3600+30) // an offset with seconds
	far := time.FixedZone("far", 15*3600) // beyond ±14:00
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600) // no tzdata on this machine; the offset is what counts
	}
	base := time.Date(2024, 1, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		d    DateTime
		want string
	}{
		{DateTime{T: base}, "2024-01-15T10:00:00Z"},
		{DateTime{T: base, Zoneless: true}, "2024-01-15T10:00:00"},
		{DateTime{T: base.In(time.FixedZone("", 0))}, "2024-01-15T10:00:00+00:00"},
		{DateTime{T: base.In(ny)}, "2024-01-15T05:00:00-05:00"},
		{DateTime{T: base.In(ny), Zoneless: true}, "2024-01-15T05:00:00"}, // the clock reading, as documented
		{DateTime{T: base.In(odd)}, "2024-01-15T10:00:00Z"},
		{DateTime{T: base.In(far)}, "2024-01-15T10:00:00Z"},
		{DateTime{}, "0001-01-01T00:00:00Z"},
		{NewDateTime(0, 3, 1, 0, 0, 0, 0, time.UTC), "-0001-03-01T00:00:00Z"},
		{NewDateTime(-1, 3, 1, 0, 0, 0, 0, nil), "-0002-03-01T00:00:00"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String(%v) = %q, want %q", tt.d.T, got, tt.want)
		}
		b, err := tt.d.MarshalText()
		if err != nil || string(b) != tt.want {
			t.Errorf("MarshalText(%v) = %q, %v", tt.d.T, b, err)
		}
		back, err := ParseDateTime(tt.want)
		if err != nil || !back.T.Equal(tt.d.T) && !tt.d.Zoneless {
			t.Errorf("ParseDateTime(%q) = %v, %v; want the instant %v", tt.want, back.T, err, tt.d.T)
		}
	}
	if got := (Date{T: time.Date(2024, 1, 1, 0, 0, 0, 0, odd)}).String(); got != "2023-12-31Z" {
		t.Errorf("Date in an unwritable zone = %q, want the UTC reading 2023-12-31Z", got)
	}
}

// TestDateTimeAppendMatchesStd checks appendDateTime and parseDateTime against
// time.Time's own RFC 3339 text for years 1..9999.
func TestDateTimeAppendMatchesStd(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := []*time.Location{time.UTC, time.FixedZone("", 0), time.FixedZone("A", 19800),
		time.FixedZone("B", -9*3600-30*60), time.FixedZone("C", 14*3600), time.FixedZone("D", -14*3600)}
	lo := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	for i := range 2000 {
		sec := lo + rng.Int64N(hi-lo)
		var ns int64
		switch i % 4 {
		case 1:
			ns = rng.Int64N(1e9)
		case 2:
			ns = rng.Int64N(1000) * 1e6
		}
		tm := time.Unix(sec, ns).In(zones[i%len(zones)])
		want, err := tm.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		got := appendDateTime(nil, tm)
		if string(got) != string(want) {
			t.Fatalf("appendDateTime(%v) = %s, time.MarshalText = %s", tm, got, want)
		}
		back, err := parseDateTime(got)
		if err != nil || !back.Equal(tm) || xsdOffset(back) != xsdOffset(tm) {
			t.Fatalf("parseDateTime(%s) = %v, %v; want %v", got, back, err, tm)
		}
		// time.Time reads what DateTime writes.
		var std time.Time
		s := DateTime{T: tm}.String()
		if err := std.UnmarshalText([]byte(s)); err != nil || !std.Equal(tm) {
			t.Fatalf("time.UnmarshalText(%s) = %v, %v; want %v", s, std, err, tm)
		}
	}
	odd := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("LMT", -(4*3600+56*60+2)))
	if got := string(appendDateTime(nil, odd)); got != "2024-01-01T04:56:02Z" {
		t.Errorf("appendDateTime in an offset with seconds = %s", got)
	}
	if got := string(appendDateTime(nil, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))); got != "-0001-01-01T00:00:00Z" {
		t.Errorf("appendDateTime of year 0 = %s", got)
	}
}

func TestDateTimeAllocs(t *testing.T) {
	var d DateTime
	for _, in := range []string{"2024-05-01T10:30:00.125Z", "2024-05-01T10:30:00", "2024-05-01T10:30:00+05:30"} {
		b := []byte(in)
		if err := d.UnmarshalText(b); err != nil { // warms the zone cache
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = d.UnmarshalText(b) }); n != 0 {
			t.Errorf("DateTime.UnmarshalText(%s) allocates %v times, want 0", in, n)
		}
		if n := testing.AllocsPerRun(100, func() { _, _ = parseDateTime(b) }); n != 0 {
			t.Errorf("parseDateTime(%s) allocates %v times, want 0", in, n)
		}
		buf := make([]byte, 0, 64)
		if n := testing.AllocsPerRun(100, func() { buf, _ = d.AppendText(buf[:0]) }); n != 0 {
			t.Errorf("DateTime.AppendText(%s) allocates %v times, want 0", in, n)
		}
		if n := testing.AllocsPerRun(100, func() { buf = appendDateTime(buf[:0], d.T) }); n != 0 {
			t.Errorf("appendDateTime(%s) allocates %v times, want 0", in, n)
		}
	}
}

func TestDateTimeZoneCacheConcurrent(t *testing.T) {
	done := make(chan *time.Location, 8)
	for range cap(done) {
		go func() {
			d, err := ParseDateTime("2024-05-01T10:30:00-09:17")
			if err != nil {
				t.Error(err)
			}
			done <- d.T.Location()
		}()
	}
	first := <-done
	for range cap(done) - 1 {
		if loc := <-done; loc != first {
			t.Errorf("zone cache returned two locations for -09:17")
		}
	}
	if first.String() != "-09:17" {
		t.Errorf("zone name %q, want -09:17", first.String())
	}
}

func FuzzDateTime(f *testing.F) {
	for _, s := range []string{
		"2024-05-01T10:30:00", "2024-02-29T24:00:00.000+05:30", "-0001-01-01T00:00:00Z",
		"2024-05-01T10:30:00.1234567891-14:00", "12345-12-31T23:59:59.5Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDateTime(s)
		if err != nil {
			if c := errors.CodeOf(err); c != errors.InvalidFormat && c != errors.NumericOverflow {
				t.Fatalf("ParseDateTime(%q) error code %v", s, c)
			}
			return
		}
		out := d.String()
		back, err := ParseDateTime(out)
		if err != nil {
			t.Fatalf("ParseDateTime(%q) → %q does not parse: %v", s, out, err)
		}
		if !back.T.Equal(d.T) || back.Zoneless != d.Zoneless || xsdOffset(back.T) != xsdOffset(d.T) ||
			(back.T.Location() == time.UTC) != (d.T.Location() == time.UTC) || back.String() != out {
			t.Fatalf("ParseDateTime(%q) = %v → %q → %v: not the same value", s, d, out, back)
		}
	})
}

func BenchmarkDateTimeParse(b *testing.B) {
	in := []byte("2024-05-01T10:30:00.125+05:30")
	var d DateTime
	b.ReportAllocs()
	for b.Loop() {
		if err := d.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDateTimeAppend(b *testing.B) {
	d, _ := ParseDateTime("2024-05-01T10:30:00.125+05:30")
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = d.AppendText(buf[:0])
	}
}

// BenchmarkDateTimeStdParse is the standard library's RFC 3339 reader, for
// comparison with BenchmarkDateTimeParse.
func BenchmarkDateTimeStdParse(b *testing.B) {
	in := []byte("2024-05-01T10:30:00.125+05:30")
	var t time.Time
	b.ReportAllocs()
	for b.Loop() {
		if err := t.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}
