package serialize

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

func TestDecimalParse(t *testing.T) {
	tests := []struct {
		in, want string // want "" means the same as in
		scale    int32
	}{
		{"0", "", 0},
		{"1", "", 0},
		{"-1", "", 0},
		{"1.50", "", 2},
		{"-1.50", "", 2},
		{"+1.5", "1.5", 1},
		{"007.50", "7.50", 2},
		{".5", "0.5", 1},
		{"-.5", "-0.5", 1},
		{"5.", "5", 0},
		{"0.000", "", 3},
		{"-0", "0", 0},
		{"-0.00", "0.00", 2},
		{"0.001", "", 3},
		{" \n12345.67\t", "12345.67", 2},
		{"9223372036854775807", "", 0},
		{"-9223372036854775808", "", 0},
		{"9223372036854775808", "", 0},
		{"-9223372036854775809", "", 0},
		{"922337203685477580.8", "", 1},
		{"1234567890123456789012345678901234567890", "", 0},                      // 40 digits
		{"-1234567890123456789012345678901234567890", "", 0},                     // 40 digits
		{"0.1234567890123456789012345678901234567890", "", 40},                   // 40 fraction digits
		{"12345678901234567890.12345678901234567890", "", 20},                    // 40 digits
		{"0.0000000000000000000000000000000000000001", "", 40},                   // small coefficient, big scale
		{"-000000000000000000000000000000000000000000001.0", "-1.0", 1},          // leading zeros do not overflow
		{"79228162514264337593543950335", "", 0},                                 // .NET decimal.MaxValue
		{"79228162514264337593543950336", "", 0},                                 // one beyond it
		{"0.0000000000000000000000000000000000000000000000000000000001", "", 58}, // beyond .NET's scale 28
	}
	for _, tt := range tests {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		d, err := ParseDecimal(tt.in)
		if err != nil {
			t.Errorf("ParseDecimal(%q): %v", tt.in, err)
			continue
		}
		if got := d.String(); got != want {
			t.Errorf("ParseDecimal(%q).String() = %q, want %q", tt.in, got, want)
		}
		if d.Scale() != tt.scale {
			t.Errorf("ParseDecimal(%q).Scale() = %d, want %d", tt.in, d.Scale(), tt.scale)
		}
		// The value agrees with big.Rat's reading of the same text.
		r, ok := new(big.Rat).SetString(strings.TrimSpace(tt.in))
		if !ok {
			t.Fatalf("big.Rat cannot parse %q", tt.in)
		}
		if d.Rat().Cmp(r) != 0 {
			t.Errorf("ParseDecimal(%q).Rat() = %v, want %v", tt.in, d.Rat(), r)
		}
		if d.Sign() != r.Sign() || d.IsZero() != (r.Sign() == 0) {
			t.Errorf("ParseDecimal(%q): Sign %d IsZero %v, want sign %d", tt.in, d.Sign(), d.IsZero(), r.Sign())
		}
	}
}

func TestDecimalParseInvalid(t *testing.T) {
	for _, in := range []string{
		"", " ", "+", "-", ".", "+.", "-.", "1e3", "1E3", "1.5e-2", "INF", "-INF", "NaN",
		"1,5", "1.2.3", "--1", "+-1", "1-", "1 2", "0x10", "1_000", "١", "½", "1.5\x00",
	} {
		_, err := ParseDecimal(in)
		xsdCheckErr(t, in, err, errors.InvalidFormat, "xsd:decimal")
		var d Decimal = MustParseDecimal("4.2")
		err = d.UnmarshalText([]byte(in))
		xsdCheckErr(t, in, err, errors.InvalidFormat, "xsd:decimal")
		if d.String() != "4.2" {
			t.Errorf("UnmarshalText(%q) changed the value on error to %v", in, d)
		}
	}
}

