package serialize

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/wsgo/wsgo/errors"
)

// DateTime is an xsd:dateTime, such as "2024-05-01T10:30:00.25+02:00".
// T holds the instant, in the zone the text gave; Zoneless records that the
// text gave no zone (T then holds the clock reading in time.UTC).
//
// DateTime, [Date] and [Time] keep what time.Time cannot: whether a value
// was written with a zone at all. "2024-05-01T10:00:00" (no zone) is a
// wall-clock reading in an unknown zone, not an instant; WWSAPI calls this
// WS_DATETIME_FORMAT_NONE and .NET DateTimeKind.Unspecified. The three types
// share these rules:
//
//   - The zone is kept as written: "Z" gives T in time.UTC; "+05:30" gives T
//     in a fixed zone of that offset (named "+05:30"), and "+00:00" a fixed
//     zone of offset 0, which String writes back as "+00:00", not "Z"
//     ("-00:00" is read as "+00:00"). No zone gives T in time.UTC with
//     Zoneless set.
//   - Fractional seconds keep nanosecond precision: up to 9 digits are exact,
//     further digits are accepted and truncated. String writes the fraction
//     without trailing zeros (XSD's canonical form), so "10:00:00.500" comes
//     back as "10:00:00.5", the same value.
//   - Years follow XSD 1.0: at least four digits, no year 0000, and "-0001"
//     is 1 BCE, which is time.Time's year 0 (astronomical numbering, so the
//     proleptic Gregorian leap years hold throughout). Years of more than
//     nine digits are a NumericOverflow error.
//   - "24:00:00" is the end of the day, the same instant as 00:00:00 of the
//     next day, and is read as that (for Time, as 00:00:00).
//   - Zone offsets are limited to ±14:00; seconds are 00..59 (no leap
//     seconds); days are checked against the month, with leap years.
//   - Surrounding XML whitespace is ignored; any other deviation from the
//     lexical form is an InvalidFormat error quoting the text.
//
// When writing a value built in Go, a zone that XSD cannot express (an
// offset with seconds, as some historical zones have, or beyond ±14:00) is
// replaced by UTC: DateTime writes the same instant with "Z", Date and Time
// write the UTC reading. For Zoneless values the clock reading of T is
// written as it is, in whatever location T is in.
type DateTime struct {
	T        time.Time
	Zoneless bool
}

// Date is an xsd:date, such as "2024-05-01" or "2024-05-01Z". T is midnight
// at the start of that day in the zone the text gave (time.UTC when Zoneless).
// Zones, years and errors follow the rules given at [DateTime].
type Date struct {
	T        time.Time
	Zoneless bool
}

// Time is an xsd:time, such as "10:30:00" or "10:30:00-05:00". T holds the
// clock reading on January 1 of year 0 (the date time.Parse uses for clock
// readings), in the zone the text gave (time.UTC when Zoneless). Zones,
// fractions, 24:00:00 and errors follow the rules given at [DateTime].
type Time struct {
	T        time.Time
	Zoneless bool
}

// NewDateTime returns the DateTime of the given clock reading in loc, as
// time.Date does; a nil loc makes it zoneless.
func NewDateTime(year int, month time.Month, day, hour, min, sec, nsec int, loc *time.Location) DateTime {
	if loc == nil {
		return DateTime{T: time.Date(year, month, day, hour, min, sec, nsec, time.UTC), Zoneless: true}
	}
	return DateTime{T: time.Date(year, month, day, hour, min, sec, nsec, loc)}
}

// NewDate returns the Date of the given day in loc; a nil loc makes it
// zoneless.
func NewDate(year int, month time.Month, day int, loc *time.Location) Date {
	if loc == nil {
		return Date{T: time.Date(year, month, day, 0, 0, 0, 0, time.UTC), Zoneless: true}
	}
	return Date{T: time.Date(year, month, day, 0, 0, 0, 0, loc)}
}

// NewTime returns the Time of the given clock reading in loc; a nil loc
// makes it zoneless.
func NewTime(hour, min, sec, nsec int, loc *time.Location) Time {
	if loc == nil {
		return Time{T: time.Date(0, time.January, 1, hour, min, sec, nsec, time.UTC), Zoneless: true}
	}
	return Time{T: time.Date(0, time.January, 1, hour, min, sec, nsec, loc)}
}

