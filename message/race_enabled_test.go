//go:build race

package message

// raceEnabled reports a -race build: sync.Pool drops items at random under
// the race detector, so allocation counts are not meaningful there.
const raceEnabled = true