func TestDecimalNew(t *testing.T) {
	tests := []struct {
		coef  int64
		scale int32
		want  string
	}{
		{0, 0, "0"},
		{150, 2, "1.50"},
		{-150, 2, "-1.50"},
		{5, 3, "0.005"},
		{-5, 3, "-0.005"},
		{15, -2, "1500"},
		{-15, -2, "-1500"},
		{math.MaxInt64, 0, "9223372036854775807"},
		{math.MinInt64, 0, "-9223372036854775808"},
		{math.MinInt64, 19, "-0.9223372036854775808"},
		{math.MaxInt64, -1, "92233720368547758070"},
		{math.MinInt64, -20, "-922337203685477580800000000000000000000"},
		{1, -18, "1000000000000000000"},
		{0, -50, "0"},
	}
	for _, tt := range tests {
		d := NewDecimal(tt.coef, tt.scale)
		if got := d.String(); got != tt.want {
			t.Errorf("NewDecimal(%d, %d) = %q, want %q", tt.coef, tt.scale, got, tt.want)
		}
		if d.Scale() < 0 {
			t.Errorf("NewDecimal(%d, %d) has negative scale %d", tt.coef, tt.scale, d.Scale())
		}
	}
	var zero Decimal
	if zero.String() != "0" || !zero.IsZero() || zero.Sign() != 0 || zero.Cmp(MustParseDecimal("0.000")) != 0 {
		t.Errorf("zero Decimal = %q, IsZero %v", zero.String(), zero.IsZero())
	}
}