// ParseDateTime parses an xsd:dateTime, -?yyyy-mm-ddThh:mm:ss(.s+)?(zone)?,
// ignoring surrounding XML whitespace.
func ParseDateTime(s string) (DateTime, error) {
	t, zoneless, err := scanDateTime(s, xsdDateTime)
	return DateTime{T: t, Zoneless: zoneless}, err
}

// ParseDate parses an xsd:date, -?yyyy-mm-dd(zone)?.
func ParseDate(s string) (Date, error) {
	t, zoneless, err := scanDateTime(s, xsdDate)
	return Date{T: t, Zoneless: zoneless}, err
}

// ParseTime parses an xsd:time, hh:mm:ss(.s+)?(zone)?.
func ParseTime(s string) (Time, error) {
	t, zoneless, err := scanDateTime(s, xsdTime)
	return Time{T: t, Zoneless: zoneless}, err
}

// String returns the xsd:dateTime form, which parses back to the same value.
func (d DateTime) String() string {
	var buf [40]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's form to dst (encoding.TextAppender).
func (d DateTime) AppendText(dst []byte) ([]byte, error) { return d.appendTo(dst), nil }

// MarshalText returns String's form (encoding.TextMarshaler).
func (d DateTime) MarshalText() ([]byte, error) { return d.appendTo(nil), nil }

// UnmarshalText parses an xsd:dateTime as ParseDateTime does
// (encoding.TextUnmarshaler). On error *d is unchanged.
func (d *DateTime) UnmarshalText(b []byte) error {
	t, zoneless, err := scanDateTime(b, xsdDateTime)
	if err != nil {
		return err
	}
	*d = DateTime{T: t, Zoneless: zoneless}
	return nil
}

func (d DateTime) appendTo(dst []byte) []byte {
	t, zone := zoneForWriting(d.T, d.Zoneless)
	dst = appendYMD(dst, t)
	dst = append(dst, 'T')
	dst = appendHMS(dst, t)
	return appendZone(dst, zone)
}

// String returns the xsd:date form, which parses back to the same value.
func (d Date) String() string {
	var buf [24]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's form to dst (encoding.TextAppender).
func (d Date) AppendText(dst []byte) ([]byte, error) { return d.appendTo(dst), nil }

// MarshalText returns String's form (encoding.TextMarshaler).
func (d Date) MarshalText() ([]byte, error) { return d.appendTo(nil), nil }

// UnmarshalText parses an xsd:date as ParseDate does
// (encoding.TextUnmarshaler). On error *d is unchanged.
func (d *Date) UnmarshalText(b []byte) error {
	t, zoneless, err := scanDateTime(b, xsdDate)
	if err != nil {
		return err
	}
	*d = Date{T: t, Zoneless: zoneless}
	return nil
}

func (d Date) appendTo(dst []byte) []byte {
	t, zone := zoneForWriting(d.T, d.Zoneless)
	return appendZone(appendYMD(dst, t), zone)
}

// String returns the xsd:time form, which parses back to the same value.
func (d Time) String() string {
	var buf [32]byte
	return string(d.appendTo(buf[:0]))
}

// AppendText appends String's form to dst (encoding.TextAppender).
func (d Time) AppendText(dst []byte) ([]byte, error) { return d.appendTo(dst), nil }

// MarshalText returns String's form (encoding.TextMarshaler).
func (d Time) MarshalText() ([]byte, error) { return d.appendTo(nil), nil }

// UnmarshalText parses an xsd:time as ParseTime does
// (encoding.TextUnmarshaler). On error *d is unchanged.
func (d *Time) UnmarshalText(b []byte) error {
	t, zoneless, err := scanDateTime(b, xsdTime)
	if err != nil {
		return err
	}
	*d = Time{T: t, Zoneless: zoneless}
	return nil
}

func (d Time) appendTo(dst []byte) []byte {
	t, zone := zoneForWriting(d.T, d.Zoneless)
	return appendZone(appendHMS(dst, t), zone)
}

// parseDateTime parses an xsd:dateTime for a plain time.Time field: the zone
// given becomes a fixed zone (Z is time.UTC) and a zoneless value is taken
// as UTC.
func parseDateTime(b []byte) (time.Time, error) {
	t, _, err := scanDateTime(b, xsdDateTime)
	return t, err
}

// appendDateTime writes a plain time.Time field as xsd:dateTime: RFC 3339
// with trailing zeros of the fraction trimmed and the zone as "Z" for offset
// zero or ±hh:mm, as time.Time.MarshalText writes years 1..9999. Unlike
// MarshalText it never fails: years outside 1..9999 are written in XSD 1.0
// form (time.Time's year 0 is "-0001", year 12345 is "12345"), and an offset
// XSD cannot express is written as the same instant in UTC.
func appendDateTime(dst []byte, t time.Time) []byte {
	_, off := t.Zone()
	if !representableOffset(off) {
		t, off = t.UTC(), 0
	}
	dst = appendYMD(dst, t)
	dst = append(dst, 'T')
	dst = appendHMS(dst, t)
	if off == 0 {
		return append(dst, 'Z')
	}
	return appendOffset(dst, off)
}

// xsdKind selects which of the three lexical forms scanDateTime reads.
type xsdKind uint8

const (
	xsdDateTime xsdKind = iota
	xsdDate
	xsdTime
)

func (k xsdKind) String() string {
	switch k {
	case xsdDate:
		return "xsd:date"
	case xsdTime:
		return "xsd:time"
	}
	return "xsd:dateTime"
}

// want describes the lexical form of k for error messages.
func (k xsdKind) want() string {
	switch k {
	case xsdDate:
		return "yyyy-mm-dd with an optional zone (Z or ±hh:mm)"
	case xsdTime:
		return "hh:mm:ss with optional fraction and zone (Z or ±hh:mm)"
	}
	return "yyyy-mm-ddThh:mm:ss with optional fraction and zone (Z or ±hh:mm)"
}

// maxYearDigits bounds the year so that time.Date's arithmetic cannot
// overflow.
const maxYearDigits = 9

// scanDateTime reads the lexical form of kind from s. zoneless reports that
// no zone was given (t is then in time.UTC).
func scanDateTime[T text](s T, kind xsdKind) (t time.Time, zoneless bool, err error) {
	p := dtScanner[T]{s: trimText(s), kind: kind}
	year, month, day := 0, 1, 1
	hour, minute, sec, nsec := 0, 0, 0, 0
	if kind != xsdTime {
		year, month, day = p.date()
		if kind == xsdDateTime {
			p.expect('T')
		}
	}
	if kind != xsdDate {
		hour, minute, sec, nsec = p.clock()
	}
	loc := p.zone()
	if p.err == nil && p.i != len(p.s) {
		p.fail()
	}
	if p.err != nil {
		return time.Time{}, false, p.error(s)
	}
	if loc == nil {
		zoneless, loc = true, time.UTC
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if kind == xsdTime && hour == 24 {
		t = time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc) // end of day: the clock reading is 00:00:00
	}
	return t, zoneless, nil
}

// dtScanner walks one date/time lexical form. The first failure sticks in
// err, so that the steps can be chained and checked once.
type dtScanner[T text] struct {
	s    T
	i    int
	kind xsdKind
	err  *dtError
}

// dtError records why a date/time text was refused.
type dtError struct {
	code   errors.Code
	reason string // empty: the text does not match the lexical form
}

func (p *dtScanner[T]) fail() { p.failWith(errors.InvalidFormat, "") }

func (p *dtScanner[T]) failWith(code errors.Code, reason string) {
	if p.err == nil {
		p.err = &dtError{code: code, reason: reason}
	}
}

func (p *dtScanner[T]) error(orig T) error {
	if p.err.reason != "" {
		return errors.Errorf(p.err.code, "value %s is not a valid %s: %s", quoteText(orig), p.kind, p.err.reason)
	}
	return errors.Errorf(p.err.code, "value %s is not a valid %s: want %s", quoteText(orig), p.kind, p.kind.want())
}

func (p *dtScanner[T]) expect(c byte) {
	if p.err != nil {
		return
	}
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return
	}
	p.fail()
}

// digits reads exactly n digits.
func (p *dtScanner[T]) digits(n int) int {
	if p.err != nil {
		return 0
	}
	if p.i+n > len(p.s) {
		p.fail()
		return 0
	}
	v := 0
	for j := p.i; j < p.i+n; j++ {
		if !isDigit(p.s[j]) {
			p.fail()
			return 0
		}
		v = v*10 + int(p.s[j]-'0')
	}
	p.i += n
	return v
}

// date reads -?yyyy-mm-dd and checks the day against the month. The year is
// returned in time.Time's (astronomical) numbering.
func (p *dtScanner[T]) date() (year, month, day int) {
	neg := p.i < len(p.s) && p.s[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
	n := p.i - start
	switch {
	case n < 4 || (n > 4 && p.s[start] == '0'):
		p.fail() // four digits at least, and no leading zero beyond four
		return
	case n > maxYearDigits:
		p.failWith(errors.NumericOverflow, "years beyond "+strconv.Itoa(maxYearDigits)+" digits are not supported")
		return
	}
	for j := start; j < p.i; j++ {
		year = year*10 + int(p.s[j]-'0')
	}
	if year == 0 {
		p.failWith(errors.InvalidFormat, "year 0000 does not exist in XSD 1.0 (1 BCE is -0001)")
		return
	}
	if neg {
		year = 1 - year // -0001 is 1 BCE, time.Time's year 0
	}
	p.expect('-')
	month = p.digits(2)
	p.expect('-')
	day = p.digits(2)
	if p.err != nil {
		return
	}
	if month < 1 || month > 12 {
		p.failWith(errors.InvalidFormat, "month "+strconv.Itoa(month)+" is not 01..12")
		return
	}
	if dim := daysIn(time.Month(month), year); day < 1 || day > dim {
		p.failWith(errors.InvalidFormat, "day "+strconv.Itoa(day)+" is not in "+time.Month(month).String()+
			" of that year (01.."+strconv.Itoa(dim)+")")
	}
	return
}

// clock reads hh:mm:ss(.s+)? and checks the ranges, allowing 24:00:00 with
// a zero fraction.
func (p *dtScanner[T]) clock() (hour, minute, sec, nsec int) {
	hour = p.digits(2)
	p.expect(':')
	minute = p.digits(2)
	p.expect(':')
	sec = p.digits(2)
	if p.err != nil {
		return
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		start := p.i
		scale := 100_000_000
		for p.i < len(p.s) && isDigit(p.s[p.i]) {
			nsec += int(p.s[p.i]-'0') * scale // digits beyond nanoseconds add 0
			scale /= 10
			p.i++
		}
		if p.i == start {
			p.fail() // a point needs a digit after it
			return
		}
	}
	switch {
	case hour == 24 && (minute != 0 || sec != 0 || nsec != 0):
		p.failWith(errors.InvalidFormat, "24:00:00 is the only time allowed in hour 24")
	case hour > 24:
		p.failWith(errors.InvalidFormat, "hour "+strconv.Itoa(hour)+" is not 00..24")
	case minute > 59:
		p.failWith(errors.InvalidFormat, "minute "+strconv.Itoa(minute)+" is not 00..59")
	case sec > 59:
		p.failWith(errors.InvalidFormat, "second "+strconv.Itoa(sec)+" is not 00..59")
	}
	return
}

// zone reads an optional Z or ±hh:mm and returns its location, nil when the
// text has no zone.
func (p *dtScanner[T]) zone() *time.Location {
	if p.err != nil || p.i == len(p.s) {
		return nil
	}
	switch p.s[p.i] {
	case 'Z':
		p.i++
		return time.UTC
	case '+', '-':
	default:
		p.fail()
		return nil
	}
	sign := 1
	if p.s[p.i] == '-' {
		sign = -1
	}
	p.i++
	hh := p.digits(2)
	p.expect(':')
	mm := p.digits(2)
	if p.err != nil {
		return nil
	}
	if mm > 59 || hh*60+mm > maxZoneMinutes {
		p.failWith(errors.InvalidFormat, "zone offsets range from -14:00 to +14:00 with minutes 00..59")
		return nil
	}
	return fixedZone(sign * (hh*60 + mm))
}

// daysIn returns the number of days of month in year (time.Time numbering).
func daysIn(month time.Month, year int) int {
	if month == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + int((month+month/8)&1) // 31 in Jan, Mar, May, Jul, Aug, Oct, Dec
}

// maxZoneMinutes is the largest offset XSD allows, 14:00.
const maxZoneMinutes = 14 * 60

// zoneCache holds one fixed zone per offset minute, so that parsing a value
// with an offset does not allocate a *time.Location each time.
var zoneCache [2*maxZoneMinutes + 1]atomic.Pointer[time.Location]

// fixedZone returns the shared fixed zone of an offset in minutes, named in
// the ±hh:mm form.
func fixedZone(minutes int) *time.Location {
	slot := &zoneCache[minutes+maxZoneMinutes]
	if loc := slot.Load(); loc != nil {
		return loc
	}
	var buf [6]byte
	loc := time.FixedZone(string(appendOffset(buf[:0], minutes*60)), minutes*60)
	slot.CompareAndSwap(nil, loc)
	return slot.Load()
}

// representableOffset reports whether an offset in seconds can be written
// as an XSD zone: whole minutes within ±14:00.
func representableOffset(off int) bool {
	return off%60 == 0 && off >= -maxZoneMinutes*60 && off <= maxZoneMinutes*60
}

// zoneWriting says how to write a value's zone.
type zoneWriting int8

const (
	zoneNone   zoneWriting = iota // no zone: a zoneless value
	zoneZ                         // "Z"
	zoneOffset                    // ±hh:mm of the value's offset
)

// writtenZone is the zone to write after a value's clock reading.
type writtenZone struct {
	how    zoneWriting
	offset int // seconds, for zoneOffset
}

// zoneForWriting returns the time whose clock reading to write and how to
// write its zone: none for zoneless values, "Z" for time.UTC, the offset
// otherwise, and UTC in place of an offset XSD cannot express.
func zoneForWriting(t time.Time, zoneless bool) (time.Time, writtenZone) {
	if zoneless {
		return t, writtenZone{how: zoneNone}
	}
	if t.Location() == time.UTC {
		return t, writtenZone{how: zoneZ}
	}
	_, off := t.Zone()
	if !representableOffset(off) {
		return t.UTC(), writtenZone{how: zoneZ}
	}
	return t, writtenZone{how: zoneOffset, offset: off}
}

func appendZone(dst []byte, z writtenZone) []byte {
	switch z.how {
	case zoneZ:
		return append(dst, 'Z')
	case zoneOffset:
		return appendOffset(dst, z.offset)
	}
	return dst
}

// appendOffset appends ±hh:mm for an offset in whole minutes (seconds).
func appendOffset(dst []byte, off int) []byte {
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	m := off / 60
	return append(dst, sign, byte('0'+m/600), byte('0'+m/60%10), ':', byte('0'+m%60/10), byte('0'+m%10))
}

// appendYMD appends t's date in XSD 1.0 form (time.Time's year 0 is "-0001").
func appendYMD(dst []byte, t time.Time) []byte {
	year, month, day := t.Date()
	if year <= 0 {
		dst = append(dst, '-')
		year = 1 - year
	}
	dst = appendPadded(dst, year, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, int(month), 2)
	dst = append(dst, '-')
	return appendPadded(dst, day, 2)
}

// appendHMS appends t's clock reading hh:mm:ss with the fraction of the
// second, if any, without trailing zeros.
func appendHMS(dst []byte, t time.Time) []byte {
	hour, minute, sec := t.Clock()
	dst = appendPadded(dst, hour, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, minute, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, sec, 2)
	if ns := t.Nanosecond(); ns != 0 {
		dst = append(dst, '.')
		dst = appendFraction(dst, ns)
	}
	return dst
}

// appendFraction appends the nine digits of ns (1..999999999) without
// trailing zeros.
func appendFraction(dst []byte, ns int) []byte {
	n := 9
	for ns%10 == 0 {
		ns /= 10
		n--
	}
	return appendPadded(dst, ns, n)
}

// appendPadded appends v (>= 0) in decimal with leading zeros to width.
func appendPadded(dst []byte, v, width int) []byte {
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], int64(v), 10)
	for range width - len(digits) {
		dst = append(dst, '0')
	}
	return append(dst, digits...)
}
