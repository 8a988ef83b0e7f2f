package serialize

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/wsgo/wsgo/errors"
)

// xsdCheckErr fails t unless err is an *errors.Error with the given code
// (errors.OK meaning no error) whose message quotes want (when not empty).
func xsdCheckErr(t *testing.T, input string, err error, code errors.Code, want string) {
	t.Helper()
	if code == errors.OK {
		if err != nil {
			t.Errorf("%q: unexpected error %v", input, err)
		}
		return
	}
	if err == nil {
		t.Errorf("%q: no error, want %v", input, code)
		return
	}
	var e *errors.Error
	if !errors.As(err, &e) {
		t.Errorf("%q: error %T %v is not an *errors.Error", input, err, err)
		return
	}
	if e.Code != code {
		t.Errorf("%q: code %v (%v), want %v", input, e.Code, err, code)
	}
	if want != "" && !strings.Contains(err.Error(), want) {
		t.Errorf("%q: message %q does not contain %q", input, err.Error(), want)
	}
}

func TestLexicalTrimSpace(t *testing.T) {
	for in, want := range map[string]string{
		"":               "",
		" \t\r\n":        "",
		" a b ":          "a b",
		"\n\t12\r\n":     "12",
		"x":              "x",
		"\u00a012\u00a0": "\u00a012\u00a0", // NBSP is not XML whitespace
	} {
		if got := string(trimSpace([]byte(in))); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLexicalParseBool(t *testing.T) {
	tests := []struct {
		in   string
		want bool
		code errors.Code
	}{
		{"true", true, errors.OK},
		{"false", false, errors.OK},
		{"1", true, errors.OK},
		{"0", false, errors.OK},
		{" \ttrue\n", true, errors.OK},
		{"True", false, errors.InvalidFormat},
		{"TRUE", false, errors.InvalidFormat},
		{"yes", false, errors.InvalidFormat},
		{"", false, errors.InvalidFormat},
		{"01", false, errors.InvalidFormat},
		{"t", false, errors.InvalidFormat},
	}
	for _, tt := range tests {
		got, err := parseBool([]byte(tt.in))
		xsdCheckErr(t, tt.in, err, tt.code, "xsd:boolean")
		if err == nil && got != tt.want {
			t.Errorf("parseBool(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLexicalParseInt(t *testing.T) {
	tests := []struct {
		in   string
		bits int
		want int64
		code errors.Code
	}{
		{"0", 8, 0, errors.OK},
		{"-0", 8, 0, errors.OK},
		{"+0", 8, 0, errors.OK},
		{"127", 8, 127, errors.OK},
		{"-128", 8, -128, errors.OK},
		{"128", 8, 0, errors.NumericOverflow},
		{"-129", 8, 0, errors.NumericOverflow},
		{"32767", 16, 32767, errors.OK},
		{"-32768", 16, -32768, errors.OK},
		{"32768", 16, 0, errors.NumericOverflow},
		{"-32769", 16, 0, errors.NumericOverflow},
		{"2147483647", 32, math.MaxInt32, errors.OK},
		{"-2147483648", 32, math.MinInt32, errors.OK},
		{"2147483648", 32, 0, errors.NumericOverflow},
		{"-2147483649", 32, 0, errors.NumericOverflow},
		{"9223372036854775807", 64, math.MaxInt64, errors.OK},
		{"-9223372036854775808", 64, math.MinInt64, errors.OK},
		{"9223372036854775808", 64, 0, errors.NumericOverflow},
		{"-9223372036854775809", 64, 0, errors.NumericOverflow},
		{"99999999999999999999999999", 64, 0, errors.NumericOverflow},
		{"000000000000000000000000000042", 8, 42, errors.OK},
		{"+42", 32, 42, errors.OK},
		{" \n-42\t", 32, -42, errors.OK},
		{"", 32, 0, errors.InvalidFormat},
		{"   ", 32, 0, errors.InvalidFormat},
		{"+", 32, 0, errors.InvalidFormat},
		{"-", 32, 0, errors.InvalidFormat},
		{"1.0", 32, 0, errors.InvalidFormat},
		{"1e3", 32, 0, errors.InvalidFormat},
		{"1_000", 32, 0, errors.InvalidFormat},
		{"0x10", 32, 0, errors.InvalidFormat},
		{"--1", 32, 0, errors.InvalidFormat},
		{"1 2", 32, 0, errors.InvalidFormat},
		{"١٢", 32, 0, errors.InvalidFormat}, // non-ASCII digits
		{"99999999999999999999x", 64, 0, errors.InvalidFormat},
	}
	for _, tt := range tests {
		got, err := parseInt([]byte(tt.in), tt.bits)
		xsdCheckErr(t, tt.in, err, tt.code, signedName(tt.bits))
		if err == nil && got != tt.want {
			t.Errorf("parseInt(%q, %d) = %d, want %d", tt.in, tt.bits, got, tt.want)
		}
	}
}

func TestLexicalParseUint(t *testing.T) {
	tests := []struct {
		in   string
		bits int
		want uint64
		code errors.Code
	}{
		{"0", 8, 0, errors.OK},
		{"-0", 8, 0, errors.OK},
		{"-000", 64, 0, errors.OK},
		{"+7", 8, 7, errors.OK},
		{"255", 8, 255, errors.OK},
		{"256", 8, 0, errors.NumericOverflow},
		{"-1", 8, 0, errors.NumericOverflow},
		{"65535", 16, 65535, errors.OK},
		{"65536", 16, 0, errors.NumericOverflow},
		{"4294967295", 32, math.MaxUint32, errors.OK},
		{"4294967296", 32, 0, errors.NumericOverflow},
		{"18446744073709551615", 64, math.MaxUint64, errors.OK},
		{"18446744073709551616", 64, 0, errors.NumericOverflow},
		{"-18446744073709551616", 64, 0, errors.NumericOverflow},
		{"", 8, 0, errors.InvalidFormat},
		{"-", 8, 0, errors.InvalidFormat},
		{"1a", 8, 0, errors.InvalidFormat},
	}
	for _, tt := range tests {
		got, err := parseUint([]byte(tt.in), tt.bits)
		xsdCheckErr(t, tt.in, err, tt.code, unsignedName(tt.bits))
		if err == nil && got != tt.want {
			t.Errorf("parseUint(%q, %d) = %d, want %d", tt.in, tt.bits, got, tt.want)
		}
	}
}

func TestLexicalOverflowMessage(t *testing.T) {
	_, err := parseUint([]byte("300"), 8)
	want := `value "300" overflows xsd:unsignedByte (0..255)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("parseUint(300, 8) error = %v, want it to contain %s", err, want)
	}
	_, err = parseInt([]byte("-129"), 8)
	want = `value "-129" overflows xsd:byte (-128..127)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("parseInt(-129, 8) error = %v, want it to contain %s", err, want)
	}
}

func TestLexicalQuoteTruncates(t *testing.T) {
	long := strings.Repeat("9", 200)
	_, err := parseInt([]byte(long), 64)
	if err == nil {
		t.Fatal("no error for 200 digits")
	}
	msg := err.Error()
	if strings.Contains(msg, long[:maxQuoted+1]) || !strings.Contains(msg, long[:maxQuoted]+`"...`) {
		t.Errorf("message not truncated to %d bytes: %s", maxQuoted, msg)
	}
	// A multi-byte rune straddling the cut is not split.
	s := strings.Repeat("a", maxQuoted-1) + "é" + "tail"
	q := quoteText(s)
	if want := strconv.Quote(strings.Repeat("a", maxQuoted-1)) + "..."; q != want {
		t.Errorf("quoteText cut inside a rune: %s, want %s", q, want)
	}
}

func TestLexicalBadBitSizePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("parseInt with bit size 12 did not panic")
		}
	}()
	_, _ = parseInt([]byte("1"), 12)
}

func TestLexicalParseFloat(t *testing.T) {
	tests := []struct {
		in   string
		bits int
		want float64
		code errors.Code
	}{
		{"0", 64, 0, errors.OK},
		{"-0", 64, math.Copysign(0, -1), errors.OK},
		{"1.5", 64, 1.5, errors.OK},
		{"+1.5", 64, 1.5, errors.OK},
		{".5", 64, 0.5, errors.OK},
		{"5.", 64, 5, errors.OK},
		{"1e3", 64, 1000, errors.OK},
		{"1E3", 64, 1000, errors.OK},
		{"1.25E-2", 64, 0.0125, errors.OK},
		{"-1e+2", 64, -100, errors.OK},
		{" 12.5\n", 32, 12.5, errors.OK},
		{"INF", 64, math.Inf(1), errors.OK},
		{"+INF", 64, math.Inf(1), errors.OK},
		{"-INF", 32, math.Inf(-1), errors.OK},
		{"3.4028235E+38", 32, math.MaxFloat32, errors.OK},
		{"3.5E+38", 32, 0, errors.NumericOverflow},
		{"-3.5E+38", 32, 0, errors.NumericOverflow},
		{"3.5E+38", 64, 3.5e38, errors.OK},
		{"1.7976931348623157E+308", 64, math.MaxFloat64, errors.OK},
		{"1e400", 64, 0, errors.NumericOverflow},
		{"1e-400", 64, 0, errors.OK},
		{"1e-50", 32, 0, errors.OK},
		{"Inf", 64, 0, errors.InvalidFormat},
		{"inf", 64, 0, errors.InvalidFormat},
		{"infinity", 64, 0, errors.InvalidFormat},
		{"Infinity", 64, 0, errors.InvalidFormat},
		{"nan", 64, 0, errors.InvalidFormat},
		{"-NaN", 64, 0, errors.InvalidFormat},
		{"0x1p-2", 64, 0, errors.InvalidFormat},
		{"1_000", 64, 0, errors.InvalidFormat},
		{"", 64, 0, errors.InvalidFormat},
		{".", 64, 0, errors.InvalidFormat},
		{"e5", 64, 0, errors.InvalidFormat},
		{"1e", 64, 0, errors.InvalidFormat},
		{"1e+", 64, 0, errors.InvalidFormat},
		{"1,5", 64, 0, errors.InvalidFormat},
		{"1.5.", 64, 0, errors.InvalidFormat},
		{"+-1", 64, 0, errors.InvalidFormat},
	}
	for _, tt := range tests {
		got, err := parseFloat([]byte(tt.in), tt.bits)
		xsdCheckErr(t, tt.in, err, tt.code, floatName(tt.bits))
		if err != nil {
			continue
		}
		if got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("parseFloat(%q, %d) = %v, want %v", tt.in, tt.bits, got, tt.want)
		}
	}
	got, err := parseFloat([]byte("NaN"), 64)
	if err != nil || !math.IsNaN(got) {
		t.Errorf("parseFloat(NaN) = %v, %v", got, err)
	}
}

