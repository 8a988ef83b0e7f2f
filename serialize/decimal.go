package serialize

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/wsgo/wsgo/errors"
)

// Decimal is an exact xsd:decimal: a coefficient and a scale, its value being
// coefficient × 10^-scale. No floating point is involved anywhere, and the
// precision is unlimited: xsd:decimal has no digit limit (WWSAPI's DECIMAL
// stops at 96 bits; Decimal does not).
//
// A Decimal keeps the scale it was written with, as .NET's decimal does:
// "1.50" parses to coefficient 150, scale 2, and prints as "1.50" again. Use
// [Decimal.Cmp] to compare values (1.5 and 1.50 compare equal); == compares
// representations and is not meaningful for Decimals beyond int64.
//
// Coefficients that fit in an int64 (every value of 18 digits or fewer) are
// held inline, so parsing and formatting typical values do not allocate;
// larger ones are held in a *big.Int that is never modified after
// construction, so Decimal values may be copied and shared freely.
//
// The zero value is 0.
type Decimal struct {
	coef  int64    // the coefficient, when big is nil
	big   *big.Int // the coefficient, when it does not fit in an int64
	scale int32    // digits after the decimal point; never negative
}

// NewDecimal returns coef × 10^-scale: NewDecimal(150, 2) is 1.50. A negative
// scale multiplies (NewDecimal(15, -2) is 1500, with scale 0).
func NewDecimal(coef int64, scale int32) Decimal {
	if scale >= 0 {
		return Decimal{coef: coef, scale: scale}
	}
	if p, ok := pow10Uint64(int(-scale)); ok {
		hi, lo := bits.Mul64(absInt64(coef), p)
		if hi == 0 && lo <= math.MaxInt64 {
			v := int64(lo)
			if coef < 0 {
				v = -v
			}
			return Decimal{coef: v}
		}
	}
	b := new(big.Int).Mul(big.NewInt(coef), pow10Big(int(-scale)))
	return decimalFromBig(b, 0)
}

// ParseDecimal parses the xsd:decimal lexical form
// [+-]?(\d+(\.\d*)?|\.\d+), ignoring surrounding XML whitespace, keeping the
// number of fraction digits as the scale. Exponents ("1E3"), "INF", "NaN",
// a decimal comma ("1,5") and the empty string are InvalidFormat errors. A
// sign on zero is dropped: "-0.0" is 0.0.
func ParseDecimal(s string) (Decimal, error) { return parseDecimal(s) }

// MustParseDecimal is ParseDecimal for constants in programs and tests: it
// panics if s is not a valid xsd:decimal.
func MustParseDecimal(s string) Decimal {
	d, err := parseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

func parseDecimal[T text](s T) (Decimal, error) {
	t := trimText(s)
	i := 0
	neg := false
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		i = 1
	}
	start := i
	var coef uint64
	digits, frac := 0, -1 // frac counts fraction digits once the point is seen
	overflow := false
	for ; i < len(t); i++ {
		c := t[i]
		if c == '.' && frac < 0 {
			frac = 0
			continue
		}
		if !isDigit(c) {
			return Decimal{}, decimalSyntaxError(s)
		}
		digits++
		if frac >= 0 {
			frac++
		}
		d := uint64(c - '0')
		if !overflow && coef <= (math.MaxInt64-d)/10 {
			coef = coef*10 + d
		} else {
			overflow = true
		}
	}
	if digits == 0 {
		return Decimal{}, decimalSyntaxError(s)
	}
	frac = max(frac, 0)
	if frac > math.MaxInt32 {
		return Decimal{}, errors.Errorf(errors.NumericOverflow,
			"value %s has %d fraction digits; xsd:decimal values are limited to %d", quoteText(t), frac, math.MaxInt32)
	}
	if !overflow {
		v := int64(coef)
		if neg {
			v = -v
		}
		return Decimal{coef: v, scale: int32(frac)}, nil
	}
	// Beyond int64: gather the digits without the point for big.Int.
	buf := make([]byte, 0, digits+1)
	if neg {
		buf = append(buf, '-')
	}
	for j := start; j < len(t); j++ {
		if t[j] != '.' {
			buf = append(buf, t[j])
		}
	}
	b, ok := new(big.Int).SetString(string(buf), 10)
	if !ok {
		// Unreachable: the loop above accepted only digits and one point.
		return Decimal{}, decimalSyntaxError(s)
	}
	return decimalFromBig(b, int32(frac)), nil
}