func TestDecimalCmp(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.5", "1.50", 0},
		{"1.5", "1.49", 1},
		{"-1.5", "-1.49", -1},
		{"0", "-0.000", 0},
		{"0", "0.0000000000000000000000000000001", -1},
		{"-0.0000000000000000000000000000001", "0", -1},
		{"1", "-1", 1},
		{"100", "99.999999999999999999999999999999", 1},
		{"9223372036854775807", "9223372036854775808", -1},
		{"9223372036854775808", "9223372036854775808.000", 0},
		{"92233720368547758.07", "9223372036854775807", -1}, // aligning overflows int64
		{"1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890.0", 0},
		{"-1234567890123456789012345678901234567891", "-1234567890123456789012345678901234567890", -1},
		{"0.1", "0.10000000000000000000000000000000000000001", -1},
	}
	for _, tt := range tests {
		a, b := MustParseDecimal(tt.a), MustParseDecimal(tt.b)
		if got := a.Cmp(b); got != tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.Cmp(a); got != -tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if got := a.Rat().Cmp(b.Rat()); got != tt.want {
			t.Errorf("Rat Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestDecimalFromRat(t *testing.T) {
	tests := []struct {
		num, den int64
		scale    int32
		want     string
	}{
		{5, 2, 0, "2"},   // 2.5 → 2 (half to even)
		{7, 2, 0, "4"},   // 3.5 → 4
		{-5, 2, 0, "-2"}, // -2.5 → -2
		{-7, 2, 0, "-4"}, // -3.5 → -4
		{1, 3, 4, "0.3333"},
		{2, 3, 4, "0.6667"},
		{-2, 3, 4, "-0.6667"},
		{1, 8, 2, "0.12"}, // 0.125 → 0.12
		{3, 8, 2, "0.38"}, // 0.375 → 0.38
		{-1, 3, 0, "0"},
		{-2, 3, 0, "-1"},
		{3, 2, 3, "1.500"},
		{0, 1, 2, "0.00"},
	}
	for _, tt := range tests {
		d, err := DecimalFromRat(big.NewRat(tt.num, tt.den), tt.scale)
		if err != nil {
			t.Errorf("DecimalFromRat(%d/%d, %d): %v", tt.num, tt.den, tt.scale, err)
			continue
		}
		if got := d.String(); got != tt.want {
			t.Errorf("DecimalFromRat(%d/%d, %d) = %s, want %s", tt.num, tt.den, tt.scale, got, tt.want)
		}
	}
	// Beyond int64.
	r, _ := new(big.Rat).SetString("123456789012345678901234567890.123456789")
	d, err := DecimalFromRat(r, 5)
	if err != nil || d.String() != "123456789012345678901234567890.12346" {
		t.Errorf("DecimalFromRat(big, 5) = %v, %v", d, err)
	}
	// Exact round trip through Rat.
	x := MustParseDecimal("-98765432109876543210.0123456789")
	y, err := DecimalFromRat(x.Rat(), x.Scale())
	if err != nil || y.String() != x.String() {
		t.Errorf("DecimalFromRat(Rat()) = %v, %v; want %v", y, err, x)
	}

	_, err = DecimalFromRat(nil, 2)
	xsdCheckErr(t, "nil", err, errors.InvalidArgument, "nil")
	_, err = DecimalFromRat(big.NewRat(1, 2), -1)
	xsdCheckErr(t, "scale -1", err, errors.InvalidArgument, "negative")
}

func TestDecimalFloat64(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"0", 0},
		{"1.5", 1.5},
		{"-0.1", -0.1},
		{"12345.67", 12345.67},
		{"0.30000000000000004", 0.30000000000000004},
		{"9007199254740993", 9007199254740992}, // 2^53+1 rounds to even
		{"1234567890123456789012345678901234567890", 1.2345678901234568e39},
		{"0.0000000000000000000000000000001", 1e-31},
		{"1" + strings.Repeat("0", 400), math.Inf(1)},
	}
	for _, tt := range tests {
		if got := MustParseDecimal(tt.in).Float64(); got != tt.want {
			t.Errorf("Float64(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDecimalText(t *testing.T) {
	for _, s := range []string{"0", "1.50", "-0.005", "1234567890123456789012345678901234567890.5"} {
		d := MustParseDecimal(s)
		b, err := d.MarshalText()
		if err != nil || string(b) != s {
			t.Errorf("MarshalText(%s) = %q, %v", s, b, err)
		}
		b, err = d.AppendText([]byte("x="))
		if err != nil || string(b) != "x="+s {
			t.Errorf("AppendText(%s) = %q, %v", s, b, err)
		}
		var back Decimal
		if err := back.UnmarshalText(b[2:]); err != nil || back.String() != s {
			t.Errorf("UnmarshalText(%s) = %v, %v", s, back, err)
		}
	}
}

func TestDecimalMustParsePanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || errors.CodeOf(r.(error)) != errors.InvalidFormat {
			t.Errorf("MustParseDecimal(1e3) recovered %v, want an InvalidFormat error", r)
		}
	}()
	MustParseDecimal("1e3")
}

func TestDecimalAllocs(t *testing.T) {
	in := []byte("12345.67")
	var d Decimal
	if n := testing.AllocsPerRun(100, func() { _ = d.UnmarshalText(in) }); n != 0 {
		t.Errorf("UnmarshalText(%s) allocates %v times, want 0", in, n)
	}
	buf := make([]byte, 0, 32)
	if n := testing.AllocsPerRun(100, func() { buf, _ = d.AppendText(buf[:0]) }); n != 0 {
		t.Errorf("AppendText allocates %v times, want 0", n)
	}
	e := MustParseDecimal("12345.670")
	if n := testing.AllocsPerRun(100, func() { _ = d.Cmp(e) }); n != 0 {
		t.Errorf("Cmp allocates %v times, want 0", n)
	}
}

func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"0", "1.50", "-.5", "+007.", "12345678901234567890.123", "1e3", " 4 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if c := errors.CodeOf(err); c != errors.InvalidFormat && c != errors.NumericOverflow {
				t.Fatalf("ParseDecimal(%q) error code %v", s, c)
			}
			return
		}
		out := d.String()
		back, err := ParseDecimal(out)
		if err != nil {
			t.Fatalf("ParseDecimal(%q) → %q does not parse: %v", s, out, err)
		}
		if back.Cmp(d) != 0 || back.Scale() != d.Scale() || back.String() != out {
			t.Fatalf("ParseDecimal(%q) → %q → %q: not the same value", s, out, back)
		}
		// big.Rat reads the same value from the (trimmed) input.
		if r, ok := new(big.Rat).SetString(strings.Trim(s, " \t\r\n")); ok && r.Cmp(d.Rat()) != 0 {
			t.Fatalf("ParseDecimal(%q) = %v, big.Rat says %v", s, d.Rat(), r)
		}
	})
}

func BenchmarkDecimalParse(b *testing.B) {
	in := []byte("12345.67")
	var d Decimal
	b.ReportAllocs()
	for b.Loop() {
		if err := d.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecimalAppend(b *testing.B) {
	d := MustParseDecimal("-12345.67")
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = d.AppendText(buf[:0])
	}
}

func BenchmarkDecimalParseBig(b *testing.B) {
	in := []byte("1234567890123456789012345678901234567890.12")
	var d Decimal
	b.ReportAllocs()
	for b.Loop() {
		if err := d.UnmarshalText(in); err != nil {
			b.Fatal(err)
		}
	}
}