func TestLexicalAppendFloat(t *testing.T) {
	tests := []struct {
		f    float64
		bits int
		want string
	}{
		{0, 64, "0"},
		{math.Copysign(0, -1), 64, "-0"},
		{1.5, 64, "1.5"},
		{-2, 32, "-2"},
		{100000, 64, "100000"},
		{1e21, 64, "1E+21"},
		{1e-7, 64, "1E-07"},
		{0.1, 64, "0.1"},
		{float64(float32(0.1)), 32, "0.1"},
		{float64(float32(0.1)), 64, "0.10000000149011612"},
		{math.MaxFloat32, 32, "3.4028235E+38"},
		{math.MaxFloat64, 64, "1.7976931348623157E+308"},
		{math.SmallestNonzeroFloat64, 64, "5E-324"},
		{math.Inf(1), 64, "INF"},
		{math.Inf(-1), 32, "-INF"},
		{math.NaN(), 64, "NaN"},
	}
	for _, tt := range tests {
		got := string(appendFloat([]byte("x"), tt.f, tt.bits))
		if got != "x"+tt.want {
			t.Errorf("appendFloat(%v, %d) = %q, want %q", tt.f, tt.bits, got, "x"+tt.want)
		}
	}
}

// TestLexicalFloatRoundTrip checks that appendFloat's output parses back to
// the same value at both sizes.
func TestLexicalFloatRoundTrip(t *testing.T) {
	values := []float64{0, 1, -1, 0.1, 1.0 / 3, math.Pi, 6.02214076e23, 1.602176634e-19,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 123456789012345678}
	for _, bits := range []int{32, 64} {
		for _, v := range values {
			if bits == 32 {
				if math.Abs(v) > math.MaxFloat32 {
					continue
				}
				v = float64(float32(v))
			}
			s := appendFloat(nil, v, bits)
			got, err := parseFloat(s, bits)
			if err != nil || got != v {
				t.Errorf("bits %d: %v → %q → %v, %v", bits, v, s, got, err)
			}
		}
	}
}