func decimalSyntaxError[T text](s T) error {
	return errors.Errorf(errors.InvalidFormat,
		"value %s is not a valid xsd:decimal: want decimal digits with an optional sign and decimal point, no exponent",
		quoteText(s))
}

// DecimalFromRat returns r rounded to scale fraction digits, rounding halves
// to even (banker's rounding, as .NET's decimal does): 2.5 at scale 0 is 2,
// 3.5 is 4, and 1/3 at scale 4 is 0.3333. It fails with InvalidArgument when r
// is nil or scale is negative.
func DecimalFromRat(r *big.Rat, scale int32) (Decimal, error) {
	if r == nil {
		return Decimal{}, errors.Errorf(errors.InvalidArgument, "DecimalFromRat: the rational number is nil")
	}
	if scale < 0 {
		return Decimal{}, errors.Errorf(errors.InvalidArgument,
			"DecimalFromRat: scale %d is negative; pass the number of fraction digits wanted (0 or more)", scale)
	}
	num := new(big.Int).Mul(r.Num(), pow10Big(int(scale)))
	den := r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // q truncated toward zero
	if m.Sign() != 0 {
		twice := m.Abs(m).Lsh(m, 1)
		if c := twice.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
			if num.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return decimalFromBig(q, scale), nil
}

// decimalFromBig returns b × 10^-scale, holding b inline when it fits. b must
// not be modified afterwards.
func decimalFromBig(b *big.Int, scale int32) Decimal {
	if b.IsInt64() {
		return Decimal{coef: b.Int64(), scale: scale}
	}
	return Decimal{big: b, scale: scale}
}

// Scale returns the number of fraction digits d was written or built with.
func (d Decimal) Scale() int32 { return d.scale }

// Sign returns -1, 0 or +1 as d is negative, zero or positive.
func (d Decimal) Sign() int {
	if d.big != nil {
		return d.big.Sign()
	}
	switch {
	case d.coef < 0:
		return -1
	case d.coef > 0:
		return 1
	}
	return 0
}

// IsZero reports whether d is zero, whatever its scale.
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Cmp compares the values of d and e, ignoring scale: it returns -1 if d < e,
// 0 if d == e (so 1.5 and 1.50 compare equal), +1 if d > e.
func (d Decimal) Cmp(e Decimal) int {
	ds, es := d.Sign(), e.Sign()
	if ds != es {
		if ds < es {
			return -1
		}
		return 1
	}
	if ds == 0 {
		return 0
	}
	if d.big == nil && e.big == nil {
		if a, b, ok := alignInt64(d, e); ok {
			switch {
			case a < b:
				return -1
			case a > b:
				return 1
			}
			return 0
		}
	}
	top := max(d.scale, e.scale)
	return d.scaledBig(top).Cmp(e.scaledBig(top))
}

// alignInt64 returns the coefficients of d and e brought to the same scale,
// when that fits in int64.
func alignInt64(d, e Decimal) (a, b int64, ok bool) {
	a, b = d.coef, e.coef
	switch {
	case d.scale < e.scale:
		a, ok = mulPow10Int64(a, int(e.scale-d.scale))
	case d.scale > e.scale:
		b, ok = mulPow10Int64(b, int(d.scale-e.scale))
	default:
		ok = true
	}
	return a, b, ok
}

// mulPow10Int64 returns v × 10^n when it fits in an int64.
func mulPow10Int64(v int64, n int) (int64, bool) {
	p, ok := pow10Uint64(n)
	if !ok {
		return 0, false
	}
	hi, lo := bits.Mul64(absInt64(v), p)
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if v < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// coefBig returns the coefficient as a *big.Int the caller may modify.
func (d Decimal) coefBig() *big.Int {
	if d.big != nil {
		return new(big.Int).Set(d.big)
	}
	return big.NewInt(d.coef)
}

// scaledBig returns the coefficient of d at scale s (s >= d.scale).
func (d Decimal) scaledBig(s int32) *big.Int {
	c := d.coefBig()
	if s > d.scale {
		c.Mul(c, pow10Big(int(s-d.scale)))
	}
	return c
}

// Rat returns the exact value of d as a new *big.Rat.
func (d Decimal) Rat() *big.Rat {
	if d.big == nil {
		if p, ok := pow10Uint64(int(d.scale)); ok && p <= math.MaxInt64 {
			return new(big.Rat).SetFrac64(d.coef, int64(p))
		}
	}
	return new(big.Rat).SetFrac(d.coefBig(), pow10Big(int(d.scale)))
}

// Float64 returns the float64 nearest to d (correctly rounded), ±Inf when d
// is beyond float64's range.
func (d Decimal) Float64() float64 {
	const exactInt = 1 << 53 // integers up to here are exact in float64
	if d.big == nil && d.scale < int32(len(float64Pow10)) && absInt64(d.coef) <= exactInt {
		// Both operands are exact, so the one division rounds correctly.
		return float64(d.coef) / float64Pow10[d.scale]
	}
	f, _ := d.Rat().Float64()
	return f
}

// float64Pow10 holds the powers of ten that float64 represents exactly.
var float64Pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// String returns d in decimal notation with exactly Scale fraction digits:
// no '+' sign, no exponent, no leading zeros other than the one in "0.5",
// and a '-' only for values below zero.
func (d Decimal) String() string {
	var buf [24]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's form to dst (encoding.TextAppender); it does
// not allocate for coefficients that fit in an int64.
func (d Decimal) AppendText(dst []byte) ([]byte, error) { return d.appendTo(dst), nil }

// MarshalText returns String's form (encoding.TextMarshaler).
func (d Decimal) MarshalText() ([]byte, error) { return d.appendTo(nil), nil }

// UnmarshalText parses an xsd:decimal as ParseDecimal does
// (encoding.TextUnmarshaler). On error *d is unchanged.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := parseDecimal(b)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Decimal) appendTo(dst []byte) []byte {
	var buf [20]byte
	var digits []byte
	neg := false
	if d.big != nil {
		digits = d.big.Append(nil, 10)
		if digits[0] == '-' {
			neg, digits = true, digits[1:]
		}
	} else {
		neg = d.coef < 0
		digits = strconv.AppendUint(buf[:0], absInt64(d.coef), 10)
	}
	if neg {
		dst = append(dst, '-')
	}
	scale := int(d.scale)
	if scale == 0 {
		return append(dst, digits...)
	}
	if n := len(digits) - scale; n > 0 {
		dst = append(dst, digits[:n]...)
		dst = append(dst, '.')
		return append(dst, digits[n:]...)
	}
	dst = append(dst, '0', '.')
	for range scale - len(digits) {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}

// absInt64 returns |v| as a uint64, exact even for math.MinInt64.
func absInt64(v int64) uint64 {
	if v < 0 {
		return -uint64(v)
	}
	return uint64(v)
}

// pow10Uint64 returns 10^n when it fits in a uint64 (n <= 19).
func pow10Uint64(n int) (uint64, bool) {
	if n < 0 || n > 19 {
		return 0, false
	}
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p, true
}

// pow10Big returns 10^n as a new *big.Int.
func pow10Big(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
