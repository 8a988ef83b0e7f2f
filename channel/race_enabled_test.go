//go:build race

package channel_test

// raceEnabled reports a -race build, where memory use and speed are not
// representative: the streamed-send memory test sends less there.
const raceEnabled = true
