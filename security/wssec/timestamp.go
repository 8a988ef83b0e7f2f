package wssec

import (
	"time"
)

// Default time windows, WWSAPI's (WS_SECURITY_PROPERTY_MAX_ALLOWED_LATENCY,
// _TIMESTAMP_VALIDITY_DURATION, _MAX_ALLOWED_CLOCK_SKEW).
const (
	// DefaultTimestampTTL is how long a timestamp Secure writes is valid:
	// Expires = Created + TTL.
	DefaultTimestampTTL = 5 * time.Minute
	// DefaultMaxClockSkew is the clock difference tolerated between
	// sender and receiver.
	DefaultMaxClockSkew = 5 * time.Minute
	// DefaultMaxAge is how old (by its Created time) a received message
	// may be.
	DefaultMaxAge = 5 * time.Minute
)

// timeLayout is how Secure writes wsu:Created and wsu:Expires: UTC with
// milliseconds, as WCF does.
const timeLayout = "2006-01-02T15:04:05.000Z"

// formatTime formats t for wsu:Created and wsu:Expires.
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime parses an xsd:dateTime with a time zone (WSS requires UTC;
// "Z" and "+00:00" forms and fractional seconds of any length are taken).
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// window is the time window received timestamps are checked against.
type window struct {
	now    time.Time
	skew   time.Duration
	maxAge time.Duration
}

// checkCreated checks a Created time: not in the future beyond the skew,
// and not older than the maximum age (plus the skew).
func (w window) checkCreated(what, s string) (time.Time, error) {
	t, ok := parseTime(s)
	if !ok {
		return time.Time{}, fail(InvalidSecurity, "%s Created %q is not an xsd:dateTime with a time zone", what, s)
	}
	if t.After(w.now.Add(w.skew)) {
		return t, fail(InvalidSecurity, "%s Created %s is in the future (now %s, clock skew allowed %v); check the sender's clock",
			what, formatTime(t), formatTime(w.now), w.skew)
	}
	// At exactly the limit the message is already too old: the replay
	// cache forgets an entry at that instant (until), so accepting it
	// would let a replay through.
	if !t.After(w.now.Add(-w.maxAge - w.skew)) {
		return t, fail(MessageExpired, "%s Created %s is older than the maximum age %v (plus clock skew %v; now %s)",
			what, formatTime(t), w.maxAge, w.skew, formatTime(w.now))
	}
	return t, nil
}

// checkExpires checks an Expires time: not passed beyond the skew, and
// not before created.
func (w window) checkExpires(s string, created time.Time) (time.Time, error) {
	t, ok := parseTime(s)
	if !ok {
		return time.Time{}, fail(InvalidSecurity, "timestamp Expires %q is not an xsd:dateTime with a time zone", s)
	}
	if t.Before(created) {
		return t, fail(InvalidSecurity, "timestamp Expires %s is before its Created %s", formatTime(t), formatTime(created))
	}
	if t.Before(w.now.Add(-w.skew)) {
		return t, fail(MessageExpired, "the timestamp expired at %s (now %s, clock skew allowed %v)",
			formatTime(t), formatTime(w.now), w.skew)
	}
	return t, nil
}

// until is when a nonce or signature first seen with the given Created
// time can no longer pass checkCreated, so the replay cache may forget it.
func (w window) until(created time.Time) time.Time {
	return created.Add(w.maxAge + w.skew)
}