func TestLexicalAllocs(t *testing.T) {
	intText := []byte(" -1234567 ")
	uintText := []byte("18446744073709551615")
	floatText := []byte("1.2345678E+10")
	boolText := []byte("true")
	buf := make([]byte, 0, 64)
	checks := []struct {
		name string
		f    func()
	}{
		{"parseInt", func() { _, _ = parseInt(intText, 32) }},
		{"parseUint", func() { _, _ = parseUint(uintText, 64) }},
		{"parseFloat", func() { _, _ = parseFloat(floatText, 64) }},
		{"parseFloat32", func() { _, _ = parseFloat(floatText, 32) }},
		{"parseBool", func() { _, _ = parseBool(boolText) }},
		{"appendFloat", func() { buf = appendFloat(buf[:0], 1.2345678e10, 64) }},
	}
	for _, c := range checks {
		if n := testing.AllocsPerRun(100, c.f); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", c.name, n)
		}
	}
}

func BenchmarkLexicalParseInt(b *testing.B) {
	in := []byte("-1234567890")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseInt(in, 64); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLexicalParseFloat(b *testing.B) {
	in := []byte("12345.678E-3")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseFloat(in, 64); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLexicalAppendFloat(b *testing.B) {
	buf := make([]byte, 0, 32)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendFloat(buf[:0], 12345.678e-3, 64)
	}
}
