package wssec

import (
	"crypto/sha256"
	"sync"
	"time"
)

// DefaultMaxNonces bounds the replay cache of a Verifier.
const DefaultMaxNonces = 100000

// replayCache remembers the nonces (and signature values) of accepted
// messages until their timestamps would be refused anyway, so that a
// message cannot be accepted twice. It is bounded: when it is full of
// entries that have not expired, new messages are refused (failing closed
// rather than forgetting nonces an attacker could then replay).
type replayCache struct {
	mu        sync.Mutex
	max       int
	seen      map[[32]byte]time.Time // key hash → when it may be forgotten
	lastSweep time.Time
}

func newReplayCache(max int) *replayCache {
	return &replayCache{max: max, seen: make(map[[32]byte]time.Time)}
}

// replayEntry is one value to remember.
type replayEntry struct {
	key   string
	until time.Time
}

// add records the entries unless one of them was seen and has not
// expired; replayed names the first such entry's key. full reports that
// there was no room.
func (c *replayCache) add(now time.Time, entries ...replayEntry) (replayed string, full bool) {
	if len(entries) == 0 {
		return "", false
	}
	hashes := make([][32]byte, len(entries))
	for i, e := range entries {
		hashes[i] = sha256.Sum256([]byte(e.key))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, h := range hashes {
		if until, ok := c.seen[h]; ok && now.Before(until) {
			return entries[i].key, false
		}
	}
	if len(c.seen)+len(entries) > c.max {
		c.sweep(now)
		if len(c.seen)+len(entries) > c.max {
			return "", true
		}
	}
	for i, h := range hashes {
		c.seen[h] = entries[i].until
	}
	return "", false
}

// sweep forgets expired entries, at most once a second so that a full
// cache under a flood does not cost a scan per message.
func (c *replayCache) sweep(now time.Time) {
	if !c.lastSweep.IsZero() && now.Sub(c.lastSweep) < time.Second && now.After(c.lastSweep) {
		return
	}
	c.lastSweep = now
	for h, until := range c.seen {
		if !now.Before(until) {
			delete(c.seen, h)
		}
	}
}
