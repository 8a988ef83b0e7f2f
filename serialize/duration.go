package serialize

import (
	"math"
	"strconv"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// Duration is an xsd:duration, -?PnYnMnDTnHnMnS, kept component by component
// as written: "PT90M" stays 90 minutes, not 1 hour 30, and "P1M" stays one
// month, whose length depends on the date it is added to (which is why
// time.Duration cannot hold it; see [Duration.Std]). WWSAPI's WS_DURATION has
// the same shape.
//
// Components are non-negative; the sign of the whole duration is Negative.
// Only seconds may have a fraction, kept to the nanosecond in Nanoseconds
// (0..999,999,999): fraction digits beyond nine are accepted and truncated.
//
// The zero value is the zero duration, written "PT0S".
type Duration struct {
	Negative    bool
	Years       int64
	Months      int64
	Days        int64
	Hours       int64
	Minutes     int64
	Seconds     int64
	Nanoseconds int32
}

// ParseDuration parses an xsd:duration, ignoring surrounding XML whitespace.
// At least one component must be present, and at least one after a "T";
// components appear in the order Y M D T H M S, at most once each. "P", "PT",
// "P1Y2", "-P-1D", "P1.5Y" (a fraction on anything but seconds) and "P1DT"
// are InvalidFormat errors; a component beyond int64 is NumericOverflow.
func ParseDuration(s string) (Duration, error) { return parseDuration(s) }

func parseDuration[T text](s T) (Duration, error) {
	var d Duration
	t := trimText(s)
	i := 0
	if i < len(t) && t[i] == '-' {
		d.Negative = true
		i++
	}
	if i == len(t) || t[i] != 'P' {
		return Duration{}, durationSyntaxError(s, "")
	}
	i++
	inTime := false
	next := 0 // the first designator still allowed in the current part
	parts, timeParts := 0, 0
	for i < len(t) {
		if t[i] == 'T' {
			if inTime {
				return Duration{}, durationSyntaxError(s, "")
			}
			inTime, next = true, 0
			i++
			continue
		}
		start := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		intEnd := i
		point := i < len(t) && t[i] == '.'
		if point {
			i++
		}
		fracStart := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		if intEnd == start && i == fracStart {
			return Duration{}, durationSyntaxError(s, "") // no digits
		}
		if i == len(t) {
			return Duration{}, durationSyntaxError(s, "a number must be followed by its designator")
		}
		designators := "YMD"
		if inTime {
			designators = "HMS"
		}
		k := next
		for k < len(designators) && designators[k] != t[i] {
			k++
		}
		if k == len(designators) {
			return Duration{}, durationSyntaxError(s, "")
		}
		if point && !(inTime && k == 2) {
			return Duration{}, durationSyntaxError(s, "only seconds may have a fraction")
		}
		v, ok := durationComponent(t[start:intEnd])
		if !ok {
			return Duration{}, errors.Errorf(errors.NumericOverflow,
				"value %s overflows xsd:duration: a component is larger than %d", quoteText(s), int64(math.MaxInt64))
		}
		switch {
		case !inTime && k == 0:
			d.Years = v
		case !inTime && k == 1:
			d.Months = v
		case !inTime:
			d.Days = v
		case k == 0:
			d.Hours = v
		case k == 1:
			d.Minutes = v
		default:
			d.Seconds = v
			d.Nanoseconds = durationFraction(t[fracStart:i])
		}
		next = k + 1
		parts++
		if inTime {
			timeParts++
		}
		i++
	}
	if parts == 0 || (inTime && timeParts == 0) {
		return Duration{}, durationSyntaxError(s, "")
	}
	return d, nil
}

// durationComponent returns the value of a run of digits (empty is 0), false
// when it exceeds int64.
func durationComponent[T text](digits T) (int64, bool) {
	var v int64
	for j := 0; j < len(digits); j++ {
		c := int64(digits[j] - '0')
		if v > (math.MaxInt64-c)/10 {
			return 0, false
		}
		v = v*10 + c
	}
	return v, true
}

// durationFraction returns the nanoseconds of fraction digits, truncating
// beyond nine.
func durationFraction[T text](digits T) int32 {
	var ns int32
	scale := int32(100_000_000)
	for j := 0; j < len(digits) && scale > 0; j++ {
		ns += int32(digits[j]-'0') * scale
		scale /= 10
	}
	return ns
}

func durationSyntaxError[T text](s T, reason string) error {
	if reason == "" {
		reason = "want -?PnYnMnDTnHnMnS with at least one component, in that order"
	}
	return errors.Errorf(errors.InvalidFormat, "value %s is not a valid xsd:duration: %s", quoteText(s), reason)
}

// DurationFromStd returns d as days, hours, minutes, seconds and
// nanoseconds (a day being 24 hours, as xsd:duration counts it):
// 26h30m is P1DT2H30M.
func DurationFromStd(d time.Duration) Duration {
	var r Duration
	u := uint64(d)
	if d < 0 {
		r.Negative = true
		u = -u // exact even for math.MinInt64
	}
	const day = uint64(24 * time.Hour)
	r.Days = int64(u / day)
	u %= day
	r.Hours = int64(u / uint64(time.Hour))
	u %= uint64(time.Hour)
	r.Minutes = int64(u / uint64(time.Minute))
	u %= uint64(time.Minute)
	r.Seconds = int64(u / uint64(time.Second))
	r.Nanoseconds = int32(u % uint64(time.Second))
	return r
}

// Std returns d as a time.Duration, counting a day as 24 hours. ok is false
// when d has years or months (their length depends on the date the duration
// is added to; use time.Time.AddDate for them) or when d does not fit in a
// time.Duration (about ±292 years).
func (d Duration) Std() (std time.Duration, ok bool) {
	if d.Years != 0 || d.Months != 0 {
		return 0, false
	}
	sign := int64(1)
	if d.Negative {
		sign = -1
	}
	var ns int64
	for _, c := range [...]struct{ v, unit int64 }{
		{d.Days, int64(24 * time.Hour)},
		{d.Hours, int64(time.Hour)},
		{d.Minutes, int64(time.Minute)},
		{d.Seconds, int64(time.Second)},
		{int64(d.Nanoseconds), 1},
	} {
		if ns, ok = mulAddInt64(ns, sign*c.v, c.unit); !ok {
			return 0, false
		}
	}
	return time.Duration(ns), true
}

// mulAddInt64 returns acc + v*unit (unit > 0), false on int64 overflow.
func mulAddInt64(acc, v, unit int64) (int64, bool) {
	if v > math.MaxInt64/unit || v < math.MinInt64/unit {
		return 0, false
	}
	p := v * unit
	sum := acc + p
	if (p > 0 && sum < acc) || (p < 0 && sum > acc) {
		return 0, false
	}
	return sum, true
}

// IsZero reports whether every component of d is zero.
func (d Duration) IsZero() bool {
	return d.Years == 0 && d.Months == 0 && d.Days == 0 && d.Hours == 0 && d.Minutes == 0 &&
		d.Seconds == 0 && d.Nanoseconds == 0
}

// String returns the xsd:duration form: zero components are left out, the
// zero duration is "PT0S" (never "-PT0S"), and the fraction of the seconds
// has no trailing zeros. A Duration built in Go with a negative component or
// Nanoseconds outside 0..999,999,999 has no xsd:duration form; String then
// shows the components as they are (such as "P-1D" or
// "PT1S(Nanoseconds -5)") and MarshalText and
// AppendText return an InvalidArgument error.
func (d Duration) String() string {
	var buf [64]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's form to dst (encoding.TextAppender). It fails
// with InvalidArgument for a component that xsd:duration cannot express.
func (d Duration) AppendText(dst []byte) ([]byte, error) {
	if err := d.check(); err != nil {
		return dst, err
	}
	return d.appendTo(dst), nil
}

// MarshalText returns String's form (encoding.TextMarshaler). It fails with
// InvalidArgument for a component that xsd:duration cannot express.
func (d Duration) MarshalText() ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	return d.appendTo(nil), nil
}

// UnmarshalText parses an xsd:duration as ParseDuration does
// (encoding.TextUnmarshaler). On error *d is unchanged.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := parseDuration(b)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// check reports a component that has no xsd:duration form.
func (d Duration) check() error {
	for _, c := range [...]struct {
		name string
		v    int64
	}{
		{"Years", d.Years}, {"Months", d.Months}, {"Days", d.Days}, {"Hours", d.Hours},
		{"Minutes", d.Minutes}, {"Seconds", d.Seconds},
	} {
		if c.v < 0 {
			return errors.Errorf(errors.InvalidArgument,
				"xsd:duration %s has negative %s (%d); make every component non-negative and set Negative instead",
				d, c.name, c.v)
		}
	}
	if d.Nanoseconds < 0 || d.Nanoseconds >= int32(time.Second) {
		return errors.Errorf(errors.InvalidArgument,
			"xsd:duration %s has Nanoseconds %d outside 0..999999999; carry whole seconds into Seconds",
			d, d.Nanoseconds)
	}
	return nil
}

func (d Duration) appendTo(dst []byte) []byte {
	if d.IsZero() {
		return append(dst, "PT0S"...)
	}
	if d.Negative {
		dst = append(dst, '-')
	}
	dst = append(dst, 'P')
	dst = appendComponent(dst, d.Years, 'Y')
	dst = appendComponent(dst, d.Months, 'M')
	dst = appendComponent(dst, d.Days, 'D')
	if d.Hours == 0 && d.Minutes == 0 && d.Seconds == 0 && d.Nanoseconds == 0 {
		return dst
	}
	dst = append(dst, 'T')
	dst = appendComponent(dst, d.Hours, 'H')
	dst = appendComponent(dst, d.Minutes, 'M')
	if d.Seconds == 0 && d.Nanoseconds == 0 {
		return dst
	}
	dst = strconv.AppendInt(dst, d.Seconds, 10)
	validNanos := d.Nanoseconds >= 0 && d.Nanoseconds < int32(time.Second)
	if d.Nanoseconds != 0 && validNanos {
		dst = append(dst, '.')
		dst = appendFraction(dst, int(d.Nanoseconds))
	}
	dst = append(dst, 'S')
	if !validNanos {
		dst = append(dst, "(Nanoseconds "...)
		dst = strconv.AppendInt(dst, int64(d.Nanoseconds), 10)
		dst = append(dst, ')')
	}
	return dst
}

// appendComponent appends v and its designator unless v is zero.
func appendComponent(dst []byte, v int64, designator byte) []byte {
	if v == 0 {
		return dst
	}
	return append(strconv.AppendInt(dst, v, 10), designator)
}
